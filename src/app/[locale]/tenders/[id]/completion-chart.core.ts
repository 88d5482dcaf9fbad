/**
 * The completion chart's bars: what was ordered and delivered on each lot as a share of what was agreed,
 * so a lot of 12.5 kg and one of 1,440 kg can be read on one axis. No React.
 */

export interface CompletionLotAmounts {
  label: string;
  agreedG: number;
  orderedG: number;
  deliveredG: number;
}

export interface CompletionBar extends CompletionLotAmounts {
  /** Ordered ÷ agreed, in per cent with one decimal; null when nothing was agreed. */
  orderedPct: number | null;
  deliveredPct: number | null;
}

/** `part` as a percentage of `whole`, rounded to one decimal; null without a whole. */
export function percentOf(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.round((part / whole) * 1000) / 10;
}

export function completionBars(lots: readonly CompletionLotAmounts[]): CompletionBar[] {
  return lots.map((l) => ({ ...l, orderedPct: percentOf(l.orderedG, l.agreedG), deliveredPct: percentOf(l.deliveredG, l.agreedG) }));
}

/** The value axis' top: 100 % at least, and room for a lot ordered beyond what was agreed. */
export function percentAxisMax(bars: readonly CompletionBar[]): number {
  const highest = Math.max(100, ...bars.flatMap((b) => [b.orderedPct ?? 0, b.deliveredPct ?? 0]));
  return Math.ceil(highest / 10) * 10;
}
