import { TRPCError } from '@trpc/server';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { partyMoves } from '@/server/domains/delivery/party-moves.core.ts';
import { CARRIER_STATUS_TYPES, COLD_CHAIN_MAX_C, COLD_CHAIN_MIN_C } from '@/server/domains/delivery/shipments.core.ts';
import { kg, shanghai } from '../../orders/format.ts';
import { ShipmentFlags, ShipmentStateBadge } from '../shipment-badges.tsx';
import { ShipmentLive } from './live-refresh.tsx';
import { ShipmentActions } from './shipment-actions.tsx';
import { TemperatureChart } from './temperature-chart.tsx';

/** Timeline types with a label: the carrier's status events, readings, unmapped codes and the parties' decisions. */
const KNOWN_EVENT_TYPES = new Set<string>([...CARRIER_STATUS_TYPES, 'temperature', 'unknown', 'report_exception', 'redeliver', 'return', 'created']);
const KNOWN_IGNORED = new Set(['stale', 'not_allowed', 'final', 'recipient_check_failed', 'informational', 'unknown_code']);

/** One shipment for a party: facts, live timeline, cold-chain chart and alerts, proof of delivery, decisions. */
export default async function ShipmentPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  await requireOrgPage(locale, `/shipments/${id}`, 'shipment:read');
  const t = await getTranslations('shipments');
  const s = await (await serverApi()).shipments.get({ id }).catch((error: unknown) => {
    // Not a party (or no such shipment): the page does not reveal which.
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
    throw error;
  });
  // The issuing hospital acts for its patient, who has no account (as the service does).
  const actingAs = s.side === 'observer' ? 'receiver' : s.side;
  const moves = partyMoves(s.state, actingAs);
  const fact = (label: string, value: ReactNode, testId?: string) => (
    <div>
      <dt className="text-stone-500">{label}</dt>
      <dd className="break-words [overflow-wrap:anywhere]" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
  const eventLabel = (type: string) => (KNOWN_EVENT_TYPES.has(type) ? t(`eventTypes.${type}` as 'eventTypes.created') : type);
  const excursions = s.alerts.filter((a) => a.kind === 'temperature_excursion');

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">{t('detailTitle', { tracking: s.trackingNumber })}</h1>
          <Link href="/shipments" className="text-sm text-brand-700 hover:underline">
            {t('back')}
          </Link>
        </div>
        <ShipmentLive id={s.id} />
      </div>

      {excursions.map((a) => (
        <Alert key={a.id} tone="danger">
          <span data-testid="shipment-temperature-alert">
            <strong>{t('temperature.alertTitle')}</strong>{' '}
            {t('temperature.alertBody', { from: shanghai(a.startedAt), readings: a.readings, min: a.minCelsius ?? '—', max: a.maxCelsius ?? '—' })}
          </span>
        </Alert>
      ))}

      <Card>
        <CardContent className="pt-6">
          <div className="mb-4 flex flex-wrap items-center gap-2">
            <ShipmentStateBadge state={s.state} label={t(`states.${s.state}`)} />
            {s.exceptionReason ? <span className="text-sm text-cinnabar-500">{t(`exceptionReasons.${s.exceptionReason}` as 'exceptionReasons.other')}</span> : null}
            <ShipmentFlags shipment={s} labels={{ late: t('badges.late'), coldChain: t('badges.coldChain'), excursion: t('badges.excursion'), return: t('badges.return') }} />
          </div>
          <dl className="grid gap-3 text-sm sm:grid-cols-3">
            {fact(t('facts.carrier'), `${s.carrierName} · ${s.trackingNumber}`)}
            {fact(t('facts.parcels'), `${s.parcels} · ${kg(s.weightG)}`)}
            {fact(t('facts.eta'), s.eta ? shanghai(s.eta) : '—')}
            {fact(t('facts.from'), `${s.sender.name}（${s.fromAddress.address}）`)}
            {fact(t('facts.to'), `${s.receiver.name}（${s.toAddress.address}）`)}
            {fact(t('facts.attempts'), s.deliveryAttempts)}
            {s.orderId ? fact(t('facts.order'), <Link href={`/orders/${s.orderId}`} className="text-brand-700 hover:underline">{s.orderId}</Link>) : null}
            {s.prescriptionId ? fact(t('facts.prescription'), <Link href={`/prescriptions/${s.prescriptionId}`} className="text-brand-700 hover:underline">{s.prescriptionId}</Link>) : null}
            {s.recipientCheck ? fact(t('facts.recipientCheck'), t('facts.recipientCheckValue'), 'shipment-recipient-check') : null}
          </dl>
        </CardContent>
      </Card>

      {s.coldChain ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('temperature.title')}</CardTitle>
          </CardHeader>
          <CardContent>
            {s.temperatures.length === 0 ? (
              <p className="text-sm text-stone-500">{t('temperature.none')}</p>
            ) : (
              <TemperatureChart readings={s.temperatures} minC={COLD_CHAIN_MIN_C} maxC={COLD_CHAIN_MAX_C} labels={{ series: t('temperature.series'), band: t('temperature.band') }} />
            )}
          </CardContent>
        </Card>
      ) : null}

      {s.pod ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('pod.title')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-3 text-sm sm:grid-cols-4" data-testid="shipment-pod">
              {fact(t('pod.signer'), s.pod.signer ?? '—')}
              {fact(t('pod.at'), shanghai(s.pod.at))}
              {fact(t('pod.photo'), s.pod.photoRef ?? '—')}
              {fact(t('pod.check'), s.pod.check ? t(`pod.checks.${s.pod.check}` as 'pod.checks.code') : '—')}
            </dl>
          </CardContent>
        </Card>
      ) : null}

      {moves.reportException || moves.redeliver || moves.return ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('actions.title')}</CardTitle>
          </CardHeader>
          <CardContent>
            <ShipmentActions id={s.id} side={actingAs} moves={moves} reasons={moves.reasons} />
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>{t('timeline')}</CardTitle>
        </CardHeader>
        <CardContent>
          {s.timeline.length === 0 ? (
            <p className="text-sm text-stone-500">{t('noEvents')}</p>
          ) : (
            <ol className="space-y-2 text-sm" data-testid="shipment-timeline">
              {[...s.timeline].reverse().map((e) => (
                <li key={e.id} className={`flex flex-wrap gap-x-3 ${e.applied ? '' : 'text-stone-400'}`} data-testid="shipment-event" data-type={e.type} data-applied={e.applied}>
                  <span className="w-32 shrink-0 tabular-nums text-stone-500">{shanghai(e.at)}</span>
                  <span className="font-medium">{eventLabel(e.type)}</span>
                  {e.location ? <span>{e.location}</span> : null}
                  {e.description ? <span className="text-stone-600">{e.description}</span> : null}
                  {!e.applied && e.ignoredReason && KNOWN_IGNORED.has(e.ignoredReason) && e.ignoredReason !== 'informational' ? <span className="text-xs">（{t(`ignored.${e.ignoredReason}` as 'ignored.stale')}）</span> : null}
                </li>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
