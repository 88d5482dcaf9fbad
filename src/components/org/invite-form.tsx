'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

type InviteRole = 'buyer' | 'sales' | 'pharmacist' | 'physician' | 'alliance_officer' | 'operator_admin';

export function InviteForm({ roles }: { roles: InviteRole[] }) {
  const t = useTranslations('org.members');
  const tc = useTranslations('common');
  const trpc = useTRPC();
  const router = useRouter();
  const [copied, setCopied] = useState(false);
  const invite = useMutation(trpc.orgs.invite.mutationOptions({ onSuccess: () => router.refresh() }));
  const { byField, message } = fieldErrorsOf(invite.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    setCopied(false);
    invite.mutate({ email: String(d.get('email') ?? ''), role: String(d.get('role')) as InviteRole });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-[1fr_14rem_auto] sm:items-end" aria-label={t('invite')}>
        <Field id="invite-email" label={t('email')} error={byField.email}>
          <Input id="invite-email" name="email" type="email" autoComplete="off" aria-invalid={Boolean(byField.email)} aria-describedby={byField.email ? 'invite-email-error' : undefined} />
        </Field>
        <Field id="invite-role" label={t('role')} error={byField.role}>
          <Select id="invite-role" name="role" defaultValue={roles[0]}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {tc(`role.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
        <SubmitButton disabled={invite.isPending}>
          {t('inviteSend')}
        </SubmitButton>
      </form>
      {message ? <Alert tone="danger">{message}</Alert> : null}
      {invite.data ? (
        <Alert tone="success" title={t('inviteLink')}>
          <div className="mt-2 flex items-center gap-2">
            <code className="flex-1 truncate rounded bg-white px-2 py-1 text-xs" data-testid="invite-link">
              {invite.data.url}
            </code>
            <Button
              size="sm"
              variant="outline"
              onClick={async () => {
                await navigator.clipboard?.writeText(invite.data.url).catch(() => undefined);
                setCopied(true);
              }}
            >
              {copied ? t('copied') : t('copy')}
            </Button>
          </div>
        </Alert>
      ) : null}
    </div>
  );
}
