import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { serverApi } from '@/server/api/server-caller.ts';
import type { ProductForm, ProductGrade } from '@/server/domains/catalog/products.core.ts';
import type { LotTrace } from '@/server/domains/catalog/trace.service.ts';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('trace');
  return { title: t('title'), robots: { index: false } };
}

async function load(lotId: string): Promise<LotTrace> {
  try {
    return await (await serverApi()).trace.lot({ id: lotId });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
}

/** Public lot trace (no sign-in): grower → processing → seller, and the quality values against the pharmacopoeia. */
export default async function TracePage({ params }: { params: Promise<{ locale: string; lotId: string }> }) {
  const { locale, lotId } = await params;
  setRequestLocale(locale);
  const t = await getTranslations('trace');
  const tc = await getTranslations('catalog');
  const view = await load(lotId);
  const sellerKind = view.seller.kind as 'grower' | 'supplier' | 'pharmacy' | 'hospital' | 'alliance' | 'operator' | null;
  const steps = [
    {
      key: 'grower',
      title: t('grower'),
      body: view.grower.base ?? t('growerUnknown'),
      detail: view.grower.harvestDate ? `${t('harvestDate')}: ${view.grower.harvestDate}` : null,
    },
    {
      key: 'processing',
      title: t('processingTitle'),
      body: view.processingSteps.map((s) => t(`steps.${s}`)).join(' → '),
      detail: `${t('productionDate')}: ${view.productionDate}`,
    },
    {
      key: 'seller',
      title: t('seller'),
      body: view.seller.name,
      detail: [sellerKind ? t(`sellerKinds.${sellerKind}`) : null, view.seller.region].filter(Boolean).join(' · ') || null,
    },
  ];
  return (
    <div className="mx-auto max-w-3xl space-y-4" data-testid="trace-page">
      <PageHeader title={`${t('title')} · ${view.batchNo}`} intro={t('intro')} />

      <Card>
        <CardContent className="grid gap-3 pt-6 text-sm sm:grid-cols-2">
          <div>
            <div className="text-stone-500">{t('herb')}</div>
            <div className="font-medium">
              {view.herb.name} <span className="italic text-stone-500">{view.herb.latin}</span>
            </div>
          </div>
          <div>
            <div className="text-stone-500">{t('product')}</div>
            <div className="font-medium">{view.product.name}</div>
            <div className="text-stone-500">
              {tc(`forms.${view.product.form as ProductForm}`)} · {tc(`grades.${view.product.grade as ProductGrade}`)}
            </div>
          </div>
          <div>
            <div className="text-stone-500">{t('batchNo')}</div>
            <div className="font-mono" data-testid="trace-batch">
              {view.batchNo}
            </div>
          </div>
          <div>
            <div className="text-stone-500">{t('origin')}</div>
            <div>
              {view.product.origin} {view.product.daoDi ? <Badge tone="success">{t('daoDi')}</Badge> : null}
            </div>
          </div>
          <div>
            <div className="text-stone-500">{t('productionDate')}</div>
            <div>{view.productionDate}</div>
          </div>
          <div>
            <div className="text-stone-500">{t('expiryDate')}</div>
            <div>{view.expiryDate}</div>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('chain')}</CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="relative space-y-6 border-l-2 border-brand-200 pl-6" data-testid="trace-timeline">
            {steps.map((step, i) => (
              <li key={step.key} className="relative">
                <span className="absolute -left-[33px] flex h-6 w-6 items-center justify-center rounded-full bg-brand-600 text-xs text-white">{i + 1}</span>
                <div className="font-medium">{step.title}</div>
                <div className="text-sm">{step.body}</div>
                {step.detail ? <div className="text-sm text-stone-500">{step.detail}</div> : null}
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('quality')}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3">
          {view.missing.length > 0 ? <Alert tone="warning">{t('missingNotice', { items: view.missing.map((k) => t(`qualityKeys.${k}`)).join('、') })}</Alert> : null}
          <table className="w-full text-left text-sm" data-testid="trace-quality">
            <thead className="text-stone-500">
              <tr>
                <th className="py-2 font-medium">{t('item')}</th>
                <th className="py-2 font-medium">{t('value')}</th>
                <th className="py-2 font-medium">{t('limit')}</th>
                <th className="py-2 font-medium">{t('result')}</th>
              </tr>
            </thead>
            <tbody>
              {view.quality.map((q) => (
                <tr key={q.key} className="border-t border-stone-100">
                  <td className="py-2">
                    {t(`qualityKeys.${q.key}`)}
                    {q.limit?.marker ? t('marker', { marker: q.limit.marker }) : ''}
                  </td>
                  <td className="py-2">{q.value === null ? <span className="text-stone-400">{t('notReported')}</span> : `${q.value} ${q.unit}`}</td>
                  <td className="py-2">{q.limit ? t(q.limit.kind, { value: q.limit.value, unit: q.unit }) : t('noLimit')}</td>
                  <td className="py-2">
                    {q.meets === null ? t('notJudged') : q.meets ? <Badge tone="success">{t('meets')}</Badge> : <Badge tone="danger">{t('fails')}</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-xs text-stone-500">{t('limitNote')}</p>
          <p className="text-sm" data-testid="trace-report">
            {view.reportAttached ? t('reportAttached') : t('reportMissing')}
          </p>
        </CardContent>
      </Card>
    </div>
  );
}
