import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import type { ReactNode } from 'react';
import { cache } from 'react';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';

type PageProps = { params: Promise<{ locale: string; id: string }> };

/** The herb, or null for an unknown id (one query per request, shared with the metadata). */
const loadHerb = cache(async (id: string) => {
  try {
    return await (await serverApi()).herbs.get({ id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) return null;
    throw error;
  }
});

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { id } = await params;
  const herb = await loadHerb(id);
  return herb ? { title: `${herb.name} ${herb.pinyin}` } : {};
}

const TOXICITY_TONE = { none: 'neutral', low: 'info', toxic: 'warning', high: 'danger' } as const;
const PREGNANCY_TONE = { contraindicated: 'danger', caution: 'warning', none: 'neutral' } as const;

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-stone-500">{label}</dt>
      <dd className="text-sm text-stone-900 sm:col-span-2" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** One herb: names, processed forms, clinical facts and the 十八反/十九畏 rules it is part of. */
export default async function HerbPage({ params }: PageProps) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  const herb = await loadHerb(id);
  if (!herb) notFound();
  const t = await getTranslations('herbs');
  const grams = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 3 });
  const category = t.has(`category.${herb.category}`) ? t(`category.${herb.category}`) : herb.category;
  const handlingLabel = (h: string | null) => (h ? (t.has(`handling.${h}`) ? t(`handling.${h}`) : h) : t('handling.none'));
  const handling = herb.handling && herb.handlingNote ? t('handling.withNote', { handling: handlingLabel(herb.handling), note: herb.handlingNote }) : handlingLabel(herb.handling);

  return (
    <article className="space-y-4" aria-labelledby="herb-heading">
      <Link href="/herbs" className="text-sm text-brand-700 hover:underline">
        ← {t('detail.back')}
      </Link>
      <header className="space-y-1">
        <h1 id="herb-heading" className="text-2xl font-semibold" lang="zh-CN" data-testid="herb-detail-heading">
          {herb.name}
        </h1>
        <p className="text-stone-600">
          <span>{herb.pinyin}</span>
          <span aria-hidden> · </span>
          <span className="italic" lang="la">
            {herb.latin}
          </span>
        </p>
        <div className="flex flex-wrap gap-2 pt-1">
          <Badge tone="neutral">{category}</Badge>
          <Badge tone={TOXICITY_TONE[herb.toxicity]}>{t(`toxicity.${herb.toxicity}`)}</Badge>
          {herb.pregnancy !== 'none' ? <Badge tone={PREGNANCY_TONE[herb.pregnancy]}>{t(`pregnancy.${herb.pregnancy}`)}</Badge> : null}
          {!herb.forDecoction ? <Badge tone="warning">{t('dose.notForDecoction')}</Badge> : null}
        </div>
      </header>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('detail.names')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="divide-y divide-stone-100">
              <Fact label={t('detail.standardName')}>
                <span lang="zh-CN">{herb.name}</span>
              </Fact>
              <Fact label={t('detail.pinyin')}>{herb.pinyin}</Fact>
              <Fact label={t('detail.initials')}>
                <span className="font-mono">{herb.initials}</span>
              </Fact>
              <Fact label={t('detail.latin')}>
                <span className="italic" lang="la">
                  {herb.latin}
                </span>
              </Fact>
              <Fact label={t('detail.aliases')} testId="herb-aliases">
                {herb.aliases.length ? <span lang="zh-CN">{herb.aliases.join('、')}</span> : <span className="text-stone-400">{t('detail.noAliases')}</span>}
              </Fact>
              {herb.base ? (
                <Fact label={t('detail.base')}>
                  {herb.base.id ? (
                    <Link href={`/herbs/${herb.base.id}`} className="text-brand-700 hover:underline" lang="zh-CN">
                      {herb.base.name}
                    </Link>
                  ) : (
                    <span lang="zh-CN">{herb.base.name}</span>
                  )}
                </Fact>
              ) : null}
            </dl>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>{t('detail.facts')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="divide-y divide-stone-100">
              <Fact label={t('detail.category')}>{category}</Fact>
              <Fact label={t('detail.toxicity')}>
                <Badge tone={TOXICITY_TONE[herb.toxicity]}>{t(`toxicity.${herb.toxicity}`)}</Badge>
              </Fact>
              <Fact label={t('detail.dose')} testId="herb-dose">
                {herb.doseMinG !== null && herb.doseMaxG !== null ? (
                  <>
                    <span className="tabular-nums">{t('dose.range', { min: grams.format(herb.doseMinG), max: grams.format(herb.doseMaxG) })}</span>
                    <p className="mt-1 text-xs text-stone-500">{t('detail.doseHint')}</p>
                  </>
                ) : (
                  t('dose.unknown')
                )}
              </Fact>
              <Fact label={t('detail.decoction')}>{herb.forDecoction ? t('detail.forDecoction') : t('detail.notForDecoction')}</Fact>
              <Fact label={t('detail.handling')}>{handling}</Fact>
              <Fact label={t('detail.pregnancy')}>
                {herb.pregnancy === 'none' ? t('pregnancy.none') : <Badge tone={PREGNANCY_TONE[herb.pregnancy]}>{t(`pregnancy.${herb.pregnancy}`)}</Badge>}
              </Fact>
              <Fact label={t('detail.source')}>
                <span lang="zh-CN">{herb.source}</span>
              </Fact>
            </dl>
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>{t('detail.processedForms')}</CardTitle>
        </CardHeader>
        <CardContent>
          {herb.processedForms.length === 0 ? (
            <p className="text-sm text-stone-500">{t('detail.noProcessedForms')}</p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="herb-processed-forms">
              <thead className="text-stone-500">
                <tr>
                  <th scope="col" className="py-2 font-medium">
                    {t('detail.formName')}
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    {t('detail.processing')}
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    {t('detail.formHandling')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {herb.processedForms.map((f) => (
                  <tr key={f.name} className="border-t border-stone-100">
                    <th scope="row" className="py-2 font-medium" lang="zh-CN">
                      {f.name}
                    </th>
                    <td className="py-2" lang="zh-CN">
                      {f.processing}
                    </td>
                    <td className="py-2">{handlingLabel(f.handling)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('detail.incompatibilities')}</CardTitle>
        </CardHeader>
        <CardContent>
          {herb.incompatibilities.length === 0 ? (
            <p className="text-sm text-stone-500">{t('detail.noIncompatibilities')}</p>
          ) : (
            <div className="space-y-3">
              <p className="text-sm text-stone-600">{t('detail.incompatibilitiesIntro')}</p>
              <ul className="space-y-3" data-testid="herb-incompatibilities">
                {herb.incompatibilities.map((rule) => (
                  <li key={rule.ruleId} className="rounded-md border border-red-100 bg-red-50/50 px-4 py-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <Badge tone="danger">{t(`detail.kind.${rule.kind}`)}</Badge>
                      <span className="text-sm font-medium" lang="zh-CN">
                        {rule.label}
                      </span>
                    </div>
                    <p className="mt-2 text-sm">
                      <span className="text-stone-500">{t('detail.partners')} </span>
                      {rule.partners.map((partner, i) => (
                        <span key={partner.name} lang="zh-CN">
                          {i > 0 ? '、' : ''}
                          {partner.id ? (
                            <Link href={`/herbs/${partner.id}`} className="text-brand-700 hover:underline">
                              {partner.name}
                            </Link>
                          ) : (
                            partner.name
                          )}
                        </span>
                      ))}
                    </p>
                    <p className="mt-1 text-xs text-stone-500" lang="zh-CN">
                      {rule.source}
                    </p>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </CardContent>
      </Card>
    </article>
  );
}
