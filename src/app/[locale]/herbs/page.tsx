import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { Badge } from '@/components/ui/badge.tsx';
import { buttonVariants } from '@/components/ui/button-variants.ts';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { Link } from '@/i18n/navigation.ts';
import { cn } from '@/lib/cn.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { HERB_CATEGORIES, PREGNANCY_CLASSES, TOXICITIES, type PregnancyClass, type Toxicity } from '@/server/domains/catalog/herb-master.data.ts';
import { SEARCH_QUERY_MAX, SEARCH_SORTS, type SearchSort } from '@/server/domains/catalog/herb-search.core.ts';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('herbs');
  return { title: t('title') };
}

const PAGE_SIZE = 25;
const MAX_PAGE = Math.floor(10_000 / PAGE_SIZE);

type SearchParams = Record<string, string | string[] | undefined>;

interface Params {
  q: string;
  category: (typeof HERB_CATEGORIES)[number] | undefined;
  toxicity: Toxicity | undefined;
  pregnancy: PregnancyClass | undefined;
  sort: SearchSort;
  page: number;
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

function oneOf<T extends string>(values: readonly T[], value: string): T | undefined {
  return (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** At most SEARCH_QUERY_MAX UTF-16 units, never cutting a surrogate pair. */
function clampQuery(q: string): string {
  if (q.length <= SEARCH_QUERY_MAX) return q;
  const cut = q.slice(0, SEARCH_QUERY_MAX);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** URL parameters → search input; anything unknown or malformed is ignored rather than an error. */
function parseParams(sp: SearchParams): Params {
  const page = Number.parseInt(first(sp.page), 10);
  return {
    q: clampQuery(first(sp.q)),
    category: oneOf(HERB_CATEGORIES, first(sp.category)),
    toxicity: oneOf(TOXICITIES, first(sp.toxicity)),
    pregnancy: oneOf(PREGNANCY_CLASSES, first(sp.pregnancy)),
    sort: oneOf(SEARCH_SORTS, first(sp.sort)) ?? 'relevance',
    page: Number.isFinite(page) ? Math.min(MAX_PAGE, Math.max(1, page)) : 1,
  };
}

/** The list URL with `changes` applied (empty values dropped; page 1 omitted). */
function hrefWith(p: Params, changes: Partial<Params>) {
  const next = { ...p, ...changes };
  const query: Record<string, string> = {};
  if (next.q) query.q = next.q;
  if (next.category) query.category = next.category;
  if (next.toxicity) query.toxicity = next.toxicity;
  if (next.pregnancy) query.pregnancy = next.pregnancy;
  if (next.sort !== 'relevance') query.sort = next.sort;
  if (next.page > 1) query.page = String(next.page);
  return { pathname: '/herbs', query };
}

const TOXICITY_TONE = { none: 'neutral', low: 'info', toxic: 'warning', high: 'danger' } as const;
const PREGNANCY_TONE = { contraindicated: 'danger', caution: 'warning', none: 'neutral' } as const;

/** Herb browser: search (Chinese, traditional, pinyin, initials, Latin, aliases), filters, sortable table. */
export default async function HerbsPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<SearchParams> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const p = parseParams(await searchParams);
  const t = await getTranslations('herbs');
  const api = await serverApi();
  const result = await api.herbs.search({
    q: p.q || undefined,
    category: p.category,
    toxicity: p.toxicity,
    pregnancy: p.pregnancy,
    sort: p.sort,
    limit: PAGE_SIZE,
    offset: (p.page - 1) * PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const grams = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 3 });
  const categoryLabel = (c: string) => (t.has(`category.${c}`) ? t(`category.${c}`) : c);
  const handlingLabel = (h: string | null, note: string | null) => {
    if (!h) return t('handling.none');
    const label = t.has(`handling.${h}`) ? t(`handling.${h}`) : h;
    return note ? t('handling.withNote', { handling: label, note }) : label;
  };
  const filtered = Boolean(p.q || p.category || p.toxicity || p.pregnancy);
  const sortHeader = (column: 'name' | 'category', label: string) => {
    const active = p.sort === column;
    return (
      <th scope="col" className="px-3 py-2 font-medium" aria-sort={active ? 'ascending' : 'none'}>
        <Link
          href={hrefWith(p, { sort: column, page: 1 })}
          className={cn('inline-flex items-center gap-1 hover:text-stone-900 hover:underline', active && 'text-brand-700')}
          aria-label={t('sortBy', { column: label })}
        >
          {label}
          <span aria-hidden>{active ? '▲' : '↕'}</span>
        </Link>
      </th>
    );
  };

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t('title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-stone-600">{t('intro')}</p>
      </div>

      <Card>
        <CardContent>
          <form role="search" method="get" className="space-y-3" aria-label={t('search.label')}>
            <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
              <div className="flex-1 space-y-1">
                <label htmlFor="herb-q" className="block text-sm font-medium text-stone-700">
                  {t('search.label')}
                </label>
                <Input
                  id="herb-q"
                  type="search"
                  name="q"
                  defaultValue={p.q}
                  maxLength={SEARCH_QUERY_MAX}
                  placeholder={t('search.placeholder')}
                  aria-describedby="herb-q-hint"
                  autoComplete="off"
                  spellCheck={false}
                  data-testid="herb-search-input"
                />
                <p id="herb-q-hint" className="text-xs text-stone-500">
                  {t('search.hint')}
                </p>
              </div>
            </div>
            <fieldset className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
              <legend className="sr-only">{t('filters.legend')}</legend>
              <div className="space-y-1">
                <label htmlFor="herb-category" className="block text-sm font-medium text-stone-700">
                  {t('filters.category')}
                </label>
                <Select id="herb-category" name="category" defaultValue={p.category ?? ''} data-testid="herb-filter-category">
                  <option value="">{t('filters.all')}</option>
                  {HERB_CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {categoryLabel(c)}
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1">
                <label htmlFor="herb-toxicity" className="block text-sm font-medium text-stone-700">
                  {t('filters.toxicity')}
                </label>
                <Select id="herb-toxicity" name="toxicity" defaultValue={p.toxicity ?? ''} data-testid="herb-filter-toxicity">
                  <option value="">{t('filters.all')}</option>
                  {TOXICITIES.map((x) => (
                    <option key={x} value={x}>
                      {t(`toxicity.${x}`)}
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1">
                <label htmlFor="herb-pregnancy" className="block text-sm font-medium text-stone-700">
                  {t('filters.pregnancy')}
                </label>
                <Select id="herb-pregnancy" name="pregnancy" defaultValue={p.pregnancy ?? ''} data-testid="herb-filter-pregnancy">
                  <option value="">{t('filters.all')}</option>
                  {PREGNANCY_CLASSES.map((x) => (
                    <option key={x} value={x}>
                      {t(`pregnancy.${x}`)}
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1">
                <label htmlFor="herb-sort" className="block text-sm font-medium text-stone-700">
                  {t('filters.sort')}
                </label>
                <Select id="herb-sort" name="sort" defaultValue={p.sort} data-testid="herb-sort">
                  {SEARCH_SORTS.map((s) => (
                    <option key={s} value={s}>
                      {t(`sort.${s}`)}
                    </option>
                  ))}
                </Select>
              </div>
              <div className="flex items-end gap-2">
                <button type="submit" className={buttonVariants()} data-testid="herb-search-submit">
                  {t('search.submit')}
                </button>
                {filtered ? (
                  <Link href="/herbs" className={buttonVariants({ variant: 'ghost' })}>
                    {t('search.clear')}
                  </Link>
                ) : null}
              </div>
            </fieldset>
          </form>
        </CardContent>
      </Card>

      <div role="status" aria-live="polite" className="space-y-1 text-sm text-stone-600">
        <p data-testid="herb-result-count">{result.query ? t('results.countFor', { total: result.total, query: result.query }) : t('results.count', { total: result.total })}</p>
        {result.query && p.q && result.query !== p.q.trim().toLowerCase() ? <p className="text-xs text-stone-500">{t('results.normalized', { query: result.query })}</p> : null}
      </div>

      {result.items.length === 0 ? (
        <EmptyState
          title={t('results.emptyTitle')}
          description={t('results.emptyHint')}
          action={
            filtered ? (
              <Link href="/herbs" className={buttonVariants({ variant: 'outline' })}>
                {t('search.clear')}
              </Link>
            ) : undefined
          }
        />
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full min-w-[56rem] text-left text-sm" data-testid="herb-table">
            <caption className="sr-only">{t('results.caption')}</caption>
            <thead className="bg-stone-50 text-stone-500">
              <tr>
                {sortHeader('name', t('columns.name'))}
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('columns.pinyin')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('columns.latin')}
                </th>
                {sortHeader('category', t('columns.category'))}
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  {t('columns.dose')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('columns.toxicity')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('columns.pregnancy')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('columns.handling')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((h) => (
                <tr key={h.id} className="border-t border-stone-100 align-top hover:bg-stone-50" data-testid="herb-row" data-herb-id={h.id}>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    <Link href={`/herbs/${h.id}`} className="text-brand-700 hover:underline" lang="zh-CN">
                      {h.name}
                    </Link>
                    {h.matchedName && h.matchedName !== h.name && (h.matchedBy === 'alias' || h.matchedBy === 'processedForm') ? (
                      <span className="ml-2 text-xs font-normal text-stone-500" lang="zh-CN">
                        {t('results.matchedVia', { name: h.matchedName })}
                      </span>
                    ) : null}
                    {h.matchedBy === 'similar' ? (
                      <Badge tone="info" className="ml-2">
                        {t('results.similar')}
                      </Badge>
                    ) : null}
                  </th>
                  <td className="px-3 py-2 text-stone-600">{h.pinyin}</td>
                  <td className="px-3 py-2 italic text-stone-600" lang="la">
                    {h.latin}
                  </td>
                  <td className="px-3 py-2">{categoryLabel(h.category)}</td>
                  <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">
                    {h.doseMinG !== null && h.doseMaxG !== null ? t('dose.range', { min: grams.format(h.doseMinG), max: grams.format(h.doseMaxG) }) : t('dose.unknown')}
                    {!h.forDecoction ? (
                      <Badge tone="neutral" className="ml-1">
                        {t('dose.notForDecoction')}
                      </Badge>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={TOXICITY_TONE[h.toxicity]}>{t(`toxicity.${h.toxicity}`)}</Badge>
                  </td>
                  <td className="px-3 py-2">
                    {h.pregnancy === 'none' ? <span className="text-stone-400">—</span> : <Badge tone={PREGNANCY_TONE[h.pregnancy]}>{t(`pregnancy.${h.pregnancy}`)}</Badge>}
                  </td>
                  <td className="px-3 py-2">{handlingLabel(h.handling, h.handlingNote)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}

      {pages > 1 ? (
        <nav aria-label={t('pagination.label')} className="flex items-center justify-between gap-2 text-sm" data-testid="herb-pagination">
          {p.page > 1 ? (
            <Link href={hrefWith(p, { page: p.page - 1 })} className={buttonVariants({ variant: 'outline', size: 'sm' })} rel="prev">
              {t('pagination.previous')}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-stone-600" aria-current="page">
            {t('pagination.page', { page: Math.min(p.page, pages), pages })}
          </span>
          {p.page < pages ? (
            <Link href={hrefWith(p, { page: p.page + 1 })} className={buttonVariants({ variant: 'outline', size: 'sm' })} rel="next">
              {t('pagination.next')}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}
