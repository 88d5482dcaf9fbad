'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import type { ExceptionReason } from '@/server/domains/delivery/shipments.core.ts';

export interface ShipmentMoves {
  reportException: boolean;
  redeliver: boolean;
  return: boolean;
}

/** A party's decisions on a shipment: report an exception; after one, deliver again or (sender) have it returned. */
/** `reasons`: the exception reasons this party may give (the receiver alone may say it refused). */
export function ShipmentActions({ id, moves, side, reasons }: { id: string; moves: ShipmentMoves; side: 'sender' | 'receiver'; reasons: readonly ExceptionReason[] }) {
  const t = useTranslations('shipments');
  const trpc = useTRPC();
  const router = useRouter();
  const [reason, setReason] = useState<ExceptionReason>(side === 'receiver' ? 'refused' : 'damaged');
  const [note, setNote] = useState('');
  const done = { onSuccess: () => { setNote(''); router.refresh(); } };
  const report = useMutation(trpc.shipments.reportException.mutationOptions(done));
  const redeliver = useMutation(trpc.shipments.redeliver.mutationOptions(done));
  const sendBack = useMutation(trpc.shipments.return.mutationOptions(done));
  const all = [report, redeliver, sendBack];
  const busy = all.some((m) => m.isPending);
  const error = all.map((m) => fieldErrorsOf(m.error)).find((e) => e.message || Object.keys(e.byField).length);
  const noteInput = note.trim() ? { note: note.trim() } : {};

  return (
    <div className="space-y-3" data-testid="shipment-actions">
      {error ? <Alert tone="danger">{error.message ?? Object.values(error.byField)[0]}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        {moves.reportException ? (
          <Field id="shipment-exception-reason" label={t('actions.reason')}>
            <Select id="shipment-exception-reason" value={reason} onChange={(e) => setReason(e.target.value as ExceptionReason)}>
              {reasons.map((r) => (
                <option key={r} value={r}>
                  {t(`exceptionReasons.${r}`)}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field id="shipment-note" label={t('actions.note')}>
          <Input id="shipment-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </Field>
      </div>
      <div className="flex flex-wrap gap-2">
        {moves.reportException ? (
          <Button variant="destructive" disabled={busy} onClick={() => report.mutate({ id, reason, ...noteInput })} data-testid="shipment-report-exception">
            {t('actions.reportException')}
          </Button>
        ) : null}
        {moves.redeliver ? (
          <Button disabled={busy} onClick={() => redeliver.mutate({ id, ...noteInput })} data-testid="shipment-redeliver">
            {t('actions.redeliver')}
          </Button>
        ) : null}
        {moves.return ? (
          <Button variant="outline" disabled={busy} onClick={() => sendBack.mutate({ id, ...noteInput })} data-testid="shipment-return">
            {t('actions.return')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
