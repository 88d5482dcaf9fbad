import { getTranslations } from 'next-intl/server';
import { Link } from '@/i18n/navigation.ts';

/** The legal boundary of the spot market, in one line, pointing at the help page's section. */
export async function MarketLegalNote() {
  const t = await getTranslations('market');
  return (
    <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900" data-testid="market-legal-note">
      {t('legal.note')}{' '}
      <Link href="/help#legal" className="font-medium underline" data-testid="market-legal-link">
        {t('legal.link')}
      </Link>
    </p>
  );
}
