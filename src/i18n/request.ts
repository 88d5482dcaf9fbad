import { hasLocale } from 'next-intl';
import { getRequestConfig } from 'next-intl/server';
import { routing } from './routing.ts';

/** Message files, one per area, under messages/<locale>/<namespace>.json. */
export const NAMESPACES = ['common', 'auth', 'org', 'operator', 'herbs', 'dashboard', 'catalog', 'trace', 'orders', 'tenders', 'rx', 'shipments', 'market'] as const;

export async function loadMessages(locale: string): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  return { locale, timeZone: 'Asia/Shanghai', messages: await loadMessages(locale) };
});
