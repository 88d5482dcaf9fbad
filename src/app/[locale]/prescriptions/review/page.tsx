import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { severityTone, shanghai } from '../format.ts';

/** 审方 queue: screened prescriptions of the hospital, flags highlighted, oldest first. */
export default async function ReviewQueuePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/prescriptions/review', 'rx:review');
  const t = await getTranslations('rx');
  const rows = await (await serverApi()).prescriptions.reviewQueue();
  return (
    <div className="space-y-4">
      <PageHeader title={t('reviewTitle')} intro={t('reviewIntro')} />
      {rows.length === 0 ? (
        <EmptyState title={t('reviewEmpty')} />
      ) : (
        rows.map((r) => (
          <Card key={r.id} data-testid="rx-review-row" data-rx-id={r.id}>
            <CardContent className="space-y-2 pt-6 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <Link href={`/prescriptions/${r.id}`} className="font-medium text-brand-700 hover:underline">
                  {r.id}
                </Link>
                <span>
                  {r.patientName} · {t(`sex.${r.patientSex === 'M' ? 'M' : 'F'}`)} · {t('ageYears', { n: r.patientAgeYears })}
                  {r.patientPregnant ? ` · ${t('form.pregnant')}` : ''}
                </span>
                <span className="text-stone-500">
                  {t('form.doses')} {r.doses} · {shanghai(r.issuedAt)}
                </span>
                {r.blocked ? <Badge tone={r.overridden ? 'success' : 'danger'}>{r.overridden ? t('overridden') : t('needsOverride')}</Badge> : null}
              </div>
              <p>{r.items.map((i) => `${i.writtenName} ${i.grams}g${i.handling ? `(${i.handling})` : ''}`).join('，')}</p>
              {r.flags.map((f, i) => (
                <div key={i} className="flex items-start gap-2">
                  <Badge tone={severityTone(f.severity)}>{t(`severity.${f.severity === 'block' ? 'block' : f.severity === 'warn' ? 'warn' : 'info'}`)}</Badge>
                  <span>{f.message}</span>
                </div>
              ))}
              {r.overrideReason ? <p className="text-stone-600">{t('overrideReason')}: {r.overrideReason}</p> : null}
            </CardContent>
          </Card>
        ))
      )}
    </div>
  );
}
