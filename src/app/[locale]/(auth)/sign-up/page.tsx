import { getTranslations } from 'next-intl/server';
import { AuthForm } from '@/components/auth/auth-form.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getTranslations('auth');
  const { next } = await searchParams;
  return (
    <div className="mx-auto max-w-sm pt-8">
      <Card>
        <CardHeader>
          <CardTitle>
            <span role="heading" aria-level={1}>
              {t('signUpTitle')}
            </span>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <AuthForm mode="sign-up" next={next} />
        </CardContent>
      </Card>
    </div>
  );
}
