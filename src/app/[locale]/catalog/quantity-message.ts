import { useTranslations } from 'next-intl';
import { kg } from './format.ts';
import type { KgQuantityProblem } from './quantity-kg.core.ts';

/** What to say next to a kilogram quantity field about its problem (catalog.cart.errors), in kg. */
export function useKgQuantityMessage(): (problem: KgQuantityProblem) => string {
  const t = useTranslations('catalog.cart.errors');
  return (problem) => {
    switch (problem.code) {
      case 'belowMin':
        return t('belowMin', { min: kg(problem.minG) });
      case 'aboveStock':
        return t('aboveStock', { available: kg(problem.availableG) });
      default:
        return t(problem.code);
    }
  };
}
