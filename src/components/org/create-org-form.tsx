'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

const KINDS = ['pharmacy', 'hospital', 'supplier', 'grower', 'alliance'] as const;

export function CreateOrgForm() {
  const t = useTranslations('org.onboarding');
  const tc = useTranslations('common');
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(
    trpc.orgs.create.mutationOptions({
      onSuccess: () => {
        router.push('/dashboard');
        router.refresh();
      },
    }),
  );
  const { byField, message } = fieldErrorsOf(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    const num = (k: string) => {
      const raw = String(d.get(k) ?? '').trim();
      return raw === '' ? Number.NaN : Number(raw);
    };
    create.mutate({
      name: String(d.get('name') ?? ''),
      kind: String(d.get('kind')) as (typeof KINDS)[number],
      uscc: String(d.get('uscc') ?? ''),
      regionCode: String(d.get('regionCode') ?? ''),
      address: String(d.get('address') ?? ''),
      lat: num('lat'),
      lng: num('lng'),
    });
  }

  const input = (name: string, label: string, props: Record<string, unknown> = {}, hint?: string) => (
    <Field id={name} label={label} error={byField[name]} hint={hint}>
      <Input id={name} name={name} aria-invalid={Boolean(byField[name])} aria-describedby={byField[name] ? `${name}-error` : hint ? `${name}-hint` : undefined} {...props} />
    </Field>
  );

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label={t('title')}>
      {message ? (
        <div className="sm:col-span-2">
          <Alert tone="danger">{message}</Alert>
        </div>
      ) : null}
      <div className="sm:col-span-2">{input('name', t('name'), { autoComplete: 'organization', maxLength: 100 })}</div>
      <Field id="kind" label={t('kind')} error={byField.kind}>
        <Select id="kind" name="kind" defaultValue="pharmacy">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {tc(`kind.${k}`)}
            </option>
          ))}
        </Select>
      </Field>
      {input('uscc', t('uscc'), { maxLength: 20, spellCheck: false }, t('usccHint'))}
      {input('regionCode', t('regionCode'), { inputMode: 'numeric', maxLength: 6 }, t('regionHint'))}
      {input('address', t('address'), { autoComplete: 'street-address', maxLength: 200 })}
      {input('lat', t('lat'), { inputMode: 'decimal' }, t('coordsHint'))}
      {input('lng', t('lng'), { inputMode: 'decimal' })}
      <div className="sm:col-span-2">
        <SubmitButton disabled={create.isPending}>
          {t('submit')}
        </SubmitButton>
      </div>
    </form>
  );
}
