import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { shanghai } from './format.ts';
import { InvitationsPanel } from './invitations-panel.tsx';
import { MembersPanel } from './members-panel.tsx';

export default async function TendersPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await requireOrgPage(locale, '/tenders');
  if (!(['tender:manage', 'tender:demand', 'tender:bid'] as const).some((p) => v.permissions.includes(p))) notFound();
  const t = await getTranslations('tenders');
  const api = await serverApi();
  const { role, tenders } = await api.tenders.list();
  const officer = role === 'officer' && v.permissions.includes('tender:manage');
  const members = officer ? await api.tenders.members() : [];
  // A hospital or pharmacy answers the alliances that invite it (its owner or buyer).
  const invitee = role === 'member' && v.permissions.includes('tender:demand');
  const invitations = invitee ? await api.tenders.myInvitations() : [];
  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')}>
        {officer ? (
          <Link href="/tenders/new" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm text-white" data-testid="tender-new">
            {t('newTender')}
          </Link>
        ) : null}
      </PageHeader>
      {role ? <p className="text-sm text-stone-600">{t('yourRole', { role: t(`roles.${role}`) })}</p> : null}
      {invitee ? (
        <Card data-testid="alliance-invitations-card">
          <CardHeader>
            <CardTitle>{t('myInvitationsTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <InvitationsPanel invitations={invitations} />
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardContent>
          {tenders.length === 0 ? (
            <EmptyState title={t('noTenders')} description={t('noTendersHint')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="tenders-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('colTitle')}</th>
                  <th className="py-2 font-medium">{t('colAlliance')}</th>
                  <th className="py-2 font-medium">{t('colMethod')}</th>
                  <th className="py-2 font-medium">{t('colStatus')}</th>
                  <th className="py-2 text-right font-medium">{t('colBidDeadline')}</th>
                  <th className="py-2 text-right font-medium">{t('colOpeningAt')}</th>
                </tr>
              </thead>
              <tbody>
                {tenders.map((row) => (
                  <tr key={row.id} className="border-t border-stone-100" data-testid="tender-row" data-tender-id={row.id}>
                    <td className="py-2">
                      <Link href={`/tenders/${row.id}`} className="text-brand-700 hover:underline">
                        {row.title}
                      </Link>
                    </td>
                    <td className="py-2">{row.allianceName}</td>
                    <td className="py-2">{t(`methods.${row.method}`)}</td>
                    <td className="py-2">
                      <Badge>{t(`statuses.${row.status}`)}</Badge>
                    </td>
                    <td className="py-2 text-right">{shanghai(row.bidDeadline)}</td>
                    <td className="py-2 text-right">{shanghai(row.openingAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
      {officer ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('membersTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <MembersPanel members={members} />
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
