'use client';

import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useTRPC, useTRPCClient } from '@/lib/trpc-client.ts';
import { errorMessage, shanghaiDateTime } from '../format.ts';

const PAGE_SIZE = 50;

interface Filters {
  action?: string;
  entityType?: string;
  orgId?: string;
  /** Start the listing below this seq (e.g. to look at a broken row). */
  beforeSeq?: number;
}

const clean = (value: FormDataEntryValue | null): string | undefined => {
  const s = String(value ?? '').trim();
  return s === '' ? undefined : s;
};

export function AuditLogView() {
  const t = useTranslations('operator.audit');
  const tc = useTranslations('operator.common');
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [filters, setFilters] = useState<Filters>({});
  const [formKey, setFormKey] = useState(0);

  const log = useInfiniteQuery({
    queryKey: ['operator.auditLog.pages', filters],
    initialPageParam: filters.beforeSeq,
    queryFn: ({ pageParam }) =>
      client.operator.auditLog.query({ action: filters.action, entityType: filters.entityType, orgId: filters.orgId, beforeSeq: pageParam, limit: PAGE_SIZE }),
    getNextPageParam: (last) => (last.length < PAGE_SIZE ? undefined : last[last.length - 1]?.seq),
  });
  const verify = useMutation(trpc.operator.verifyAudit.mutationOptions());
  const rows = log.data?.pages.flat() ?? [];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    setFilters({ action: clean(d.get('action')), entityType: clean(d.get('entityType')), orgId: clean(d.get('orgId')) });
  }

  function reset() {
    setFilters({});
    setFormKey((k) => k + 1);
  }

  const report = verify.data;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start gap-3">
        <Button data-testid="audit-verify" variant="outline" disabled={verify.isPending} onClick={() => verify.mutate()}>
          {verify.isPending ? t('verifying') : t('verify')}
        </Button>
        <div className="min-w-0 flex-1" data-testid="audit-verify-result" data-ok={report ? String(report.ok) : undefined}>
          {verify.error ? <Alert tone="danger">{errorMessage(verify.error)}</Alert> : null}
          {report?.ok ? <Alert tone="success">{t('verifyOk', { rows: report.rows })}</Alert> : null}
          {report && !report.ok && report.firstBroken ? (
            <Alert tone="danger" title={t('verifyBrokenTitle')}>
              <p className="mt-1" data-testid="audit-broken" data-seq={report.firstBroken.seq}>
                {t('verifyBroken', {
                  seq: report.firstBroken.seq,
                  rows: report.rows,
                  id: report.firstBroken.id,
                  reason: t(`reason.${report.firstBroken.reason}`),
                })}
              </p>
              <Button
                size="sm"
                variant="link"
                className="h-auto px-0"
                data-testid="audit-show-broken"
                onClick={() => {
                  setFormKey((k) => k + 1);
                  setFilters({ beforeSeq: report.firstBroken!.seq + 1 });
                }}
              >
                {t('showBroken')}
              </Button>
            </Alert>
          ) : null}
        </div>
      </div>

      <form key={formKey} onSubmit={onSubmit} className="grid items-end gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-[1fr_1fr_1fr_auto]" aria-label={t('filters')} data-testid="audit-filters">
        <Field id="audit-action" label={t('action')}>
          <Input id="audit-action" name="action" defaultValue={filters.action} placeholder={t('actionPlaceholder')} maxLength={64} data-testid="audit-filter-action" />
        </Field>
        <Field id="audit-entity-type" label={t('entityType')}>
          <Input id="audit-entity-type" name="entityType" defaultValue={filters.entityType} placeholder={t('entityTypePlaceholder')} maxLength={64} data-testid="audit-filter-entity-type" />
        </Field>
        <Field id="audit-org" label={t('org')}>
          <Input id="audit-org" name="orgId" defaultValue={filters.orgId} placeholder={t('orgPlaceholder')} maxLength={64} spellCheck={false} data-testid="audit-filter-org" />
        </Field>
        <div className="flex gap-2">
          <SubmitButton data-testid="audit-filter-apply">
            {t('apply')}
          </SubmitButton>
          <Button variant="ghost" onClick={reset} data-testid="audit-filter-reset">
            {t('reset')}
          </Button>
        </div>
      </form>
      {filters.beforeSeq ? <p className="text-sm text-stone-500">{t('startingAt', { seq: filters.beforeSeq })}</p> : null}

      {log.error ? <Alert tone="danger">{errorMessage(log.error)}</Alert> : null}
      {log.isPending ? (
        <p className="text-sm text-stone-500">{tc('loading')}</p>
      ) : rows.length === 0 ? (
        <EmptyState title={t('empty')} description={t('emptyHint')} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full min-w-[1000px] text-left text-sm" data-testid="audit-table">
            <thead className="border-b border-stone-200 bg-stone-50 text-xs text-stone-500">
              <tr>
                <th className="px-3 py-2 text-right font-medium">{t('seq')}</th>
                <th className="px-3 py-2 font-medium">{t('time')}</th>
                <th className="px-3 py-2 font-medium">{t('action')}</th>
                <th className="px-3 py-2 font-medium">{t('entity')}</th>
                <th className="px-3 py-2 font-medium">{t('actor')}</th>
                <th className="px-3 py-2 font-medium">{t('org')}</th>
                <th className="px-3 py-2 font-medium">{t('hash')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {rows.map((row) => {
                const broken = report?.firstBroken?.seq === row.seq;
                return (
                  <tr key={row.seq} data-testid="audit-row" data-seq={row.seq} data-action={row.action} className={broken ? 'bg-red-50' : undefined}>
                    <td className="px-3 py-2 text-right font-mono tabular-nums">{row.seq}</td>
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">{shanghaiDateTime(row.at)}</td>
                    <td className="px-3 py-2 font-mono text-xs">{row.action}</td>
                    <td className="px-3 py-2">
                      <span className="text-stone-500">{row.entityType}</span>
                      <span className="block font-mono text-xs">{row.entityId}</span>
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">
                      {row.actorUserId ?? <span className="font-sans text-stone-400">{t('system')}</span>}
                      {row.actorOrgId ? <span className="block text-stone-500">{row.actorOrgId}</span> : null}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">
                      {row.orgId ? (
                        <button
                          type="button"
                          className="text-brand-700 hover:underline"
                          title={t('filterByOrg')}
                          onClick={() => {
                            setFormKey((k) => k + 1);
                            setFilters({ orgId: row.orgId ?? undefined });
                          }}
                        >
                          {row.orgId}
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs" title={row.hash}>
                      {row.hash.slice(0, 12)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 ? (
        <div className="flex justify-center">
          {log.hasNextPage ? (
            <Button variant="outline" data-testid="audit-load-older" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {t('loadOlder')}
            </Button>
          ) : (
            <p className="text-sm text-stone-500" data-testid="audit-no-more">
              {t('noMore')}
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}
