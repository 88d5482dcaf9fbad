import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { TabLinks } from '@/components/ui/tab-links.tsx';
import { Link } from '@/i18n/navigation.ts';
import { cn } from '@/lib/cn.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { FilterSelect, FilterSubmit } from '@/components/ui/filter-bar.tsx';
import { needsCaller, type SupplierStep, type TenderTodo } from '@/server/domains/tenders/tender-todo.core.ts';
import { TENDER_STATUSES } from '@/server/domains/tenders/tenders.core.ts';
import { shanghai } from './format.ts';
import { InvitationsPanel } from './invitations-panel.tsx';
import { MembersPanel } from './members-panel.tsx';
import { parseTenderListQuery, selectTenders, TENDER_SORTS } from './tender-list.core.ts';

/** How a supplier's step reads: work waiting for it stands out. */
const STEP_TONE: Record<SupplierStep, 'warning' | 'info' | 'success' | 'danger' | 'neutral'> = {
  register: 'warning',
  bid: 'warning',
  awaiting_qualification: 'info',
  bids_in: 'success',
  not_qualified: 'danger',
  closed: 'neutral',
};

export default async function TendersPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale } = await params;
  const query = await searchParams;
  const v = await requireOrgPage(locale, '/tenders');
  if (!(['tender:manage', 'tender:demand', 'tender:bid'] as const).some((p) => v.permissions.includes(p))) notFound();
  const t = await getTranslations('tenders');
  const api = await serverApi();
  const { role, tenders } = await api.tenders.list();
  const officer = role === 'officer' && v.permissions.includes('tender:manage');
  const members = officer ? await api.tenders.members() : [];
  // A hospital or pharmacy answers the alliances that invite it (its owner or buyer).
  const invitee = role === 'member' && v.permissions.includes('tender:demand');
  const invitations = invitee ? await api.tenders.myInvitations() : [];
  // The "to do" tabs: a supplier registers and bids; an alliance officer qualifies registrations.
  const todos: TenderTodo[] = role === 'supplier' && v.permissions.includes('tender:bid') ? ['register', 'bid'] : officer ? ['qualify'] : [];
  const q = parseTenderListQuery(query, todos);
  const todo = q.todo ?? null;
  const shown = selectTenders(tenders, q);
  // The tabs keep the status filter and the sorting.
  const keep = { ...(q.status ? { status: q.status } : {}), ...(q.sort !== 'created_desc' ? { sort: q.sort } : {}) };
  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')}>
        {officer ? (
          <Link href="/tenders/new" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm text-white" data-testid="tender-new">
            {t('newTender')}
          </Link>
        ) : null}
      </PageHeader>
      {role ? <p className="text-sm text-stone-600">{t('yourRole', { role: t(`roles.${role}`) })}</p> : null}
      {invitee ? (
        <Card data-testid="alliance-invitations-card">
          <CardHeader>
            <CardTitle>{t('myInvitationsTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <InvitationsPanel invitations={invitations} />
          </CardContent>
        </Card>
      ) : null}
      {todos.length > 0 ? (
        <TabLinks
          label={t('todo.label')}
          testId="tender-todo-tabs"
          tabs={[null, ...todos].map((k) => ({
            key: k ?? 'all',
            href: { pathname: '/tenders', query: k ? { todo: k, ...keep } : keep },
            label: k ? `${t(`todo.${k}`)} ${tenders.filter((row) => needsCaller(k, row)).length}` : t('todo.all'),
            current: k === todo,
            testId: `tender-todo-${k ?? 'all'}`,
          }))}
        />
      ) : null}
      {tenders.length > 0 ? (
        <form method="get" className="flex flex-wrap items-end gap-3 text-sm" data-testid="tender-filter">
          {todo ? <input type="hidden" name="todo" value={todo} /> : null}
          <FilterSelect name="status" label={t('colStatus')} value={q.status ?? ''} options={[{ value: '', label: t('todo.all') }, ...TENDER_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))]} testId="tender-filter-status" />
          <FilterSelect name="sort" label={t('sort.label')} value={q.sort} options={TENDER_SORTS.map((s) => ({ value: s, label: t(`sort.${s}`) }))} testId="tender-sort" />
          <FilterSubmit label={t('sort.apply')} testId="tender-filter-submit" />
        </form>
      ) : null}
      <Card>
        <CardContent>
          {shown.length === 0 ? (
            q.status ? (
              <EmptyState title={t('noMatch')} description={t('noMatchHint')} />
            ) : todo ? (
              <EmptyState title={t('todo.none')} description={t('todo.noneHint')} />
            ) : (
              <EmptyState title={t('noTenders')} description={t('noTendersHint')} />
            )
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[720px] text-left text-sm" data-testid="tenders-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('colTitle')}</th>
                    {role === 'supplier' ? <th className="py-2 font-medium">{t('colMine')}</th> : null}
                    {officer ? <th className="py-2 font-medium">{t('colPendingRegistrations')}</th> : null}
                    <th className="py-2 font-medium">{t('colAlliance')}</th>
                    <th className="py-2 font-medium">{t('colMethod')}</th>
                    <th className="py-2 font-medium">{t('colStatus')}</th>
                    <th className="py-2 text-right font-medium">{t('colBidDeadline')}</th>
                    <th className="py-2 text-right font-medium">{t('colOpeningAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((row) => (
                    <tr key={row.id} className="border-t border-stone-100" data-testid="tender-row" data-tender-id={row.id}>
                      <td className="py-2">
                        <Link href={`/tenders/${row.id}`} className="text-brand-700 hover:underline">
                          {row.title}
                        </Link>
                      </td>
                      {role === 'supplier' ? (
                        <td className="py-2">
                          {row.mine ? (
                            <Badge tone={STEP_TONE[row.mine.step]} className="whitespace-nowrap" data-testid="tender-mine">
                              {t(`mine.${row.mine.step}`, { count: row.mine.lotsToBid })}
                            </Badge>
                          ) : null}
                        </td>
                      ) : null}
                      {officer ? (
                        <td className={cn('py-2 tabular-nums', (row.pendingRegistrations ?? 0) > 0 ? 'font-medium text-amber-800' : 'text-stone-500')} data-testid="tender-pending-registrations">
                          {row.pendingRegistrations ?? 0}
                        </td>
                      ) : null}
                      <td className="py-2">{row.allianceName}</td>
                      <td className="py-2">{t(`methods.${row.method}`)}</td>
                      <td className="py-2">
                        <Badge>{t(`statuses.${row.status}`)}</Badge>
                      </td>
                      <td className="py-2 text-right">{shanghai(row.bidDeadline)}</td>
                      <td className="py-2 text-right">{shanghai(row.openingAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
      {officer ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('membersTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <MembersPanel members={members} />
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
