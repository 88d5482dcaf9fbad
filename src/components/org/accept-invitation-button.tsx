'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

export function AcceptInvitationButton({ id }: { id: string }) {
  const t = useTranslations('org.invitation');
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.orgs.acceptInvitation.mutationOptions({
      onSuccess: () => {
        router.push('/dashboard');
        router.refresh();
      },
    }),
  );
  return (
    <div className="space-y-3">
      {accept.error ? <Alert tone="danger">{accept.error.message}</Alert> : null}
      {accept.isSuccess ? <Alert tone="success">{t('accepted')}</Alert> : null}
      <Button onClick={() => accept.mutate({ id })} disabled={accept.isPending || accept.isSuccess}>
        {t('accept')}
      </Button>
    </div>
  );
}
