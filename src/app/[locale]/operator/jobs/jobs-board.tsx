'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useHydrated } from '@/components/use-hydrated.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { cn } from '@/lib/cn.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import type { JobView } from '@/server/api/routers/operator/jobs.ts';
import { errorMessage, shanghaiDateTime } from '../format.ts';

const STATUSES = ['pending', 'dispatched', 'done', 'failed'] as const;
type JobStatus = (typeof STATUSES)[number];
export type Feedback = { tone: 'success' | 'danger'; text: string } | null;

const TONES: Record<JobStatus, 'info' | 'neutral' | 'success' | 'danger'> = { pending: 'info', dispatched: 'neutral', done: 'success', failed: 'danger' };
const isStatus = (value: string): value is JobStatus => (STATUSES as readonly string[]).includes(value);
const toneOf = (status: string) => (isStatus(status) ? TONES[status] : 'neutral');

export function JobsBoard() {
  const t = useTranslations('operator.jobs');
  const tc = useTranslations('operator.common');
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const [status, setStatus] = useState<JobStatus | undefined>(undefined);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const jobs = useQuery({ ...trpc.operator.jobs.queryOptions({ status, limit: 100 }), refetchInterval: 10_000 });
  const counts = jobs.data?.counts;

  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="jobs-counts">
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={status === s}
            disabled={!hydrated}
            data-testid={`jobs-count-${s}`}
            data-count={counts ? counts[s] : undefined}
            onClick={() => setStatus(status === s ? undefined : s)}
            className="text-left"
          >
            <Card className={cn('px-4 py-3 transition-colors hover:border-brand-600', status === s && 'border-brand-600 ring-1 ring-brand-600')}>
              <p className="text-xs text-stone-500">{t(`status.${s}`)}</p>
              <p className={cn('mt-1 text-2xl font-semibold tabular-nums', s === 'failed' && counts && counts.failed > 0 && 'text-cinnabar-500')}>
                {counts ? counts[s] : '—'}
              </p>
            </Card>
          </button>
        ))}
      </div>

      <div className="flex flex-wrap items-end gap-3">
        <label className="flex items-center gap-2 text-sm">
          <span className="text-stone-600">{t('filter')}</span>
          <Select
            className="w-40"
            data-testid="jobs-status-filter"
            value={status ?? ''}
            onChange={(e) => setStatus(STATUSES.find((s) => s === e.target.value))}
          >
            <option value="">{t('status.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </Select>
        </label>
        <Button variant="outline" size="sm" data-testid="jobs-refresh" disabled={jobs.isFetching} onClick={() => void jobs.refetch()}>
          {t('refresh')}
        </Button>
      </div>

      {feedback ? (
        <div data-testid="jobs-feedback" data-tone={feedback.tone}>
          <Alert tone={feedback.tone}>{feedback.text}</Alert>
        </div>
      ) : null}
      {jobs.error ? <Alert tone="danger">{t('loadError', { message: errorMessage(jobs.error) ?? '' })}</Alert> : null}

      {jobs.isPending ? (
        <p className="text-sm text-stone-500">{tc('loading')}</p>
      ) : !jobs.data || jobs.data.jobs.length === 0 ? (
        <EmptyState title={status ? t('emptyFiltered') : t('empty')} description={t('emptyHint')} />
      ) : (
        <JobsTable jobs={jobs.data.jobs} onFeedback={setFeedback} />
      )}
    </div>
  );
}

/** Jobs with their state, attempts and last error; failed ones get retry / discard. */
export function JobsTable({ jobs, onFeedback, onChanged }: { jobs: JobView[]; onFeedback: (f: Feedback) => void; onChanged?: () => Promise<unknown> }) {
  const t = useTranslations('operator.jobs');
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="w-full min-w-[1000px] text-left text-sm" data-testid="jobs-table">
        <thead className="border-b border-stone-200 bg-stone-50 text-xs text-stone-500">
          <tr>
            <th className="px-3 py-2 font-medium">{t('job')}</th>
            <th className="px-3 py-2 font-medium">{t('state')}</th>
            <th className="px-3 py-2 text-right font-medium">{t('attempts')}</th>
            <th className="px-3 py-2 font-medium">{t('runAt')}</th>
            <th className="px-3 py-2 font-medium">{t('createdAt')}</th>
            <th className="px-3 py-2 font-medium">{t('lastError')}</th>
            <th className="px-3 py-2 font-medium">{t('actions')}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} onFeedback={onFeedback} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function JobRow({ job, onFeedback, onChanged }: { job: JobView; onFeedback: (f: Feedback) => void; onChanged?: () => Promise<unknown> }) {
  const t = useTranslations('operator.jobs');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const refresh = () => Promise.all([queryClient.invalidateQueries(trpc.operator.jobs.pathFilter()), onChanged?.()]);
  const onError = (error: unknown) => onFeedback({ tone: 'danger', text: errorMessage(error) ?? '' });
  const retry = useMutation(
    trpc.operator.retryJob.mutationOptions({
      onSuccess: async (row) => {
        onFeedback({ tone: 'success', text: t('retried', { id: row.id }) });
        await refresh();
      },
      onError,
    }),
  );
  const discard = useMutation(
    trpc.operator.discardJob.mutationOptions({
      onSuccess: async (row) => {
        setConfirming(false);
        onFeedback({ tone: 'success', text: t('discarded', { id: row.id }) });
        await refresh();
      },
      onError,
    }),
  );
  const busy = retry.isPending || discard.isPending;
  const failed = job.status === 'failed';

  return (
    <tr data-testid="job-row" data-job-id={job.id} data-status={job.status} className="align-top">
      <td className="px-3 py-2">
        <span className="font-mono text-xs font-medium text-stone-900">{job.job}</span>
        <span className="block font-mono text-xs text-stone-500">{job.id}</span>
      </td>
      <td className="px-3 py-2">
        <Badge tone={toneOf(job.status)} data-testid="job-status">
          {isStatus(job.status) ? t(`status.${job.status}`) : job.status}
        </Badge>
      </td>
      <td className="px-3 py-2 text-right tabular-nums">
        {job.attempts} / {job.maxAttempts}
      </td>
      <td className="whitespace-nowrap px-3 py-2 tabular-nums">{shanghaiDateTime(job.runAt)}</td>
      <td className="whitespace-nowrap px-3 py-2 tabular-nums">{shanghaiDateTime(job.createdAt)}</td>
      <td className="max-w-md px-3 py-2">
        {job.lastError ? (
          <pre className="max-h-24 overflow-auto whitespace-pre-wrap break-words font-mono text-xs text-cinnabar-500" data-testid="job-last-error">
            {job.lastError}
          </pre>
        ) : (
          <span className="text-stone-400">—</span>
        )}
      </td>
      <td className="w-64 px-3 py-2">
        {failed ? (
          confirming ? (
            <div className="space-y-2">
              <label className="sr-only" htmlFor={`discard-note-${job.id}`}>
                {t('discardNote')}
              </label>
              <Input
                id={`discard-note-${job.id}`}
                data-testid="job-discard-note"
                value={note}
                maxLength={500}
                placeholder={t('discardNote')}
                disabled={busy}
                onChange={(e) => setNote(e.target.value)}
              />
              <div className="flex gap-2">
                <Button
                  size="sm"
                  variant="destructive"
                  data-testid="job-discard-confirm"
                  disabled={busy}
                  onClick={() => {
                    onFeedback(null);
                    discard.mutate({ id: job.id, note: note.trim() === '' ? undefined : note.trim() });
                  }}
                >
                  {t('discardConfirm')}
                </Button>
                <Button size="sm" variant="ghost" disabled={busy} onClick={() => setConfirming(false)}>
                  {t('cancel')}
                </Button>
              </div>
            </div>
          ) : (
            <div className="flex gap-2">
              <Button
                size="sm"
                data-testid="job-retry"
                disabled={busy}
                onClick={() => {
                  onFeedback(null);
                  retry.mutate({ id: job.id });
                }}
              >
                {t('retry')}
              </Button>
              <Button size="sm" variant="outline" data-testid="job-discard" disabled={busy} onClick={() => setConfirming(true)}>
                {t('discard')}
              </Button>
            </div>
          )
        ) : null}
      </td>
    </tr>
  );
}
