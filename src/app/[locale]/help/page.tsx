import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import { ROLES } from '@/lib/permissions.ts';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('operator.help');
  return { title: t('metaTitle') };
}

const SECTIONS = ['what', 'onboarding', 'roles', 'api', 'legal', 'rx'] as const;
const JOBS = ['tenders', 'market', 'rx', 'delivery'] as const;
const STEPS = ['step1', 'step2', 'step3', 'step4', 'step5'] as const;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-6" data-testid={`help-${id}`}>
      <Card>
        <CardContent className="space-y-3 text-sm leading-relaxed text-stone-700">
          <h2 id={`${id}-title`} className="text-base font-semibold text-stone-900">
            {title}
          </h2>
          {children}
        </CardContent>
      </Card>
    </section>
  );
}

function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-stone-100 px-1.5 py-0.5 font-mono text-xs text-stone-900">{children}</code>;
}

/** Public help: what Bencao does, onboarding, roles, API access, the legal boundary of trading, prescription safety. */
export default async function HelpPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations('operator.help');
  const tc = await getTranslations('common');
  return (
    <article className="mx-auto max-w-3xl space-y-5" data-testid="help-page">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="text-stone-600">{t('intro')}</p>
      </header>

      <nav aria-label={t('toc')} className="rounded-lg border border-stone-200 bg-white px-5 py-3 text-sm">
        <p className="font-medium text-stone-900">{t('toc')}</p>
        <ol className="mt-2 grid list-decimal gap-1 pl-5 sm:grid-cols-2">
          {SECTIONS.map((s) => (
            <li key={s}>
              <a href={`#${s}`} className="text-brand-700 hover:underline">
                {t(`${s}.title`)}
              </a>
            </li>
          ))}
        </ol>
      </nav>

      <Section id="what" title={t('what.title')}>
        <p>{t('what.lead')}</p>
        <ol className="list-decimal space-y-2 pl-5">
          {JOBS.map((j) => (
            <li key={j}>{t(`what.${j}`)}</li>
          ))}
        </ol>
      </Section>

      <Section id="onboarding" title={t('onboarding.title')}>
        <ol className="list-decimal space-y-2 pl-5">
          {STEPS.map((s) => (
            <li key={s}>{t(`onboarding.${s}`)}</li>
          ))}
        </ol>
        <p>
          <Link href="/sign-up" className="text-brand-700 hover:underline">
            {tc('signUp')}
          </Link>
        </p>
      </Section>

      <Section id="roles" title={t('roles.title')}>
        <table className="w-full text-left" data-testid="help-roles">
          <thead className="border-b border-stone-200 text-xs text-stone-500">
            <tr>
              <th className="py-2 pr-4 font-medium">{t('roles.role')}</th>
              <th className="py-2 font-medium">{t('roles.may')}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {ROLES.map((role) => (
              <tr key={role} className="align-top">
                <td className="whitespace-nowrap py-2 pr-4 font-medium text-stone-900">{tc(`role.${role}`)}</td>
                <td className="py-2">{t(`roles.${role}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="api" title={t('api.title')}>
        <p>{t('api.lead')}</p>
        <p>{t('api.keys')}</p>
        <pre className="overflow-x-auto rounded-md bg-stone-900 px-4 py-3 font-mono text-xs text-stone-100">Authorization: Bearer &lt;key&gt;</pre>
        <p>
          {t('api.rest')} <Code>/api/v1</Code>
        </p>
        <p>
          {t('api.openapi')}{' '}
          <a href="/api/v1/openapi.json" className="font-mono text-xs text-brand-700 hover:underline">
            /api/v1/openapi.json
          </a>
        </p>
        <pre className="overflow-x-auto rounded-md bg-stone-900 px-4 py-3 font-mono text-xs text-stone-100">
          {'curl -H "Authorization: Bearer <key>" "https://<host>/api/v1/herbs?q=hq&limit=5"'}
        </pre>
        <p>{t('api.scope')}</p>
        <p>{t('api.units')}</p>
      </Section>

      <Section id="legal" title={t('legal.title')}>
        <p>{t('legal.lead')}</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>{t('legal.bilateral')}</li>
          <li>{t('legal.noResale')}</li>
          <li>{t('legal.noStandard')}</li>
          <li>{t('legal.noAnonymous')}</li>
        </ul>
        <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">{t('legal.law')}</p>
      </Section>

      <Section id="rx" title={t('rx.title')}>
        <ul className="list-disc space-y-1 pl-5">
          <li>{t('rx.review')}</li>
          <li>{t('rx.noDispenseFirst')}</li>
          <li>{t('rx.validity')}</li>
        </ul>
      </Section>

      <p className="text-sm text-stone-500">{t('contact')}</p>
    </article>
  );
}
