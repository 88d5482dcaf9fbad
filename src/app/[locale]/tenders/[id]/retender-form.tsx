'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { shanghaiLocalToIso } from '@/lib/input-format.ts';

const KEYS = ['demandDeadline', 'bidDeadline', 'openingAt', 'publicityEndsAt'] as const;

/** Re-tenders the failed lots as a new draft with a new schedule (Asia/Shanghai times). */
export function RetenderForm({ id }: { id: string }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [times, setTimes] = useState<Record<(typeof KEYS)[number], string>>({ demandDeadline: '', bidDeadline: '', openingAt: '', publicityEndsAt: '' });
  const retender = useMutation(trpc.tenders.retender.mutationOptions({ onSuccess: (r) => router.push(`/tenders/${r.id}`) }));
  const errors = fieldErrorsOf(retender.error);
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        retender.mutate({ id, demandDeadline: shanghaiLocalToIso(times.demandDeadline), bidDeadline: shanghaiLocalToIso(times.bidDeadline), openingAt: shanghaiLocalToIso(times.openingAt), publicityEndsAt: shanghaiLocalToIso(times.publicityEndsAt) });
      }}
      data-testid="retender-form"
    >
      {errors.message ? <Alert tone="danger">{errors.message}</Alert> : null}
      <div className="grid gap-3 md:grid-cols-4">
        {KEYS.map((k) => (
          <Field key={k} id={`re-${k}`} label={t(k)} error={errors.byField[k]}>
            <Input id={`re-${k}`} type="datetime-local" value={times[k]} onChange={(e) => setTimes((all) => ({ ...all, [k]: e.target.value }))} />
          </Field>
        ))}
      </div>
      <SubmitButton variant="outline" disabled={retender.isPending}>
        {t('retender')}
      </SubmitButton>
    </form>
  );
}
