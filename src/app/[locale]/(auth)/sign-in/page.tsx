import { getTranslations } from 'next-intl/server';
import { AuthForm } from '@/components/auth/auth-form.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getTranslations('auth');
  const { next } = await searchParams;
  return (
    <div className="mx-auto max-w-sm pt-8">
      <Card>
        <CardHeader>
          <CardTitle>
            <span role="heading" aria-level={1}>
              {t('signInTitle')}
            </span>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <AuthForm mode="sign-in" next={next} />
          <p className="mt-4 text-xs text-stone-500">{t('demoHint')}</p>
        </CardContent>
      </Card>
    </div>
  );
}
