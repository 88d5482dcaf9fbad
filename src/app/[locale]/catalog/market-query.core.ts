import { PRODUCT_FORMS, PRODUCT_GRADES, type ProductForm, type ProductGrade } from '@/server/domains/catalog/products.core.ts';
import { LISTING_CERTIFICATES, type ListingCertificate } from '@/server/integrations/search/search.documents.ts';
import { SEARCH_SORTS, type SearchSortKey } from '@/server/integrations/search/search.port.ts';
import { oneParam } from '@/lib/search-params.ts';

/** The market page's filters as they travel in the URL (prices in yuan there, fen here). */
export interface MarketQuery {
  q: string;
  form?: ProductForm;
  grade?: ProductGrade;
  origin?: string;
  daoDi?: boolean;
  certificate?: ListingCertificate;
  inStock?: boolean;
  priceMin?: number;
  priceMax?: number;
  sort: SearchSortKey;
}


/** Yuan per kg as typed (up to 2 decimals) → fen; anything else is ignored. */
function fenOf(text: string): number | undefined {
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** Parses the URL's search params; unknown values are dropped rather than trusted. */
export function parseMarketQuery(params: Record<string, string | string[] | undefined>): MarketQuery {
  const q = oneParam(params.q).slice(0, 50);
  const form = oneParam(params.form);
  const grade = oneParam(params.grade);
  const origin = oneParam(params.origin).slice(0, 64);
  const sort = oneParam(params.sort);
  const certificate = oneParam(params.certificate);
  const priceMin = fenOf(oneParam(params.priceMin));
  const priceMax = fenOf(oneParam(params.priceMax));
  return {
    q,
    ...((PRODUCT_FORMS as readonly string[]).includes(form) ? { form: form as ProductForm } : {}),
    ...((PRODUCT_GRADES as readonly string[]).includes(grade) ? { grade: grade as ProductGrade } : {}),
    ...(origin ? { origin } : {}),
    ...(oneParam(params.daoDi) === 'true' ? { daoDi: true } : {}),
    ...((LISTING_CERTIFICATES as readonly string[]).includes(certificate) ? { certificate: certificate as ListingCertificate } : {}),
    ...(oneParam(params.inStock) === 'true' ? { inStock: true } : {}),
    ...(priceMin !== undefined ? { priceMin } : {}),
    ...(priceMax !== undefined ? { priceMax } : {}),
    // Relevance needs a query; without one the market lists the cheapest first.
    sort: (SEARCH_SORTS as readonly string[]).includes(sort) && (sort !== 'relevance' || q) ? (sort as SearchSortKey) : q ? 'relevance' : 'price_asc',
  };
}

/** Facet entries sorted by count (then label), for the filter selects. */
export function facetOptions(counts: Record<string, number>, limit = 30): { value: string; count: number }[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}
