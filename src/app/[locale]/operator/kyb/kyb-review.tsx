'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

export interface KybRow {
  id: string;
  name: string;
  kind: string;
  uscc: string;
  regionCode: string;
  region: string | null;
  address: string;
  /** Submission date, already formatted in Asia/Shanghai. */
  submitted: string;
}

type Feedback = { tone: 'success' | 'danger'; text: string } | null;

/** The review table. Decisions refresh the server-rendered queue; feedback survives the refresh. */
export function KybReview({ status, rows }: { status: 'pending' | 'approved' | 'rejected'; rows: KybRow[] }) {
  const t = useTranslations('operator.kyb');
  const [feedback, setFeedback] = useState<Feedback>(null);
  return (
    <div className="space-y-3">
      {feedback ? (
        <div data-testid="kyb-feedback" data-tone={feedback.tone}>
          <Alert tone={feedback.tone}>{feedback.text}</Alert>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={t(`empty.${status}`)} description={t('emptyHint')} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full min-w-[960px] text-left text-sm" data-testid="kyb-table">
            <thead className="border-b border-stone-200 bg-stone-50 text-xs text-stone-500">
              <tr>
                <th className="px-3 py-2 font-medium">{t('name')}</th>
                <th className="px-3 py-2 font-medium">{t('kind')}</th>
                <th className="px-3 py-2 font-medium">{t('uscc')}</th>
                <th className="px-3 py-2 font-medium">{t('region')}</th>
                <th className="px-3 py-2 font-medium">{t('address')}</th>
                <th className="px-3 py-2 font-medium">{t('submitted')}</th>
                {status === 'pending' ? <th className="px-3 py-2 font-medium">{t('decision')}</th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {rows.map((row) => (
                <KybTableRow key={row.id} row={row} decidable={status === 'pending'} onFeedback={setFeedback} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function KybTableRow({ row, decidable, onFeedback }: { row: KybRow; decidable: boolean; onFeedback: (f: Feedback) => void }) {
  const t = useTranslations('operator.kyb');
  const tc = useTranslations('common');
  const trpc = useTRPC();
  const router = useRouter();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [decided, setDecided] = useState<'approved' | 'rejected' | null>(null);
  const [refreshing, startRefresh] = useTransition();
  const decide = useMutation(
    trpc.operator.decideKyb.mutationOptions({
      onSuccess: (result) => {
        setDecided(result.kybStatus);
        onFeedback({ tone: 'success', text: t(result.kybStatus === 'approved' ? 'approved' : 'rejected', { name: row.name }) });
        startRefresh(() => router.refresh());
      },
      onError: (error) => {
        const { byField, message } = fieldErrorsOf(error);
        if (byField.note) setNoteError(byField.note);
        onFeedback({ tone: 'danger', text: message ?? byField.note ?? byField.orgId ?? error.message });
      },
    }),
  );
  const busy = decide.isPending || refreshing || decided !== null;
  const noteId = `kyb-note-${row.id}`;

  function submit(decision: 'approved' | 'rejected') {
    const trimmed = note.trim();
    if (decision === 'rejected' && trimmed === '') {
      setNoteError(t('noteRequired'));
      return;
    }
    setNoteError(null);
    onFeedback(null);
    decide.mutate({ orgId: row.id, decision, note: trimmed === '' ? undefined : trimmed });
  }

  return (
    <tr data-testid="kyb-row" data-org-id={row.id} className="align-top">
      <td className="px-3 py-2 font-medium text-stone-900">{row.name}</td>
      <td className="px-3 py-2">
        <Badge tone="info">{tc(`kind.${row.kind as 'pharmacy'}`)}</Badge>
      </td>
      <td className="px-3 py-2 font-mono text-xs">{row.uscc}</td>
      <td className="px-3 py-2">
        {row.region ?? '—'}
        <span className="block font-mono text-xs text-stone-500">{row.regionCode}</span>
      </td>
      <td className="max-w-56 px-3 py-2">{row.address}</td>
      <td className="whitespace-nowrap px-3 py-2 tabular-nums">{row.submitted}</td>
      {decidable ? (
        <td className="w-80 px-3 py-2">
          {decided ? (
            <Badge tone={decided === 'approved' ? 'success' : 'danger'} data-testid="kyb-decided">
              {t(decided === 'approved' ? 'decidedApproved' : 'decidedRejected')}
            </Badge>
          ) : (
            <div className="space-y-2">
              <label htmlFor={noteId} className="sr-only">
                {t('note')}
              </label>
              <Input
                id={noteId}
                data-testid="kyb-note"
                value={note}
                maxLength={500}
                placeholder={t('notePlaceholder')}
                disabled={busy}
                aria-invalid={noteError ? true : undefined}
                aria-describedby={noteError ? `${noteId}-error` : undefined}
                onChange={(e) => {
                  setNote(e.target.value);
                  if (noteError) setNoteError(null);
                }}
              />
              {noteError ? (
                <p id={`${noteId}-error`} role="alert" className="text-xs text-cinnabar-500" data-testid="kyb-note-error">
                  {noteError}
                </p>
              ) : null}
              <div className="flex gap-2">
                <Button size="sm" data-testid="kyb-approve" disabled={busy} onClick={() => submit('approved')}>
                  {t('approve')}
                </Button>
                <Button size="sm" variant="destructive" data-testid="kyb-reject" disabled={busy} onClick={() => submit('rejected')}>
                  {t('reject')}
                </Button>
              </div>
            </div>
          )}
        </td>
      ) : null}
    </tr>
  );
}
