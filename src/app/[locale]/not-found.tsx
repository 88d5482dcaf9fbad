import { getTranslations } from 'next-intl/server';
import { Link } from '@/i18n/navigation.ts';

export default async function NotFound() {
  const t = await getTranslations('common');
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-xl font-semibold" data-testid="not-found">
        {t('notFound')}
      </h1>
      <p className="mt-2 text-sm text-stone-600">{t('notFoundHint')}</p>
      <Link href="/" className="mt-6 inline-block text-brand-700 hover:underline">
        {t('backHome')}
      </Link>
    </div>
  );
}
