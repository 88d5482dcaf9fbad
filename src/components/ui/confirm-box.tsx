'use client';

import type { ReactNode } from 'react';
import { Button } from './button.tsx';

export interface ConfirmBoxProps {
  /** What is about to happen, asked as a question. */
  prompt: string;
  confirmLabel: string;
  backLabel: string;
  onConfirm(): void;
  onBack(): void;
  busy?: boolean;
  /** `danger` for a move that cannot be undone or turns someone away. */
  tone?: 'danger' | 'neutral';
  /** Fields the move still needs (a reason, an amount), shown between the question and the buttons. */
  children?: ReactNode;
  testId?: string;
  confirmTestId?: string;
  backTestId?: string;
}

/** The second step of an action that asks once more before it is sent: the question, then confirm or back. */
export function ConfirmBox({ prompt, confirmLabel, backLabel, onConfirm, onBack, busy = false, tone = 'neutral', children, testId, confirmTestId, backTestId }: ConfirmBoxProps) {
  const danger = tone === 'danger';
  return (
    <div role="group" aria-label={prompt} className={danger ? 'space-y-2 rounded-md border border-cinnabar-500/40 bg-white p-3' : 'space-y-2 rounded-md border border-stone-200 p-3'} data-testid={testId}>
      <p className="text-sm">{prompt}</p>
      {children}
      <div className="flex flex-wrap gap-2">
        <Button variant={danger ? 'destructive' : 'default'} size="sm" disabled={busy} onClick={onConfirm} data-testid={confirmTestId}>
          {confirmLabel}
        </Button>
        <Button variant="ghost" size="sm" disabled={busy} onClick={onBack} data-testid={backTestId}>
          {backLabel}
        </Button>
      </div>
    </div>
  );
}
