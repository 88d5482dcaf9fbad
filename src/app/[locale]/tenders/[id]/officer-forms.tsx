'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { numberFromText } from '@/lib/input-format.ts';

function firstError(error: unknown): string | null {
  const e = fieldErrorsOf(error);
  return e.message ?? Object.values(e.byField)[0] ?? null;
}

/** Qualify or disqualify one registered supplier, with a reason (and a quality score when weighted). */
export function QualifyForm({ tenderId, supplierOrgId, weighted }: { tenderId: string; supplierOrgId: string; weighted: boolean }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [score, setScore] = useState('');
  const qualify = useMutation(trpc.tenders.qualify.mutationOptions({ onSuccess: () => router.refresh() }));
  const send = (qualified: boolean) => qualify.mutate({ tenderId, supplierOrgId, qualified, reason, qualityScore: weighted && score.trim() !== '' ? numberFromText(score) : null });
  const error = firstError(qualify.error);
  return (
    <div className="space-y-1" data-testid="qualify-form">
      <div className="flex flex-wrap gap-2">
        <Input className="w-48" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('reason')} aria-label={t('reason')} maxLength={500} />
        {weighted ? <Input className="w-24" value={score} onChange={(e) => setScore(e.target.value)} placeholder={t('qualityScore')} aria-label={t('qualityScore')} inputMode="decimal" /> : null}
        <Button size="sm" disabled={qualify.isPending} onClick={() => send(true)}>
          {t('markQualified')}
        </Button>
        <Button size="sm" variant="outline" disabled={qualify.isPending} onClick={() => send(false)}>
          {t('markNotQualified')}
        </Button>
      </div>
      {error ? <p className="text-xs text-cinnabar-500" role="alert">{error}</p> : null}
    </div>
  );
}

/** Answer one complaint. */
export function AnswerComplaintForm({ complaintId }: { complaintId: string }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [answer, setAnswer] = useState('');
  const send = useMutation(trpc.tenders.answerComplaint.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = firstError(send.error);
  return (
    <div className="space-y-1">
      <div className="flex gap-2">
        <Input value={answer} onChange={(e) => setAnswer(e.target.value)} placeholder={t('answer')} aria-label={t('answer')} maxLength={2000} />
        <Button size="sm" disabled={send.isPending} onClick={() => send.mutate({ complaintId, answer })}>
          {t('answerComplaint')}
        </Button>
      </div>
      {error ? <p className="text-xs text-cinnabar-500" role="alert">{error}</p> : null}
    </div>
  );
}

/** File a complaint during the publicity window (registered suppliers and members). */
export function ComplaintForm({ tenderId, lots }: { tenderId: string; lots: { id: string; label: string }[] }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [body, setBody] = useState('');
  const [lotId, setLotId] = useState('');
  const send = useMutation(trpc.tenders.fileComplaint.mutationOptions({ onSuccess: () => { setBody(''); router.refresh(); } }));
  const error = firstError(send.error);
  return (
    <div className="space-y-1" data-testid="complaint-form">
      <div className="flex flex-wrap gap-2">
        <select className="rounded-md border border-stone-300 px-2 py-1.5 text-sm" value={lotId} onChange={(e) => setLotId(e.target.value)} aria-label={t('lotNo')}>
          <option value="">—</option>
          {lots.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
        <Input className="flex-1" value={body} onChange={(e) => setBody(e.target.value)} placeholder={t('complaintBody')} aria-label={t('complaintBody')} maxLength={2000} />
        <Button size="sm" disabled={send.isPending} onClick={() => send.mutate({ tenderId, lotId: lotId || null, body })}>
          {t('fileComplaint')}
        </Button>
      </div>
      {error ? <p className="text-xs text-cinnabar-500" role="alert">{error}</p> : null}
    </div>
  );
}
