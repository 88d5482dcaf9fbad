'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Alert } from '@/components/ui/alert.tsx';
import { Link, useRouter } from '@/i18n/navigation.ts';
import { authClient } from '@/lib/auth-client.ts';

type Mode = 'sign-in' | 'sign-up';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Email + password sign-in / sign-up with inline field errors; `next` is where to go afterwards. */
export function AuthForm({ mode, next }: { mode: Mode; next?: string }) {
  const t = useTranslations('auth');
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const name = String(data.get('name') ?? '').trim();
    const found: Record<string, string> = {};
    if (!EMAIL.test(email)) found.email = t('invalidEmail');
    if (password.length < 8) found.password = t('passwordShort');
    if (mode === 'sign-up' && !name) found.name = t('nameRequired');
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setPending(true);
    const result = mode === 'sign-in' ? await authClient.signIn.email({ email, password }) : await authClient.signUp.email({ email, password, name });
    setPending(false);
    if (result.error) {
      const status = result.error.status;
      if (status === 429) setFormError(t('tooMany'));
      else if (mode === 'sign-up' && (status === 422 || /exist/i.test(result.error.message ?? ''))) setFormError(t('emailTaken'));
      else setFormError(mode === 'sign-in' ? t('failed') : (result.error.message ?? t('failed')));
      return;
    }
    router.push(next && next.startsWith('/') && !next.startsWith('//') ? next : mode === 'sign-up' ? '/onboarding' : '/dashboard');
    router.refresh();
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label={mode === 'sign-in' ? t('signInTitle') : t('signUpTitle')}>
      {formError ? <Alert tone="danger">{formError}</Alert> : null}
      {mode === 'sign-up' ? (
        <Field id="name" label={t('name')} error={errors.name}>
          <Input id="name" name="name" autoComplete="name" aria-invalid={Boolean(errors.name)} aria-describedby={errors.name ? 'name-error' : undefined} />
        </Field>
      ) : null}
      <Field id="email" label={t('email')} error={errors.email}>
        <Input id="email" name="email" type="email" autoComplete="email" aria-invalid={Boolean(errors.email)} aria-describedby={errors.email ? 'email-error' : undefined} />
      </Field>
      <Field id="password" label={t('password')} error={errors.password} hint={mode === 'sign-up' ? t('passwordHint') : undefined}>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          aria-invalid={Boolean(errors.password)}
          aria-describedby={errors.password ? 'password-error' : undefined}
        />
      </Field>
      <SubmitButton className="w-full" disabled={pending}>
        {mode === 'sign-in' ? t('signIn') : t('signUp')}
      </SubmitButton>
      <p className="text-center text-sm text-stone-600">
        {mode === 'sign-in' ? t('noAccount') : t('haveAccount')}{' '}
        <Link href={{ pathname: mode === 'sign-in' ? '/sign-up' : '/sign-in', query: next ? { next } : {} }} className="text-brand-700 hover:underline">
          {mode === 'sign-in' ? t('signUp') : t('signIn')}
        </Link>
      </p>
    </form>
  );
}
