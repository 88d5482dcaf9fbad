'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { shanghai } from './format.ts';

/** A row of `tenders.myInvitations`: which alliance invites the caller's organisation, and when. */
export interface InvitationRow {
  id: string;
  allianceOrgId: string;
  allianceName: string;
  invitedAt: string;
}

/**
 * A hospital's or pharmacy's pending alliance invitations. Accepting makes the organisation a member
 * (it reports demand and calls off the alliance's contracts); declining leaves it outside.
 */
export function InvitationsPanel({ invitations }: { invitations: InvitationRow[] }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const done = { onSuccess: () => router.refresh() };
  const accept = useMutation(trpc.tenders.acceptInvitation.mutationOptions(done));
  const decline = useMutation(trpc.tenders.declineInvitation.mutationOptions(done));
  const error = [fieldErrorsOf(accept.error), fieldErrorsOf(decline.error)].find((e) => e.message || Object.keys(e.byField).length);
  const busy = accept.isPending || decline.isPending;
  if (invitations.length === 0) return <p className="text-sm text-stone-500" data-testid="my-invitations-empty">{t('noInvitations')}</p>;
  return (
    <div className="space-y-3">
      {error ? <Alert tone="danger">{error.message ?? Object.values(error.byField)[0]}</Alert> : null}
      <p className="text-sm text-stone-600">{t('invitationsHint')}</p>
      <ul className="divide-y divide-stone-100 text-sm" data-testid="my-invitations">
        {invitations.map((inv) => (
          <li key={inv.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="my-invitation" data-invitation-id={inv.id}>
            <div>
              <p className="font-medium text-stone-800">{inv.allianceName}</p>
              <p className="text-stone-500">{t('invitedAt', { at: shanghai(inv.invitedAt) })}</p>
            </div>
            <div className="flex gap-2">
              <Button disabled={busy} onClick={() => accept.mutate({ id: inv.id })} aria-label={t('acceptInvitationOf', { alliance: inv.allianceName })} data-testid="invitation-accept">
                {t('acceptInvitation')}
              </Button>
              <Button variant="outline" disabled={busy} onClick={() => decline.mutate({ id: inv.id })} aria-label={t('declineInvitationOf', { alliance: inv.allianceName })} data-testid="invitation-decline">
                {t('declineInvitation')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
