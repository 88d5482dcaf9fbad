'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useTRPC } from '@/lib/trpc-client.ts';
import { IMPORT_COLUMNS, type ImportStatus } from '@/server/domains/catalog/import.core.ts';

const TONE = { queued: 'neutral', running: 'warning', done: 'success', failed: 'danger' } as const;
const isLive = (status: string | undefined) => status === 'queued' || status === 'running';
/** A row error names the column as the file's header does (中文/English). */
const columnLabel = (field: string) => {
  const column = IMPORT_COLUMNS.find((c) => c.field === field);
  return column ? `${column.zh}/${column.field}` : field;
};

function ImportRow({ id }: { id: string }) {
  const t = useTranslations('trace.import');
  const trpc = useTRPC();
  const job = useQuery({
    ...trpc.imports.get.queryOptions({ id }),
    refetchInterval: (query) => (isLive(query.state.data?.status) ? 1000 : false),
  });
  const j = job.data;
  if (!j) return null;
  const pct = j.totalRows > 0 ? Math.round((100 * j.processedRows) / j.totalRows) : j.status === 'done' ? 100 : 0;
  const status = j.status as ImportStatus;
  return (
    <tr className="border-t border-stone-100 align-top" data-testid="import-row">
      <td className="py-2">
        <div>{j.fileName}</div>
        <div className="text-xs text-stone-500">{new Date(j.createdAt).toLocaleString()}</div>
      </td>
      <td className="py-2">
        <Badge tone={TONE[status] ?? 'neutral'}>{t(`statuses.${status}`)}</Badge>
        <div className="text-xs text-stone-500">{t(`modes.${j.mode as 'all_or_nothing' | 'valid_rows'}`)}</div>
      </td>
      <td className="w-48 py-2">
        <div className="h-2 w-full rounded bg-stone-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div className="h-2 rounded bg-brand-600 transition-all" style={{ width: `${pct}%` }} />
        </div>
        <div className="text-xs text-stone-500">
          {j.processedRows}/{j.totalRows}
        </div>
      </td>
      <td className="py-2">{j.okRows}</td>
      <td className="py-2" data-testid="import-error-count">
        {j.errorRows}
      </td>
      <td className="py-2 text-sm">
        {j.message ? <div className="text-cinnabar-500">{j.message}</div> : null}
        {j.errors.slice(0, 3).map((e) => (
          <div key={`${e.row}-${e.field}`} className="text-xs">
            {t('rowErrors', { row: e.row, field: columnLabel(e.field), message: e.message })}
          </div>
        ))}
        {j.errorRows > 0 || j.message ? (
          <a className="text-brand-700 hover:underline" href={`/api/imports/${j.id}/errors.csv`}>
            {t('download')}
          </a>
        ) : null}
      </td>
    </tr>
  );
}

export function ImportPanel() {
  const t = useTranslations('trace.import');
  const trpc = useTRPC();
  const client = useQueryClient();
  const list = useQuery(trpc.imports.list.queryOptions());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = await fetch('/api/imports', { method: 'POST', body: new FormData(form) });
      const body = (await res.json()) as { error?: { message: string } };
      if (!res.ok) setError(body.error?.message ?? res.statusText);
      else {
        setNotice(t('queued'));
        form.reset();
        await client.invalidateQueries({ queryKey: trpc.imports.list.queryKey() });
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Card>
        <CardContent className="pt-6">
          <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-3" data-testid="import-form" aria-label={t('title')}>
            {error ? (
              <div className="sm:col-span-3">
                <Alert tone="danger">{error}</Alert>
              </div>
            ) : null}
            {notice ? (
              <div className="sm:col-span-3">
                <Alert tone="success">{notice}</Alert>
              </div>
            ) : null}
            <Field id="file" label={t('file')}>
              <Input id="file" name="file" type="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
            </Field>
            <Field id="mode" label={t('mode')}>
              <Select id="mode" name="mode" defaultValue="all_or_nothing">
                <option value="all_or_nothing">{t('modeAll')}</option>
                <option value="valid_rows">{t('modeValid')}</option>
              </Select>
            </Field>
            <div className="flex items-end">
              <SubmitButton disabled={busy}>
                {busy ? t('uploading') : t('submit')}
              </SubmitButton>
            </div>
          </form>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('history')}</CardTitle>
        </CardHeader>
        <CardContent>
          {(list.data ?? []).length === 0 ? (
            <EmptyState title={t('empty')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="imports-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('fileName')}</th>
                  <th className="py-2 font-medium">{t('status')}</th>
                  <th className="py-2 font-medium">{t('progress')}</th>
                  <th className="py-2 font-medium">{t('okRows')}</th>
                  <th className="py-2 font-medium">{t('errorRows')}</th>
                  <th className="py-2 font-medium">{t('errors')}</th>
                </tr>
              </thead>
              <tbody>
                {(list.data ?? []).map((j) => (
                  <ImportRow key={j.id} id={j.id} />
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </>
  );
}
