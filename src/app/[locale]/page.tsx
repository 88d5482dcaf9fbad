import { getTranslations, setRequestLocale } from 'next-intl/server';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';

const FEATURES = ['tenders', 'market', 'rx', 'delivery'] as const;

export default async function LandingPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations('common.landing');
  return (
    <div className="space-y-10 py-6">
      <section className="rounded-xl bg-gradient-to-br from-brand-700 to-brand-500 px-8 py-12 text-white">
        <h1 className="text-3xl font-semibold">{t('headline')}</h1>
        <p className="mt-3 max-w-2xl text-brand-50">{t('sub')}</p>
        <div className="mt-6 flex gap-3">
          <Link href="/sign-up" className="rounded-md bg-white px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50">
            {t('start')}
          </Link>
          <Link href="/herbs" className="rounded-md border border-white/60 px-4 py-2 text-sm font-medium hover:bg-white/10">
            {t('browse')}
          </Link>
        </div>
      </section>
      <section className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {FEATURES.map((f) => (
          <Card key={f}>
            <CardContent>
              <h2 className="font-semibold text-brand-700">{t(`features.${f}.0`)}</h2>
              <p className="mt-2 text-sm text-stone-600">{t(`features.${f}.1`)}</p>
            </CardContent>
          </Card>
        ))}
      </section>
    </div>
  );
}
