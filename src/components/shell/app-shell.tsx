import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Link } from '@/i18n/navigation.ts';
import { visibleNav } from '@/lib/navigation.core.ts';
import { viewer } from '@/server/api/server-caller.ts';
import { OrgSwitcher } from './org-switcher.tsx';
import { SignOutButton } from './sign-out-button.tsx';
import { LanguageLink } from './language-link.tsx';
import { NavLinks } from './nav-links.tsx';

/** Header with brand, role-aware navigation, organisation switcher, language and account. */
export async function AppShell({ children, locale }: { children: ReactNode; locale: string }) {
  const t = await getTranslations('common');
  const v = await viewer();
  const items = visibleNav(v.permissions, v.activeOrg?.kind ?? null).map((i) => ({ href: i.href, label: t(`nav.${i.key}`) }));
  const otherLocale = locale === 'zh' ? 'en' : 'zh';
  return (
    <div className="min-h-screen">
      <header className="border-b border-stone-200 bg-white">
        {/* On a phone the menu is a second row that scrolls sideways; from md it sits between the brand and the account. */}
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href={v.user ? '/dashboard' : '/'} className="flex shrink-0 items-center gap-2 text-lg font-semibold text-brand-700">
            <span aria-hidden className="grid size-8 place-items-center rounded-md bg-brand-600 text-white">本</span>
            <span>{t('brand')}</span>
          </Link>
          <nav
            aria-label={t('mainNav')}
            className="order-last -mx-4 flex w-full items-center gap-1 overflow-x-auto px-4 md:order-none md:mx-0 md:w-auto md:flex-1 md:flex-wrap md:overflow-visible md:px-0"
            data-testid="main-nav"
          >
            <NavLinks items={items} />
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
            {v.user ? (
              <>
                <OrgSwitcher
                  activeOrgId={v.activeOrg?.id ?? null}
                  orgs={v.memberships.map((m) => ({ id: m.orgId, name: m.name, kind: t(`kind.${m.kind}` as 'kind.pharmacy') }))}
                  labels={{ switchOrg: t('switchOrg'), noOrg: t('noOrg'), createOrg: t('createOrg') }}
                />
                <span className="hidden text-stone-600 md:inline" data-testid="user-name">
                  {v.user.name}
                </span>
                <SignOutButton label={t('signOut')} />
              </>
            ) : (
              <>
                <Link href="/sign-in" className="text-brand-700 hover:underline">
                  {t('signIn')}
                </Link>
                <Link href="/sign-up" className="rounded-md bg-brand-600 px-3 py-1.5 text-white hover:bg-brand-700">
                  {t('signUp')}
                </Link>
              </>
            )}
            <LanguageLink locale={otherLocale} label={t('language')} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
