import { yuan } from '../orders/format.ts';

export { kg, shanghai, yuan } from '../orders/format.ts';

/** A price in fen per kg as ¥/kg for display (`¥62.50/kg`). */
export const yuanPerKg = (fenPerKg: number) => `${yuan(fenPerKg)}/kg`;
