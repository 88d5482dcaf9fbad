'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { gramsFromKg } from '@/lib/input-format.ts';

/** A member's demand per lot in kg (sent as integer grams), until the demand deadline. */
export function DemandForm({ tenderId, lots }: { tenderId: string; lots: { id: string; label: string; currentG: number | null; lastYearKg: string }[] }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [kg, setKg] = useState<Record<string, string>>(() => Object.fromEntries(lots.map((l) => [l.id, l.currentG === null ? '' : String(l.currentG / 1000)])));
  const save = useMutation(trpc.tenders.reportDemand.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrorsOf(save.error);
  const entries = lots.filter((l) => (kg[l.id] ?? '').trim() !== '');
  return (
    <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); save.mutate({ tenderId, lots: entries.map((l) => ({ lotId: l.id, grams: gramsFromKg(kg[l.id] ?? '') })) }); }} data-testid="demand-form">
      {errors.message ? <Alert tone="danger">{errors.message}</Alert> : null}
      {save.isSuccess ? <Alert tone="success">{t('demandSaved')}</Alert> : null}
      <div className="overflow-x-auto">
        <table className="w-full min-w-[480px] text-left text-sm">
          <tbody>
            {lots.map((l) => {
              const index = entries.findIndex((e) => e.id === l.id);
              const error = index >= 0 ? (errors.byField[`lots.${index}.grams`] ?? errors.byField[`lots.${index}.lotId`]) : undefined;
              return (
                <tr key={l.id} className="border-t border-stone-100">
                  <td className="py-2">
                    {l.label}
                    <p className="text-xs text-stone-500">{t('lastYearUsage', { kg: l.lastYearKg })}</p>
                  </td>
                  <td className="py-2">
                    <Input value={kg[l.id] ?? ''} onChange={(e) => setKg((all) => ({ ...all, [l.id]: e.target.value }))} inputMode="decimal" aria-label={`${l.label} ${t('demandKg')}`} aria-invalid={Boolean(error)} data-testid="demand-kg" />
                    {error ? <p className="text-xs text-cinnabar-500" role="alert">{error}</p> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-stone-500">{t('demandHint')}</p>
      <SubmitButton disabled={save.isPending || entries.length === 0} data-testid="demand-save">
        {t('saveDemand')}
      </SubmitButton>
    </form>
  );
}
