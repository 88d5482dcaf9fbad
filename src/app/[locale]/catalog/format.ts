/** The catalogue's tables show kilograms without the unit (their column headers carry it). */
export { kgText as kg } from '@/lib/amount-text.ts';
export { yuan } from '@/lib/display-format.ts';
