import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { AuthForm } from './auth-form.tsx';

/** The sign-in / sign-up page body: a card with the form; `next` is where to go afterwards. */
export async function AuthCard({ mode, next, footer }: { mode: 'sign-in' | 'sign-up'; next?: string; footer?: ReactNode }) {
  const t = await getTranslations('auth');
  return (
    <div className="mx-auto max-w-sm pt-8">
      <Card>
        <CardHeader>
          <CardTitle>
            <span role="heading" aria-level={1}>
              {mode === 'sign-in' ? t('signInTitle') : t('signUpTitle')}
            </span>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <AuthForm mode={mode} next={next} />
          {footer}
        </CardContent>
      </Card>
    </div>
  );
}
