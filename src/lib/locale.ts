export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh';

export function isLocale(value: string | undefined | null): value is Locale {
  return value === 'zh' || value === 'en';
}

/** The caller's language: explicit header, then the UI's locale cookie, then Accept-Language; zh by default. */
export function localeFromHeaders(headers: Headers): Locale {
  const explicit = headers.get('x-bencao-locale');
  if (isLocale(explicit)) return explicit;
  const cookie = headers.get('cookie') ?? '';
  const match = /(?:^|;\s*)NEXT_LOCALE=(zh|en)\b/.exec(cookie);
  if (match && isLocale(match[1])) return match[1];
  const accept = (headers.get('accept-language') ?? '').toLowerCase();
  if (accept.startsWith('en')) return 'en';
  return DEFAULT_LOCALE;
}
