'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { shanghai } from './format.ts';

/** A row of `tenders.members`: a member (name, kind, region) or an invitation (only the invited id). */
export interface MemberRow {
  id: string;
  orgId: string;
  status: 'invited' | 'accepted' | 'declined';
  name: string | null;
  kind: string | null;
  regionCode: string | null;
  region: string | null;
  invitedAt: string;
  answeredAt: string | null;
}

/**
 * The alliance's members and invitations, and the form that invites a hospital or pharmacy by its
 * organisation id. An invited organisation counts as a member only once it accepts (待接受 until then).
 */
export function MembersPanel({ members }: { members: MemberRow[] }) {
  const t = useTranslations('tenders');
  const tc = useTranslations('common');
  const trpc = useTRPC();
  const router = useRouter();
  const [memberOrgId, setMemberOrgId] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const add = useMutation(
    trpc.tenders.addMember.mutationOptions({
      onSuccess: (invitation) => {
        setSent(invitation.memberOrgId);
        setMemberOrgId('');
        router.refresh();
      },
    }),
  );
  const errors = fieldErrorsOf(add.error);
  const joined = members.filter((m) => m.status === 'accepted');
  const invitations = members.filter((m) => m.status !== 'accepted');
  return (
    <div className="space-y-4">
      {joined.length === 0 ? (
        <p className="text-sm text-stone-500">{t('noMembers')}</p>
      ) : (
        <ul className="space-y-1 text-sm" data-testid="alliance-members">
          {joined.map((m) => (
            <li key={m.orgId} className="flex flex-wrap items-center gap-x-2">
              <span className="font-medium">{m.name}</span>
              {m.kind === 'hospital' || m.kind === 'pharmacy' ? <Badge tone="neutral">{tc(`kind.${m.kind}`)}</Badge> : null}
              {m.region ? <span className="text-stone-600">{m.region}</span> : null}
              <span className="break-all font-mono text-xs text-stone-400">{m.orgId}</span>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="alliance-invitations-title" className="space-y-2">
        <h3 id="alliance-invitations-title" className="text-sm font-medium text-stone-700">
          {t('invitationsTitle')}
        </h3>
        {invitations.length === 0 ? (
          <p className="text-sm text-stone-500">{t('noInvitationsSent')}</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="alliance-invitations">
            {invitations.map((m) => (
              <li key={m.orgId} className="flex flex-wrap items-center gap-2" data-testid="alliance-invitation" data-status={m.status}>
                <span className="font-mono text-stone-700" data-testid="alliance-invitation-org">{m.orgId}</span>
                <Badge tone={m.status === 'invited' ? 'warning' : 'neutral'}>{t(`membershipStatuses.${m.status}`)}</Badge>
                <span className="text-stone-500">
                  {m.status === 'invited' ? t('invitedAt', { at: shanghai(m.invitedAt) }) : t('answeredAt', { at: shanghai(m.answeredAt ?? m.invitedAt) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setSent(null);
          add.mutate({ memberOrgId });
        }}
      >
        <Field id="memberOrgId" label={t('memberOrgId')} error={errors.byField.memberOrgId ?? errors.message}>
          <Input id="memberOrgId" value={memberOrgId} onChange={(e) => setMemberOrgId(e.target.value)} data-testid="member-org-id" />
        </Field>
        <SubmitButton disabled={add.isPending} data-testid="member-add">
          {t('addMember')}
        </SubmitButton>
      </form>
      <p className="text-xs text-stone-500">{t('inviteHint')}</p>
      {sent ? (
        <Alert tone="success">
          <span data-testid="member-invited">{t('invitationSent', { orgId: sent })}</span>
        </Alert>
      ) : null}
    </div>
  );
}
