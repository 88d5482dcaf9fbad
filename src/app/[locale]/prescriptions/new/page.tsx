import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { services } from '@/server/services.ts';
import { getOrgProfile } from '@/server/domains/orgs/orgs.repo.ts';
import { RxForm } from './rx-form.tsx';

/** A physician writes and signs a prescription. */
export default async function NewPrescriptionPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await requireOrgPage(locale, '/prescriptions/new', 'rx:sign');
  const t = await getTranslations('rx');
  const profile = await getOrgProfile((await services()).handle.db, v.activeOrg.id);
  return (
    <div className="space-y-4">
      <PageHeader title={t('newTitle')} intro={t('newIntro')} />
      <Card>
        <CardContent className="pt-6">
          <RxForm defaultLat={profile?.lat ?? 30.27} defaultLng={profile?.lng ?? 120.15} />
        </CardContent>
      </Card>
    </div>
  );
}
