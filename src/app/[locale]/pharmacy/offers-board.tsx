'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ConfirmBox } from '@/components/ui/confirm-box.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Link, useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

export interface OfferRow {
  offerId: string;
  prescriptionId: string;
  expiresAt: string;
  hospitalName: string;
  doses: number;
  decoction: boolean;
  fulfilment: string;
  km: number;
}

function useNow(ms = 1000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

const mmss = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** Incoming offers with a countdown to their timeout; accept, or reject with a reason (asked once more: a rejected offer goes to the next pharmacy). */
export function OffersBoard({ offers }: { offers: OfferRow[] }) {
  const t = useTranslations('rx');
  const trpc = useTRPC();
  const router = useRouter();
  const now = useNow();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [rejecting, setRejecting] = useState<string | null>(null);
  const accept = useMutation(trpc.prescriptions.acceptOffer.mutationOptions({ onSuccess: (r) => { router.push(`/prescriptions/${r.id}`); router.refresh(); }, onError: () => router.refresh() }));
  const reject = useMutation(trpc.prescriptions.rejectOffer.mutationOptions({ onSuccess: () => router.refresh() }));
  // The refusal of the latest answer sent, shown on the offer it was about.
  const latest = accept.submittedAt >= reject.submittedAt ? accept : reject;
  const failed = latest.error ? { offerId: latest.variables?.offerId, errors: fieldErrorsOf(latest.error) } : undefined;
  const askReject = (offerId: string) => {
    // Without a reason, send at once: the refusal names the field.
    if ((reasons[offerId] ?? '').trim()) {
      // An earlier refusal (a missing reason) no longer applies.
      reject.reset();
      setRejecting(offerId);
    } else {
      reject.mutate({ offerId, reason: '' });
    }
  };
  if (offers.length === 0) return <p className="text-sm text-stone-500">{t('workbench.noOffers')}</p>;
  return (
    <div className="space-y-3" data-testid="rx-offers">
      {failed && !offers.some((o) => o.offerId === failed.offerId) ? <Alert tone="danger">{failed.errors.message ?? Object.values(failed.errors.byField)[0]}</Alert> : null}
      {offers.map((o) => {
        const left = new Date(o.expiresAt).getTime() - now;
        const errors = failed?.offerId === o.offerId ? failed.errors : null;
        const reasonError = errors?.byField.reason;
        const otherError = errors && !reasonError ? (errors.message ?? Object.values(errors.byField)[0]) : null;
        const reasonId = `rx-offer-reason-${o.offerId}`;
        return (
          <div key={o.offerId} className="flex flex-wrap items-center gap-3 rounded-md border border-stone-200 p-3 text-sm" data-testid="rx-offer" data-offer-id={o.offerId}>
            <Link href={`/prescriptions/${o.prescriptionId}`} className="font-medium text-brand-700 hover:underline">
              {o.prescriptionId}
            </Link>
            <span>{o.hospitalName}</span>
            <span>
              {t('form.doses')} {o.doses} · {o.decoction ? t('form.decoction') : t('noDecoction')} · {t(`fulfilment.${o.fulfilment === 'pickup' ? 'pickup' : 'delivery'}`)} · {o.km.toFixed(1)} km
            </span>
            <span className={left <= 60_000 ? 'font-semibold text-cinnabar-500' : 'text-stone-600'} data-testid="rx-offer-countdown" suppressHydrationWarning>
              {left > 0 ? t('workbench.timeLeft', { time: mmss(left) }) : t('workbench.timedOut')}
            </span>
            <Button size="sm" disabled={accept.isPending || left <= 0} onClick={() => accept.mutate({ offerId: o.offerId })} data-testid="rx-accept-offer">
              {t('workbench.accept')}
            </Button>
            <Input
              id={reasonId}
              className="w-48"
              aria-label={t('workbench.rejectReason')}
              placeholder={t('workbench.rejectReason')}
              value={reasons[o.offerId] ?? ''}
              onChange={(e) => {
                setReasons({ ...reasons, [o.offerId]: e.target.value });
                if (reasonError) reject.reset();
              }}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${reasonId}-error` : undefined}
            />
            <Button size="sm" variant="destructive" disabled={reject.isPending || rejecting === o.offerId} onClick={() => askReject(o.offerId)} data-testid="rx-reject-offer">
              {t('workbench.reject')}
            </Button>
            {reasonError ? (
              <p id={`${reasonId}-error`} role="alert" className="basis-full text-xs text-cinnabar-500">
                {reasonError}
              </p>
            ) : null}
            {otherError ? (
              <p role="alert" className="basis-full text-sm text-cinnabar-500">
                {otherError}
              </p>
            ) : null}
            {rejecting === o.offerId ? (
              <div className="basis-full">
                <ConfirmBox
                  prompt={t('workbench.rejectPrompt')}
                  confirmLabel={t('workbench.rejectConfirm')}
                  backLabel={t('workbench.back')}
                  tone="danger"
                  busy={reject.isPending}
                  onConfirm={() => {
                    reject.mutate({ offerId: o.offerId, reason: reasons[o.offerId] ?? '' });
                    setRejecting(null);
                  }}
                  onBack={() => setRejecting(null)}
                  testId="rx-reject-offer-confirm-box"
                  confirmTestId="rx-reject-offer-confirm"
                />
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
