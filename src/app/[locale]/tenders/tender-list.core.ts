import { isTenderTodo, needsCaller, type TenderTodo, type TodoRow } from '@/server/domains/tenders/tender-todo.core.ts';
import { isTenderStatus, type TenderStatus } from '@/server/domains/tenders/tenders.core.ts';
import { oneParam, pickParam } from '@/lib/search-params.ts';

/** The tender list's filters and sorting, kept in the URL (`?todo=bid&status=published&sort=bid_deadline_asc`). */

export const TENDER_SORTS = ['created_desc', 'bid_deadline_asc', 'opening_asc'] as const;
export type TenderSort = (typeof TENDER_SORTS)[number];

export interface TenderListQuery {
  todo?: TenderTodo;
  status?: TenderStatus;
  sort: TenderSort;
}


/** Parses the page's search params; a to-do filter the caller does not have, or an unknown value, is dropped. */
export function parseTenderListQuery(params: Record<string, string | string[] | undefined>, todos: readonly TenderTodo[]): TenderListQuery {
  const todo = oneParam(params.todo);
  const status = oneParam(params.status);
  const sort = oneParam(params.sort);
  return {
    ...(isTenderTodo(todo) && todos.includes(todo) ? { todo } : {}),
    ...(isTenderStatus(status) ? { status } : {}),
    sort: pickParam(TENDER_SORTS, sort) ?? 'created_desc',
  };
}

export interface TenderListRow extends TodoRow {
  id: string;
  createdAt: string;
  bidDeadline: string;
  openingAt: string;
}

const ms = (iso: string) => new Date(iso).getTime();
const ORDER: Record<TenderSort, (a: TenderListRow, b: TenderListRow) => number> = {
  created_desc: (a, b) => ms(b.createdAt) - ms(a.createdAt),
  bid_deadline_asc: (a, b) => ms(a.bidDeadline) - ms(b.bidDeadline),
  opening_asc: (a, b) => ms(a.openingAt) - ms(b.openingAt),
};

/** The rows the query keeps, in its order (ties by id, so the order is stable between loads). */
export function selectTenders<T extends TenderListRow>(rows: readonly T[], q: TenderListQuery): T[] {
  const todo = q.todo;
  return rows
    .filter((r) => (todo ? needsCaller(todo, r) : true) && (q.status ? r.status === q.status : true))
    .sort((a, b) => ORDER[q.sort](a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
