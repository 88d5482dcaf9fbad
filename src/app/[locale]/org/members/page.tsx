import { getFormatter, getTranslations } from 'next-intl/server';
import { InviteForm } from '@/components/org/invite-form.tsx';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ROLES_BY_KIND, type OrgKind } from '@/lib/permissions.ts';
import { serverApi } from '@/server/api/server-caller.ts';

export default async function MembersPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await requireOrgPage(locale, '/org/members', 'org:read');
  const t = await getTranslations('org.members');
  const tc = await getTranslations('common');
  const format = await getFormatter();
  const { members, invitations } = await (await serverApi()).orgs.members();
  const open = invitations.filter((i) => i.status === 'pending');
  const invitable = ROLES_BY_KIND[v.activeOrg.kind as OrgKind].filter((r) => r !== 'owner') as Parameters<typeof InviteForm>[0]['roles'];
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t('title')}</h1>
      <Card>
        <CardContent>
          <table className="w-full text-left text-sm" data-testid="members-table">
            <thead className="text-stone-500">
              <tr>
                <th className="py-2 font-medium">{t('name')}</th>
                <th className="py-2 font-medium">{t('email')}</th>
                <th className="py-2 font-medium">{t('role')}</th>
                <th className="py-2 font-medium">{t('joined')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id} className="border-t border-stone-100">
                  <td className="py-2">{m.name}</td>
                  <td className="py-2">{m.email}</td>
                  <td className="py-2">
                    <Badge tone={m.role === 'owner' ? 'info' : 'neutral'}>{tc(`role.${m.role as 'owner'}`)}</Badge>
                  </td>
                  <td className="py-2">{format.dateTime(m.joinedAt, { dateStyle: 'medium' })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>
      {v.permissions.includes('member:invite') ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('invite')}</CardTitle>
            <p className="mt-1 text-sm text-stone-500">{t('inviteHint')}</p>
          </CardHeader>
          <CardContent>
            <InviteForm roles={invitable} />
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>{t('invitations')}</CardTitle>
        </CardHeader>
        <CardContent>
          {open.length === 0 ? (
            <EmptyState title={t('noInvitations')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="invitations-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('email')}</th>
                  <th className="py-2 font-medium">{t('role')}</th>
                  <th className="py-2 font-medium">{t('status')}</th>
                  <th className="py-2 font-medium">{t('expires')}</th>
                </tr>
              </thead>
              <tbody>
                {open.map((i) => (
                  <tr key={i.id} className="border-t border-stone-100">
                    <td className="py-2">{i.email}</td>
                    <td className="py-2">{i.role ? tc(`role.${i.role as 'owner'}`) : '—'}</td>
                    <td className="py-2">{t(`invitationStatus.${i.status as 'pending'}`)}</td>
                    <td className="py-2">{format.dateTime(i.expiresAt, { dateStyle: 'medium' })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
