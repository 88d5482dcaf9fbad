'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ConfirmBox } from '@/components/ui/confirm-box.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

export type OfficerAction = 'openDemand' | 'publish' | 'finalize' | 'cancel';
type Action = OfficerAction;

/** The officer's moves the state table allows (computed by the page), each behind a confirmation. */
export function OfficerActions({ id, allowed }: { id: string; allowed: OfficerAction[] }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, setPending] = useState<Action | null>(null);
  const done = { onSuccess: () => { setPending(null); router.refresh(); } };
  const m = {
    openDemand: useMutation(trpc.tenders.openDemand.mutationOptions(done)),
    publish: useMutation(trpc.tenders.publish.mutationOptions(done)),
    finalize: useMutation(trpc.tenders.finalize.mutationOptions(done)),
    cancel: useMutation(trpc.tenders.cancel.mutationOptions(done)),
  };
  const error = Object.values(m).map((x) => fieldErrorsOf(x.error)).find((e) => e.message || Object.keys(e.byField).length);
  if (allowed.length === 0) return null;
  return (
    <div className="space-y-2" data-testid="tender-actions">
      {error ? <Alert tone="danger">{error.message ?? Object.values(error.byField)[0]}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        {allowed.map((a) => (
          <Button key={a} variant={a === 'cancel' ? 'destructive' : 'default'} onClick={() => setPending(a)} data-testid={`tender-action-${a}`}>
            {t(a)}
          </Button>
        ))}
      </div>
      {pending ? (
        <ConfirmBox
          prompt={t('confirmPrompt', { action: t(pending) })}
          confirmLabel={t('confirm')}
          backLabel={t('back')}
          tone={pending === 'cancel' ? 'danger' : 'neutral'}
          busy={m[pending].isPending}
          onConfirm={() => m[pending].mutate({ id })}
          onBack={() => setPending(null)}
          confirmTestId="tender-action-confirm"
        />
      ) : null}
    </div>
  );
}
