import { cn } from '@/lib/cn.ts';
import { yuan } from './format.ts';
import { changeTone, percentOfBp } from './market-view.core.ts';

const TONE_CLASS = { up: 'text-cinnabar-500', down: 'text-brand-600', flat: 'text-stone-600', none: 'text-stone-400' } as const;

/** Change against the previous close: signed ¥/kg and percentage, red up and green down (China convention). */
export function PriceChange({ changeFenPerKg, changeBp, className }: { changeFenPerKg: number | null; changeBp: number | null; className?: string }) {
  const tone = changeTone(changeFenPerKg);
  return (
    <span className={cn('tabular-nums', TONE_CLASS[tone], className)} data-testid="price-change" data-tone={tone}>
      {changeFenPerKg === null || changeBp === null ? '—' : `${changeFenPerKg > 0 ? '+' : changeFenPerKg < 0 ? '-' : ''}${yuan(Math.abs(changeFenPerKg))} (${percentOfBp(changeBp)})`}
    </span>
  );
}
