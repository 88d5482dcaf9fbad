import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { TabLinks } from '@/components/ui/tab-links.tsx';
import { serverApi } from '@/server/api/server-caller.ts';
import { regionLabel } from '@/server/domains/orgs/identity.core.ts';
import { operatorAccess } from '../access.tsx';
import { shanghaiDate } from '../format.ts';
import { KybReview, type KybRow } from './kyb-review.tsx';

const STATUSES = ['pending', 'approved', 'rejected'] as const;
type KybStatus = (typeof STATUSES)[number];

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('operator.kyb');
  return { title: t('title') };
}

function statusOf(value: string | string[] | undefined): KybStatus {
  return STATUSES.find((s) => s === value) ?? 'pending';
}

/** KYB review queue: tabs per status; pending organisations are approved or rejected here. */
export default async function KybPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const denied = await operatorAccess(locale, '/operator/kyb', 'kyb:review');
  if (denied) return denied;

  const status = statusOf((await searchParams).status);
  const t = await getTranslations('operator.kyb');
  const orgs = await (await serverApi()).operator.kybQueue({ status });
  const rows: KybRow[] = orgs.map((o) => ({
    id: o.id,
    name: o.name,
    kind: o.kind,
    uscc: o.uscc,
    regionCode: o.regionCode,
    region: regionLabel(o.regionCode),
    address: o.address,
    submitted: shanghaiDate(o.createdAt),
  }));

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t('title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-stone-600">{t('intro')}</p>
      </div>
      <TabLinks
        label={t('title')}
        testId="kyb-tabs"
        tabs={STATUSES.map((s) => ({ key: s, href: { pathname: '/operator/kyb', query: { status: s } }, label: t(`tabs.${s}`), current: s === status, testId: `kyb-tab-${s}` }))}
      />
      <KybReview status={status} rows={rows} />
    </div>
  );
}
