import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { hasLocale, NextIntlClientProvider } from 'next-intl';
import { getMessages, setRequestLocale } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers.tsx';
import { AppShell } from '@/components/shell/app-shell.tsx';
import { routing } from '@/i18n/routing.ts';
import '../globals.css';

export const metadata: Metadata = {
  title: { default: '本草 Bencao', template: '%s · 本草 Bencao' },
  description: '中药材 B2B 平台：联盟集采、现货撮合、处方流转与配送追踪。',
};

export const dynamic = 'force-dynamic';

export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const messages = await getMessages();
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <body>
        <NextIntlClientProvider locale={locale} messages={messages}>
          <Providers locale={locale}>
            <AppShell locale={locale}>{children}</AppShell>
          </Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
