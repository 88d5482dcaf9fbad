import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import QRCode from 'qrcode';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { serverApi } from '@/server/api/server-caller.ts';
import { isRxStatus } from '@/server/domains/prescriptions/prescriptions.core.ts';
import { shanghai, statusTone } from '../../../prescriptions/format.ts';
import { PrescriptionStatusLive } from './status-live.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('rx');
  return { title: t('patientTitle'), robots: { index: false } };
}

async function load(token: string) {
  try {
    return await (await serverApi()).prescriptions.status({ token });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
}

const SHIPMENT_STATES = ['created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned'] as const;
type ShipmentStateKey = (typeof SHIPMENT_STATES)[number];
const isShipmentStateKey = (s: unknown): s is ShipmentStateKey => (SHIPMENT_STATES as readonly unknown[]).includes(s);

/**
 * The patient's status page (no sign-in): each step with its time, the pickup code when ready; for a
 * delivery, the carrier, tracking number, ETA, the recipient code to tell the courier, the tracking
 * steps and a temperature alert after a cold-chain excursion. No addresses.
 */
export default async function PatientStatusPage({ params }: { params: Promise<{ locale: string; token: string }> }) {
  const { locale, token } = await params;
  setRequestLocale(locale);
  const t = await getTranslations('rx');
  const s = await load(token);
  const label = (status: string) => (isRxStatus(status) ? t(`patientStatuses.${status}`) : status);
  const d = s.delivery;
  const qr = s.pickupCode ? await QRCode.toString(s.pickupCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: 200 }) : null;
  return (
    <div className="mx-auto max-w-xl space-y-4" data-testid="rx-patient-page">
      <PageHeader title={t('patientTitle')} intro={t('patientIntro')}>
        <div className="mt-2">
          <PrescriptionStatusLive token={token} />
        </div>
      </PageHeader>
      <Card>
        <CardContent className="space-y-2 pt-6 text-sm">
          <p>
            <Badge tone={statusTone(s.status)} data-testid="rx-patient-status">
              {label(s.status)}
            </Badge>
          </p>
          <p>
            {s.hospitalName}
            {s.pharmacyName ? ` → ${s.pharmacyName}` : ''}
          </p>
          <p>
            {t('form.doses')} {s.doses} · {s.decoction ? t('patientBags', { bags: s.decoctionBags ?? 0 }) : t('noDecoction')} · {t(`fulfilment.${s.fulfilment === 'pickup' ? 'pickup' : 'delivery'}`)}
          </p>
          <p className="text-stone-500">
            {t('expiresAt')}: {shanghai(s.expiresAt)}
          </p>
        </CardContent>
      </Card>
      {qr ? (
        <Card>
          <CardContent className="flex items-center gap-4 pt-6">
            {/* The SVG comes from the QR library, built from six digits. */}
            <div className="h-48 w-48" dangerouslySetInnerHTML={{ __html: qr }} />
            <div>
              <p className="text-sm text-stone-600">{t('actions.pickupCode')}</p>
              <p className="text-3xl font-semibold tracking-widest">{s.pickupCode}</p>
            </div>
          </CardContent>
        </Card>
      ) : null}
      {d ? (
        <Card>
          <CardContent className="space-y-3 pt-6 text-sm" data-testid="rx-patient-delivery">
            <p className="font-medium">{t('patientDelivery.title')}</p>
            {d.temperatureAlert ? (
              <div data-testid="rx-patient-temperature-alert">
                <Alert tone="danger" title={t('patientDelivery.temperatureAlertTitle')}>
                  {t('patientDelivery.temperatureAlert')}
                </Alert>
              </div>
            ) : null}
            <p>
              {t('patientDelivery.carrier')}: {d.carrierName} · {t('patientDelivery.trackingNumber')}: <span className="font-mono" data-testid="rx-patient-tracking">{d.trackingNumber}</span>
            </p>
            <p>
              <Badge tone={d.state === 'delivered' ? 'success' : d.state === 'exception' || d.state === 'returned' ? 'danger' : 'info'} data-testid="rx-patient-delivery-state">
                {isShipmentStateKey(d.state) ? t(`delivery.states.${d.state}`) : d.state}
              </Badge>
              {d.eta && d.state !== 'delivered' ? (
                <span className="ml-2 text-stone-600">
                  {t('patientDelivery.eta')}: {shanghai(d.eta)}
                  {d.late ? ` · ${t('patientDelivery.late')}` : ''}
                </span>
              ) : null}
              {d.coldChain ? <span className="ml-2 text-stone-500">{t('patientDelivery.coldChain')}</span> : null}
            </p>
            {d.recipientCode ? (
              <div className="rounded-md border border-brand-100 bg-brand-50 p-4 text-center">
                <p className="text-stone-600">{t('patientDelivery.code')}</p>
                <p className="text-4xl font-semibold tracking-[0.3em]" data-testid="rx-patient-recipient-code">
                  {d.recipientCode}
                </p>
                <p className="mt-1 text-xs text-stone-500">{t('patientDelivery.codeHint')}</p>
              </div>
            ) : null}
            {d.steps.length > 0 ? (
              <div>
                <p className="mb-1 text-stone-600">{t('patientDelivery.steps')}</p>
                <ol className="space-y-1" data-testid="rx-patient-tracking-steps">
                  {d.steps.map((step, i) => (
                    <li key={i} className="flex justify-between gap-2">
                      <span>
                        {isShipmentStateKey(step.to) ? t(`delivery.states.${step.to}`) : (step.to ?? '')}
                        {step.description ? <span className="text-stone-500"> · {step.description}</span> : null}
                      </span>
                      <span className="shrink-0 text-stone-500">{shanghai(step.at)}</span>
                    </li>
                  ))}
                </ol>
              </div>
            ) : null}
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardContent className="pt-6">
          <ol className="space-y-2 text-sm" data-testid="rx-patient-steps">
            {s.steps.map((step, i) => (
              <li key={i} className="flex justify-between gap-2">
                <span>{label(step.status)}</span>
                <span className="text-stone-500">{shanghai(step.at)}</span>
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>
    </div>
  );
}
