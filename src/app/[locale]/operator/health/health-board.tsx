'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Link } from '@/i18n/navigation.ts';
import { cn } from '@/lib/cn.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import type { Probe } from '@/server/observability/health.core.ts';
import type { SystemHealth } from '@/server/observability/health.service.ts';
import { errorMessage, shanghaiDateTime } from '../format.ts';
import { JobsTable, type Feedback } from '../jobs/jobs-board.tsx';

type Tone = 'success' | 'warning' | 'danger';
const PROBE_TONES: Record<Probe['status'], Tone> = { ok: 'success', slow: 'warning', down: 'danger' };
const OVERALL_TONES: Record<SystemHealth['status'], Tone> = { ok: 'success', degraded: 'warning', down: 'danger' };
const OUTBOX_COLUMNS = ['pending', 'dispatched', 'failed', 'done'] as const;
const BULLMQ_COLUMNS = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export function HealthBoard() {
  const t = useTranslations('operator.health');
  const tc = useTranslations('operator.common');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const health = useQuery({ ...trpc.operator.systemHealth.queryOptions(), refetchInterval: 30_000 });
  const data = health.data;

  return (
    <div className="space-y-6">
      <Card className="flex flex-wrap items-center justify-between gap-3 px-5 py-4" data-testid="health-overall">
        <div className="flex flex-wrap items-center gap-3" aria-live="polite">
          <span className="text-sm text-stone-600">{t('overall.label')}</span>
          {data ? (
            <Badge tone={OVERALL_TONES[data.status]} className="px-3 py-1 text-sm" data-testid="health-status" data-status={data.status}>
              {t(`overall.${data.status}`)}
            </Badge>
          ) : (
            <span className="text-sm text-stone-500">{health.isPending ? tc('loading') : '—'}</span>
          )}
          {data ? <span className="text-xs tabular-nums text-stone-500">{t('checkedAt', { time: shanghaiDateTime(data.checkedAt) })}</span> : null}
        </div>
        <Button variant="outline" size="sm" data-testid="health-refresh" disabled={health.isFetching} onClick={() => void health.refetch()}>
          {health.isFetching ? t('checking') : t('refresh')}
        </Button>
      </Card>

      {health.error ? <Alert tone="danger">{t('loadError', { message: errorMessage(health.error) ?? '' })}</Alert> : null}

      {data ? (
        <>
          <Adapters health={data} />
          <QueueDepths health={data} />
        </>
      ) : null}

      <FailedJobs onChanged={() => queryClient.invalidateQueries(trpc.operator.systemHealth.pathFilter())} />
    </div>
  );
}

function Section({ id, title, intro, action, children }: { id: string; title: string; intro?: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id={id} className="text-base font-semibold">
            {title}
          </h2>
          {intro ? <p className="mt-0.5 max-w-3xl text-sm text-stone-600">{intro}</p> : null}
        </div>
        {action}
      </div>
      {children}
    </section>
  );
}

function Adapters({ health }: { health: SystemHealth }) {
  const t = useTranslations('operator.health');
  const { database, jobs, search, payments, carriers } = health;
  return (
    <Section id="health-adapters" title={t('adapters')}>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <AdapterCard testId="health-database" title={t('database.title')} probe={database}>
          <Row label={t('database.driver')}>{t(`database.${database.driver}`)}</Row>
          <Row label={t('database.version')}>{database.serverVersion ?? '—'}</Row>
        </AdapterCard>

        <AdapterCard testId="health-runner" title={t('runner.title')} probe={{ status: jobs.status, latencyMs: jobs.redis?.latencyMs ?? null, error: jobs.redis?.error ?? null }} showLatency={jobs.redis !== null}>
          <Row label={t('runner.kind')}>{t(`runner.${jobs.runner}`)}</Row>
          <Row label={t('runner.where')}>{jobs.inWebProcess ? t('runner.inWebProcess') : t('runner.workers')}</Row>
          <Row label={t('runner.redis')}>{jobs.redis ? <span className="font-mono text-xs">{jobs.redis.host}</span> : t('runner.noRedis')}</Row>
          <Row label={t('runner.oldestDue')}>{jobs.outbox?.oldestDueAt ? <span className="tabular-nums">{shanghaiDateTime(jobs.outbox.oldestDueAt)}</span> : t('runner.noneDue')}</Row>
        </AdapterCard>

        <AdapterCard testId="health-search" title={t('search.title')} probe={search}>
          <Row label={t('search.adapter')}>{t(`search.${search.adapter}`)}</Row>
          <Row label={t('search.documents')}>{search.documents === null ? '—' : search.documents.toLocaleString('zh-CN')}</Row>
        </AdapterCard>

        <AdapterCard testId="health-payments" title={t('payments.title')} probe={payments}>
          <Row label={t('payments.adapter')}>{t(`payments.${payments.adapter}`)}</Row>
          <Row label={t('payments.keyMode')}>
            <Badge tone={payments.keyMode === 'live' ? 'info' : 'neutral'}>{t(`payments.mode.${payments.keyMode}`)}</Badge>
          </Row>
          <Row label={t('payments.webhookSecret')}>{payments.webhookSecret ? t('payments.configured') : t('payments.notConfigured')}</Row>
          <Row label={t('payments.endpoint')}>
            <span className="break-all font-mono text-xs">{payments.endpoint}</span>
          </Row>
        </AdapterCard>

        <Card className="md:col-span-2 xl:col-span-2" data-testid="health-carriers">
          <CardHeader>
            <CardTitle>{t('carriers.title')}</CardTitle>
            <p className="mt-0.5 text-xs text-stone-500">{t('carriers.intro', { seconds: carriers.toleranceSeconds, days: carriers.windowDays })}</p>
          </CardHeader>
          <CardContent className="overflow-x-auto p-0">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('carriers.title')}</caption>
              <thead className="bg-stone-50 text-xs text-stone-500">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">{t('carriers.carrier')}</th>
                  <th scope="col" className="px-3 py-2 font-medium">{t('carriers.kind')}</th>
                  <th scope="col" className="px-3 py-2 font-medium">{t('carriers.offered')}</th>
                  <th scope="col" className="px-3 py-2 font-medium">{t('carriers.lastWebhook')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {carriers.adapters.map((c) => (
                  <tr key={c.code} data-testid="health-carrier" data-carrier={c.code}>
                    <th scope="row" className="px-5 py-2 font-medium">
                      {t(`carriers.names.${c.code as 'sf' | 'jd' | 'sim'}`)} <span className="font-mono text-xs text-stone-500">{c.code}</span>
                    </th>
                    <td className="px-3 py-2">{c.simulated ? t('carriers.simulated') : t('carriers.real')}</td>
                    <td className="px-3 py-2">{c.offered ? t('carriers.offeredYes') : t('carriers.offeredNo')}</td>
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                      {c.lastWebhookAt ? shanghaiDateTime(c.lastWebhookAt) : <span className="text-stone-500">{t('carriers.none', { days: carriers.windowDays })}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </CardContent>
        </Card>
      </div>
    </Section>
  );
}

/** One adapter: its status, the probe's latency and (when down) why, then its details. */
function AdapterCard({ testId, title, probe, showLatency = true, children }: { testId: string; title: string; probe: Probe; showLatency?: boolean; children: ReactNode }) {
  const t = useTranslations('operator.health');
  return (
    <Card data-testid={testId} data-status={probe.status}>
      <CardHeader className="flex items-center justify-between gap-2">
        <CardTitle>{title}</CardTitle>
        <Badge tone={PROBE_TONES[probe.status]}>{t(`status.${probe.status}`)}</Badge>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm">
          {children}
          {showLatency ? <Row label={t('latency')}>{probe.latencyMs === null ? '—' : <span className="tabular-nums">{t('latencyValue', { ms: probe.latencyMs })}</span>}</Row> : null}
        </dl>
        {probe.error ? (
          <p className="mt-3 break-words rounded-md bg-red-50 px-3 py-2 font-mono text-xs text-red-800" data-testid="health-error">
            <span className="sr-only">{t('error')}: </span>
            {probe.error}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-stone-500">{label}</dt>
      <dd className="min-w-0 text-stone-900">{children}</dd>
    </>
  );
}

function QueueDepths({ health }: { health: SystemHealth }) {
  const t = useTranslations('operator.health');
  const tj = useTranslations('operator.jobs');
  const { outbox, bullmq, runner, redis } = health.jobs;
  return (
    <Section id="health-queue" title={t('queue.title')} intro={t('queue.intro')}>
      {!outbox ? (
        <Alert tone="danger">{t('queue.unavailable')}</Alert>
      ) : outbox.byJob.length === 0 ? (
        <EmptyState title={t('queue.empty')} description={t('queue.emptyHint')} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full min-w-[640px] text-left text-sm" data-testid="health-queue-table">
            <caption className="sr-only">{t('queue.title')}</caption>
            <thead className="border-b border-stone-200 bg-stone-50 text-xs text-stone-500">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">{t('queue.job')}</th>
                {OUTBOX_COLUMNS.map((s) => (
                  <th key={s} scope="col" className="px-3 py-2 text-right font-medium">{tj(`status.${s}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {outbox.byJob.map((row) => (
                <tr key={row.job} data-testid="health-queue-row" data-job={row.job}>
                  <th scope="row" className="px-3 py-2 font-mono text-xs font-medium text-stone-900">{row.job}</th>
                  {OUTBOX_COLUMNS.map((s) => (
                    <td key={s} className={cn('px-3 py-2 text-right tabular-nums', row[s] === 0 && 'text-stone-400', s === 'failed' && row.failed > 0 && 'font-semibold text-cinnabar-500')}>
                      {row[s]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot className="border-t border-stone-200 bg-stone-50 font-medium">
              <tr>
                <th scope="row" className="px-3 py-2">{t('queue.total')}</th>
                {OUTBOX_COLUMNS.map((s) => (
                  <td key={s} className="px-3 py-2 text-right tabular-nums">{outbox.totals[s]}</td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {runner === 'bullmq' ? (
        <Card data-testid="health-bullmq">
          <CardHeader>
            <CardTitle>{t('queue.bullmq')}</CardTitle>
            <p className="mt-0.5 text-xs text-stone-500">{t('queue.bullmqIntro')}</p>
          </CardHeader>
          <CardContent>
            {bullmq ? (
              <dl className="grid grid-cols-3 gap-3 md:grid-cols-6">
                {BULLMQ_COLUMNS.map((s) => (
                  <div key={s}>
                    <dt className="text-xs text-stone-500">{t(`queue.bullmqState.${s}`)}</dt>
                    <dd className={cn('text-xl font-semibold tabular-nums', s === 'failed' && bullmq.failed > 0 && 'text-cinnabar-500')}>{bullmq[s]}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="text-sm text-stone-600">{redis?.status === 'down' ? t('queue.bullmqUnavailable') : '—'}</p>
            )}
          </CardContent>
        </Card>
      ) : null}
    </Section>
  );
}

function FailedJobs({ onChanged }: { onChanged: () => Promise<unknown> }) {
  const t = useTranslations('operator.health');
  const tj = useTranslations('operator.jobs');
  const tc = useTranslations('operator.common');
  const trpc = useTRPC();
  const [feedback, setFeedback] = useState<Feedback>(null);
  const failed = useQuery({ ...trpc.operator.jobs.queryOptions({ status: 'failed', limit: 20 }), refetchInterval: 30_000 });
  return (
    <Section
      id="health-failed"
      title={t('failed.title')}
      intro={t('failed.intro')}
      action={
        <Link href="/operator/jobs" className="text-sm text-brand-700 hover:underline">
          {t('failed.all')}
        </Link>
      }
    >
      {feedback ? (
        <div data-testid="jobs-feedback" data-tone={feedback.tone}>
          <Alert tone={feedback.tone}>{feedback.text}</Alert>
        </div>
      ) : null}
      {failed.error ? <Alert tone="danger">{tj('loadError', { message: errorMessage(failed.error) ?? '' })}</Alert> : null}
      {failed.isPending ? (
        <p className="text-sm text-stone-500">{tc('loading')}</p>
      ) : !failed.data || failed.data.jobs.length === 0 ? (
        <EmptyState title={t('failed.empty')} description={t('failed.emptyHint')} />
      ) : (
        <JobsTable jobs={failed.data.jobs} onFeedback={setFeedback} onChanged={onChanged} />
      )}
    </Section>
  );
}
