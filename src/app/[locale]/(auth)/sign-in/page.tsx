import { getTranslations } from 'next-intl/server';
import { AuthCard } from '@/components/auth/auth-card.tsx';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getTranslations('auth');
  const { next } = await searchParams;
  return <AuthCard mode="sign-in" next={next} footer={<p className="mt-4 text-xs text-stone-500">{t('demoHint')}</p>} />;
}
