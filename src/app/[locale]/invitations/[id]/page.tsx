import { getTranslations } from 'next-intl/server';
import { AcceptInvitationButton } from '@/components/org/accept-invitation-button.tsx';
import { Alert } from '@/components/ui/alert.tsx';
import { Card, CardContent, CardHeader } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi, viewer } from '@/server/api/server-caller.ts';

export default async function InvitationPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { id } = await params;
  const t = await getTranslations('org.invitation');
  const tc = await getTranslations('common');
  const api = await serverApi();
  const invitation = await api.orgs.invitation({ id }).catch(() => null);
  const v = await viewer();
  const next = `/invitations/${id}`;
  return (
    <div className="mx-auto max-w-lg pt-6">
      <Card>
        <CardHeader>
          <h1 className="text-lg font-semibold">{t('title')}</h1>
        </CardHeader>
        <CardContent className="space-y-4">
          {!invitation ? (
            <Alert tone="danger">{t('invalid')}</Alert>
          ) : (
            <>
              <p data-testid="invitation-body">
                {t('body', { org: invitation.orgName, email: invitation.email, role: invitation.role ? tc(`role.${invitation.role as 'owner'}`) : '' })}
              </p>
              {v.user ? (
                <AcceptInvitationButton id={invitation.id} />
              ) : (
                <div className="space-y-3">
                  <p className="text-sm text-stone-600">{t('signInToAccept')}</p>
                  <div className="flex gap-3">
                    <Link href={{ pathname: '/sign-up', query: { next } }} className="rounded-md bg-brand-600 px-4 py-2 text-sm text-white hover:bg-brand-700">
                      {tc('signUp')}
                    </Link>
                    <Link href={{ pathname: '/sign-in', query: { next } }} className="rounded-md border border-stone-300 px-4 py-2 text-sm hover:bg-stone-100">
                      {tc('signIn')}
                    </Link>
                  </div>
                </div>
              )}
            </>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
