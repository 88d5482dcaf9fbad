'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { isoToShanghaiLocal, shanghaiLocalToIso } from '@/lib/input-format.ts';
import { errorMessage, shanghaiDateTime } from '../format.ts';

const HOUR = 3_600_000;

/** The tender clock now, and a form to move it forward to a time (Asia/Shanghai) or by a step. */
export function TenderClockForm({ now, offsetMs }: { now: string; offsetMs: number }) {
  const t = useTranslations('operator.tenderClock');
  const trpc = useTRPC();
  const router = useRouter();
  const [initialTo] = useState(() => isoToShanghaiLocal(new Date(new Date(now).getTime() + HOUR).toISOString()));
  const move = useMutation(trpc.operator.advanceTenderClock.mutationOptions({ onSuccess: () => router.refresh() }));
  const go = (iso: string) => move.mutate({ to: new Date(iso) });
  return (
    <Card>
      <CardContent className="space-y-4 text-sm">
        <p>
          {t('now')}: <span className="font-medium tabular-nums" data-testid="tender-clock-now" data-iso={now}>{shanghaiDateTime(now)}</span>
          {offsetMs > 0 ? <span className="ml-2 text-stone-500">{t('ahead', { hours: (offsetMs / HOUR).toFixed(1) })}</span> : null}
        </p>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            // Read from the field itself, so a time typed before the page hydrated counts too.
            go(shanghaiLocalToIso(String(new FormData(e.currentTarget).get('to'))));
          }}
        >
          <label className="flex flex-col gap-1">
            {t('to')}
            <Input type="datetime-local" name="to" defaultValue={initialTo} data-testid="tender-clock-to" required />
          </label>
          <SubmitButton disabled={move.isPending} data-testid="tender-clock-move">
            {t('move')}
          </SubmitButton>
          {[1, 24].map((h) => (
            <Button key={h} type="button" variant="outline" disabled={move.isPending} onClick={() => go(new Date(new Date(now).getTime() + h * HOUR).toISOString())} data-testid={`tender-clock-plus-${h}h`}>
              {t('plusHours', { hours: h })}
            </Button>
          ))}
        </form>
        {move.error ? <Alert tone="danger">{errorMessage(move.error)}</Alert> : null}
        {move.data ? (
          <Alert tone="success">
            <p data-testid="tender-clock-result" data-released={move.data.released.length}>
              {t('moved', { now: shanghaiDateTime(move.data.now), jobs: move.data.released.length })}
            </p>
          </Alert>
        ) : null}
        <p className="text-stone-500">{t('rules')}</p>
      </CardContent>
    </Card>
  );
}
