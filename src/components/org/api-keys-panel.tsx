'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useFormatter, useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

export function ApiKeysPanel() {
  const t = useTranslations('org.apiKeys');
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.orgs.apiKeys.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.orgs.apiKeys.queryKey() });
  const create = useMutation(trpc.orgs.createApiKey.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.orgs.revokeApiKey.mutationOptions({ onSuccess: refresh }));
  const { byField, message } = fieldErrorsOf(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    create.mutate({ name: String(d.get('name') ?? '') });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3" aria-label={t('create')}>
        <div className="min-w-64 flex-1">
          <Field id="key-name" label={t('name')} error={byField.name}>
            <Input id="key-name" name="name" maxLength={64} placeholder="HIS" aria-invalid={Boolean(byField.name)} />
          </Field>
        </div>
        <SubmitButton disabled={create.isPending}>
          {t('create')}
        </SubmitButton>
      </form>
      {message ? <Alert tone="danger">{message}</Alert> : null}
      {create.data ? (
        <Alert tone="warning" title={t('shownOnce')}>
          <code className="mt-2 block break-all rounded bg-white px-2 py-1 text-xs" data-testid="new-api-key">
            {create.data.key}
          </code>
        </Alert>
      ) : null}
      {keys.data && keys.data.length === 0 ? (
        <EmptyState title={t('empty')} description={t('emptyHint')} />
      ) : (
        <table className="w-full text-left text-sm" data-testid="api-keys-table">
          <thead className="text-stone-500">
            <tr>
              <th className="py-2 font-medium">{t('name')}</th>
              <th className="py-2 font-medium">{t('start')}</th>
              <th className="py-2 font-medium">{t('created')}</th>
              <th className="py-2 font-medium">{t('lastUsed')}</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody>
            {(keys.data ?? []).map((k) => (
              <tr key={k.id} className="border-t border-stone-100">
                <td className="py-2">{k.name}</td>
                <td className="py-2 font-mono">{k.start ? `${k.start}…` : '—'}</td>
                <td className="py-2">{format.dateTime(new Date(k.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}</td>
                <td className="py-2">{k.lastRequest ? format.dateTime(new Date(k.lastRequest), { dateStyle: 'medium', timeStyle: 'short' }) : t('never')}</td>
                <td className="py-2 text-right">
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(t('revokeConfirm'))) revoke.mutate({ id: k.id });
                    }}
                  >
                    {t('revoke')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
