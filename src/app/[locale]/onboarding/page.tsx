import { getTranslations } from 'next-intl/server';
import { CreateOrgForm } from '@/components/org/create-org-form.tsx';
import { Card, CardContent, CardHeader } from '@/components/ui/card.tsx';
import { redirect } from '@/i18n/navigation.ts';
import { viewer } from '@/server/api/server-caller.ts';

export default async function OnboardingPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await viewer();
  if (!v.user) redirect({ href: { pathname: '/sign-in', query: { next: '/onboarding' } }, locale });
  const t = await getTranslations('org.onboarding');
  return (
    <div className="mx-auto max-w-2xl">
      <Card>
        <CardHeader>
          <h1 className="text-lg font-semibold">{t('title')}</h1>
          <p className="mt-1 text-sm text-stone-600">{t('intro')}</p>
        </CardHeader>
        <CardContent>
          <CreateOrgForm />
        </CardContent>
      </Card>
    </div>
  );
}
