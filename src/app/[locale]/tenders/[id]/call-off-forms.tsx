'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { gramsFromKg } from '../input-format.ts';

const newKey = () => `cof-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function firstError(error: unknown): string | null {
  const e = fieldErrorsOf(error);
  return e.message ?? Object.values(e.byField)[0] ?? null;
}

/** A member's winner choice for one lot and its call-off orders on the chosen contract. */
export function LotCallOff({ lotLabel, contracts, chosenContractId }: { lotLabel: string; contracts: { id: string; label: string }[]; chosenContractId: string | null }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [choice, setChoice] = useState(chosenContractId ?? contracts[0]?.id ?? '');
  const [kg, setKg] = useState('');
  const key = useRef(newKey());
  const choose = useMutation(trpc.tenders.chooseWinner.mutationOptions({ onSuccess: () => router.refresh() }));
  const place = useMutation(
    trpc.tenders.placeCallOff.mutationOptions({
      onSuccess: () => {
        key.current = newKey();
        setKg('');
        router.refresh();
      },
    }),
  );
  const error = firstError(choose.error) ?? firstError(place.error);
  return (
    <div className="space-y-2 rounded-md border border-stone-200 p-3" data-testid="lot-call-off">
      <p className="text-sm font-medium">{lotLabel}</p>
      <div className="flex flex-wrap items-center gap-2">
        <Select className="w-64" value={choice} onChange={(e) => setChoice(e.target.value)} aria-label={t('chooseWinner')}>
          {contracts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </Select>
        <Button size="sm" variant="outline" disabled={choose.isPending || choice === chosenContractId} onClick={() => choose.mutate({ contractId: choice })} data-testid="choose-winner">
          {choice === chosenContractId ? t('chosen') : t('chooseWinner')}
        </Button>
      </div>
      {chosenContractId ? (
        <div className="flex flex-wrap items-center gap-2">
          <Input className="w-40" inputMode="decimal" value={kg} onChange={(e) => setKg(e.target.value)} placeholder={t('callOffKg')} aria-label={t('callOffKg')} data-testid="call-off-kg" />
          <Button size="sm" disabled={place.isPending} onClick={() => place.mutate({ contractId: chosenContractId, grams: gramsFromKg(kg), idempotencyKey: key.current })} data-testid="call-off-place">
            {t('placeCallOff')}
          </Button>
        </div>
      ) : null}
      {error ? <p className="text-xs text-cinnabar-500" role="alert">{error}</p> : null}
    </div>
  );
}

/** Deliver (supplier) or cancel (member) one call-off order. */
export function CallOffAction({ id, action }: { id: string; action: 'deliver' | 'cancel' }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const deliver = useMutation(trpc.tenders.deliverCallOff.mutationOptions({ onSuccess: () => router.refresh() }));
  const cancel = useMutation(trpc.tenders.cancelCallOff.mutationOptions({ onSuccess: () => router.refresh() }));
  const m = action === 'deliver' ? deliver : cancel;
  const error = firstError(m.error);
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" variant={action === 'cancel' ? 'outline' : 'default'} disabled={m.isPending} onClick={() => m.mutate({ id })} data-testid={`call-off-${action}`}>
        {action === 'deliver' ? t('deliver') : t('cancelCallOff')}
      </Button>
      {error ? <span className="text-xs text-cinnabar-500" role="alert">{error}</span> : null}
    </span>
  );
}
