import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import QRCode from 'qrcode';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import type { Permission } from '@/lib/permissions.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { appCarriers } from '@/server/integrations/carriers/carriers.ts';
import { EXPIRABLE_STATUSES, findRxTransition, isRxStatus, statusAfterDecoction, statusAfterDispensing } from '@/server/domains/prescriptions/prescriptions.core.ts';
import type { RxDetail } from '@/server/domains/prescriptions/prescriptions.service.ts';
import { isIneligibleKey, isTimelineNote, severityTone, shanghai, statusTone } from '../format.ts';
import { OffersBoard } from '../../pharmacy/offers-board.tsx';
import { RxActions } from './rx-actions.tsx';

/** One prescription: patient (minimal), items, flags and override, offers, checklist, decoction log, timeline. */
export default async function PrescriptionPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  const v = await requireOrgPage(locale, `/prescriptions/${id}`, 'rx:read');
  const t = await getTranslations('rx');
  let rx: RxDetail;
  try {
    rx = await (await serverApi()).prescriptions.detail({ id });
  } catch {
    notFound();
  }
  const statusLabel = (s: string) => (isRxStatus(s) ? t(`statuses.${s}`) : s);
  const status = isRxStatus(rx.status) ? rx.status : null;
  const hospital = rx.side === 'hospital';
  const may = (p: Permission) => v.permissions.includes(p);
  const open = status !== null && (EXPIRABLE_STATUSES as readonly string[]).includes(status);
  const can = {
    override: hospital && may('rx:sign') && status === 'screened' && rx.blocked && !rx.override,
    review: hospital && may('rx:review') && status === 'screened',
    // A blocked prescription is approved only after the physician's countersignature (rejecting it is open).
    approve: hospital && may('rx:review') && status === 'screened' && (!rx.blocked || Boolean(rx.override)),
    cancel: hospital && may('rx:sign') && open && status !== 'draft',
    routeAgain: hospital && status === 'approved' && rx.routingNote !== null,
    startDispensing: !hospital && may('rx:dispense') && status !== null && Boolean(findRxTransition(status, 'dispensing')),
    dispensing: !hospital && may('rx:dispense') && status === 'dispensing',
    decocting: !hospital && may('rx:dispense') && status === 'decocting',
    pickup: !hospital && may('rx:dispense') && status === 'ready',
    // A carrier's delivery completes a tracked prescription; the pharmacy confirms only untracked or returned ones.
    delivered: !hospital && may('rx:dispense') && status === 'shipped' && (!rx.shipment || rx.shipment.state === 'returned'),
  };
  const ships =
    !hospital && (can.dispensing || can.decocting) && rx.fulfilment === 'delivery'
      ? {
          afterDispensing: statusAfterDispensing(rx) === 'shipped',
          afterDecoction: statusAfterDecoction(rx) === 'shipped',
          options: {
            simulatedAvailable: appCarriers().config.simulatedAvailable,
            estimatedWeightG: rx.estimatedWeightG,
            estimate: rx.decoction && rx.decoctionBags ? { bags: rx.decoctionBags } : null,
            address: rx.deliveryAddress?.address ?? '',
            phoneMasked: rx.deliveryAddress?.phoneMasked ?? null,
          },
        }
      : null;
  const qr = rx.pickupCode && status === 'ready' ? await QRCode.toString(rx.pickupCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: 160 }) : null;
  const statusUrl = rx.statusToken ? `/rx/status/${rx.statusToken}` : null;
  const myOffer = !hospital && may('rx:dispense') ? rx.offers.find((o) => o.status === 'offered') : undefined;

  return (
    <div className="space-y-4">
      <PageHeader title={t('detailTitle', { id: rx.id })}>
        <Link href={hospital ? '/prescriptions' : '/pharmacy'} className="text-sm text-brand-700 hover:underline">
          {t('back')}
        </Link>
      </PageHeader>

      <Card>
        <CardContent className="grid gap-2 pt-6 text-sm sm:grid-cols-3">
          <div>
            {t('status')}: <Badge tone={statusTone(rx.status)} data-testid="rx-detail-status">{statusLabel(rx.status)}</Badge>
          </div>
          <div>
            {t('hospital')}: {rx.hospitalName} · {rx.physicianName}
          </div>
          <div>
            {t('pharmacy')}: {rx.pharmacy?.name ?? '—'}
          </div>
          <div>
            {t('patient')}: {rx.patient.name} · {t(`sex.${rx.patient.sex === 'M' ? 'M' : 'F'}`)} · {t('ageYears', { n: rx.patient.ageYears })}
            {rx.patient.pregnant ? ` · ${t('form.pregnant')}` : ''}
          </div>
          <div>
            {t('form.allergies')}: {rx.patient.allergies ?? '—'}
          </div>
          <div>
            {t('form.doses')}: {rx.doses} · {rx.usage}
          </div>
          <div>
            {rx.decoction ? t('decoctionBags', { bags: rx.decoctionBags ?? 0, ml: rx.decoctionMl ?? 0 }) : t('noDecoction')} · {t(`fulfilment.${rx.fulfilment === 'pickup' ? 'pickup' : 'delivery'}`)}
            {rx.storeName ? ` · ${rx.storeName}` : ''}
          </div>
          <div>
            {t('issuedAt')}: {shanghai(rx.issuedAt)}
          </div>
          <div>
            {t('expiresAt')}: {shanghai(rx.expiresAt)}
          </div>
          {rx.deliveryAddress ? (
            <div className="sm:col-span-3" data-testid="rx-delivery-address">
              {t('delivery.address')}: {rx.deliveryAddress.address}
              {rx.deliveryAddress.phoneMasked ? ` · ${t('delivery.phone')}: ${rx.deliveryAddress.phoneMasked}` : ''}
            </div>
          ) : null}
          {statusUrl ? (
            <div className="sm:col-span-3">
              {t('patientLink')}:{' '}
              <Link href={statusUrl} className="break-all text-brand-700 hover:underline" data-testid="rx-status-link">
                {statusUrl}
              </Link>
            </div>
          ) : null}
        </CardContent>
      </Card>

      {rx.shipment ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('delivery.title')}</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm" data-testid="rx-shipment">
            <span>
              {t('delivery.carrier')}: {rx.shipment.carrierName}
            </span>
            <span>
              {t('delivery.trackingNumber')}: <span className="font-mono">{rx.shipment.trackingNumber}</span>
            </span>
            <span>
              {t('delivery.state')}: <Badge tone={rx.shipment.state === 'delivered' ? 'success' : rx.shipment.state === 'exception' || rx.shipment.state === 'returned' ? 'danger' : 'info'}>{t(`delivery.states.${rx.shipment.state}`)}</Badge>
            </span>
            {rx.shipment.eta ? (
              <span>
                {t('delivery.eta')}: {shanghai(rx.shipment.eta)}
              </span>
            ) : null}
            {rx.shipment.coldChain ? <Badge tone="info">{t('delivery.coldChain')}</Badge> : null}
            {rx.shipment.hasExcursion ? <Badge tone="danger">{t('delivery.excursion')}</Badge> : null}
            <Link href={`/shipments/${rx.shipment.id}`} className="text-brand-700 hover:underline" data-testid="rx-shipment-link">
              {t('delivery.open')}
            </Link>
          </CardContent>
        </Card>
      ) : null}

      {rx.flags.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('flags.title')}</CardTitle>
          </CardHeader>
          <CardContent className="space-y-2 text-sm">
            {rx.flags.map((f, i) => (
              <div key={i} className="flex items-start gap-2" data-testid="rx-flag">
                <Badge tone={severityTone(f.severity)}>{t(`severity.${f.severity === 'block' ? 'block' : f.severity === 'warn' ? 'warn' : 'info'}`)}</Badge>
                <span>{f.message}</span>
              </div>
            ))}
            {rx.override ? (
              <Alert tone="success" title={t('overrideDone', { by: rx.override.by ?? '' })}>
                {rx.override.reason}
              </Alert>
            ) : rx.blocked ? (
              <Alert tone="warning">{t('flags.blockHint')}</Alert>
            ) : null}
          </CardContent>
        </Card>
      ) : null}

      {rx.routingNote ? (
        <Alert tone="warning" title={t('noPharmacy')}>
          <p>{t('routing.checked', { n: rx.routingNote.checked })}</p>
          <ul className="list-disc pl-5">
            {Object.entries(rx.routingNote.reasons).map(([k, n]) => (
              <li key={k}>
                {isIneligibleKey(k) ? t(`routing.reasons.${k}`) : k}: {n}
              </li>
            ))}
          </ul>
          {rx.routingNote.missingHerbs.length > 0 ? <p>{t('routing.missing', { herbs: rx.routingNote.missingHerbs.join('、') })}</p> : null}
        </Alert>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>{t('form.items')}</CardTitle>
        </CardHeader>
        <CardContent>
          <table className="w-full text-left text-sm" data-testid="rx-items-table">
            <thead className="text-stone-500">
              <tr>
                <th className="py-2 font-medium">{t('form.herb')}</th>
                <th className="py-2 pr-6 text-right font-medium">{t('form.grams')}</th>
                <th className="py-2 font-medium">{t('form.handling')}</th>
                <th className="py-2 font-medium">{t('dispensedBy')}</th>
                <th className="py-2 font-medium">{t('checkedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {rx.items.map((i) => (
                <tr key={i.id} className="border-t border-stone-100">
                  <td className="py-2">
                    {i.writtenName}
                    {i.writtenName !== i.herbName ? <span className="text-stone-400"> ({i.herbName})</span> : null}
                  </td>
                  <td className="py-2 pr-6 text-right">{i.grams} g</td>
                  <td className="py-2">{i.handling ?? '—'}</td>
                  <td className="py-2">{i.dispensed ? `${i.dispensed.by} · ${i.dispensed.grams} g` : '—'}</td>
                  <td className="py-2">{i.checked ? i.checked.by : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>

      {qr ? (
        <Card>
          <CardContent className="flex items-center gap-4 pt-6" data-testid="rx-pickup">
            {/* The SVG comes from the QR library, built from six digits. */}
            <div className="h-40 w-40" dangerouslySetInnerHTML={{ __html: qr }} />
            <div>
              <p className="text-sm text-stone-600">{t('actions.pickupCode')}</p>
              <p className="text-3xl font-semibold tracking-widest" data-testid="rx-pickup-code-value">
                {rx.pickupCode}
              </p>
            </div>
          </CardContent>
        </Card>
      ) : null}

      {myOffer ? (
        <Card>
          <CardContent className="pt-6">
            <OffersBoard offers={[{ offerId: myOffer.id, prescriptionId: rx.id, expiresAt: new Date(myOffer.expiresAt).toISOString(), hospitalName: rx.hospitalName, doses: rx.doses, decoction: rx.decoction, fulfilment: rx.fulfilment, km: myOffer.km }]} />
          </CardContent>
        </Card>
      ) : null}

      {Object.values(can).some(Boolean) ? (
        <Card>
          <CardContent className="pt-6">
            <RxActions
              id={rx.id}
              can={can}
              items={rx.items.map((i) => ({ id: i.id, label: `${i.writtenName} ${i.grams} g`, dispensed: i.dispensed !== null, checked: i.checked !== null, dispensedByMe: i.dispensed?.byUserId === v.user.id }))}
              ships={ships}
            />
          </CardContent>
        </Card>
      ) : null}

      {rx.offers.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('offers')}</CardTitle>
          </CardHeader>
          <CardContent>
            <table className="w-full text-left text-sm" data-testid="rx-offers-table">
              <tbody>
                {rx.offers.map((o) => (
                  <tr key={o.id} className="border-t border-stone-100">
                    <td className="py-2">#{o.round}</td>
                    <td className="py-2">{o.pharmacyName}</td>
                    <td className="py-2">{o.km.toFixed(1)} km</td>
                    <td className="py-2">{t(`offerStatuses.${o.status === 'accepted' || o.status === 'rejected' || o.status === 'expired' || o.status === 'withdrawn' ? o.status : 'offered'}`)}</td>
                    <td className="py-2">{o.reason ?? ''}</td>
                    <td className="py-2 text-right">{shanghai(o.offeredAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </CardContent>
        </Card>
      ) : null}

      {rx.decoctionSteps.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('decoctionLog')}</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="space-y-1 text-sm" data-testid="rx-decoction-log">
              {rx.decoctionSteps.map((s) => (
                <li key={s.id}>
                  {shanghai(s.at)} · {t(`steps.${s.step}`)}
                  {s.minutes !== null ? ` · ${t('minutes', { n: s.minutes })}` : ''}
                  {s.bags !== null ? ` · ${t('bags', { n: s.bags })}` : ''} · {s.by}
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>{t('timeline')}</CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="space-y-1 text-sm" data-testid="rx-timeline">
            {rx.timeline.map((e) => (
              <li key={e.id}>
                <span className="text-stone-500">{shanghai(e.at)}</span> · {e.from === e.to && e.note ? (isTimelineNote(e.note) ? t(`notes.${e.note}`) : e.note) : statusLabel(e.to)}
                {e.from !== e.to && e.note && isTimelineNote(e.note) ? ` (${t(`notes.${e.note}`)})` : ''}
                {e.reason ? ` — ${e.reason}` : ''}
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>
    </div>
  );
}
