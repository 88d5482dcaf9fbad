import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { operatorAccess } from '../access.tsx';
import { AuditLogView } from './audit-log.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('operator.audit');
  return { title: t('title') };
}

/** The hash-chained audit log: filters, "load older" paging and chain verification. */
export default async function AuditPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const denied = await operatorAccess(locale, '/operator/audit', 'audit:read');
  if (denied) return denied;
  const t = await getTranslations('operator.audit');
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t('title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-stone-600">{t('intro')}</p>
      </div>
      <AuditLogView />
    </div>
  );
}
