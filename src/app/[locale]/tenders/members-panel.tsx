'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

/** The alliance adds a member hospital or pharmacy by its organisation id. */
export function MembersPanel() {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [memberOrgId, setMemberOrgId] = useState('');
  const add = useMutation(trpc.tenders.addMember.mutationOptions({ onSuccess: () => { setMemberOrgId(''); router.refresh(); } }));
  const errors = fieldErrorsOf(add.error);
  return (
    <form className="flex items-end gap-2" onSubmit={(e) => { e.preventDefault(); add.mutate({ memberOrgId }); }}>
      <Field id="memberOrgId" label={t('memberOrgId')} error={errors.byField.memberOrgId ?? errors.message}>
        <Input id="memberOrgId" value={memberOrgId} onChange={(e) => setMemberOrgId(e.target.value)} data-testid="member-org-id" />
      </Field>
      <Button type="submit" disabled={add.isPending} data-testid="member-add">
        {t('addMember')}
      </Button>
    </form>
  );
}
