'use client';

import { Link, usePathname } from '@/i18n/navigation.ts';

/** The page being read, in the other language (its path without the locale prefix, kept as it is). */
export function LanguageLink({ locale, label }: { locale: string; label: string }) {
  const pathname = usePathname();
  return (
    <Link href={pathname} locale={locale} className="shrink-0 text-stone-500 hover:text-stone-900" hrefLang={locale} data-testid="language-link">
      {label}
    </Link>
  );
}
