import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { PageHeader } from '@/components/ui/page-header.tsx';
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
      <PageHeader title={t('title')} intro={t('intro')} />
      <AuditLogView />
    </div>
  );
}
