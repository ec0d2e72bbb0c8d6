import { html } from './html.js';
import type { Child } from 'hono/jsx';
import type { EventStatus } from '../../src/db/schema.js';
import type { ListFilters, Sort } from '../../src/http/list-filters.js';
import { StatusBadge } from './labels.js';
import { SORTED_DOWN, SORTED_UP } from './chars.js';

// The parts every list shares: count, table, pager, empty state and the retention notice. A page
// renders <ResultsRegion> around the same fragment that htmx asks for on a filter change.

export const RESULTS_ID = 'results';

export function ResultsRegion({ children }: { children?: Child }) {
  return (
    <div id={RESULTS_ID} aria-live="polite" class="mt-4">
      {children}
    </div>
  );
}

export interface ResultCount {
  count: number;
  more: boolean;
}

export function formatCount({ count, more }: ResultCount): string {
  return `${count.toLocaleString('en-US')}${more ? '+' : ''}`;
}

export const COUNT_ID = 'count';

/** The count alone; a feedback swap sends it again out of band so it stays true. */
export function CountText({ total, noun }: { total: ResultCount; noun: string }) {
  return (
    <p id={COUNT_ID} data-testid="count">
      <strong class="font-semibold text-slate-900 dark:text-slate-100">{formatCount(total)}</strong> {noun}
    </p>
  );
}

export function CountLine({ total, noun, children }: { total: ResultCount; noun: string; children?: Child }) {
  return (
    <div class="mb-2 flex flex-wrap items-center gap-3 text-sm text-slate-700 dark:text-slate-300">
      <CountText total={total} noun={noun} />
      {children}
    </div>
  );
}

export interface Column {
  label: string;
  srOnly?: boolean;
  sort?: 'time' | 'level';
  content?: Child;
  class?: string;
}

/** How a table's headers sort: links that set `sort` on the list's own query. */
export interface Sorting {
  path: string;
  query: URLSearchParams;
  current: Sort;
}

function SortHeader({ column, sorting }: { column: Column & { sort: 'time' | 'level' }; sorting: Sorting }) {
  const key = column.sort;
  const active = sorting.current.endsWith(key);
  const descending = sorting.current.startsWith('-');
  // Newest or highest first on the first click, the other way round on the next.
  const next = active && descending ? key : `-${key}`;
  const params = new URLSearchParams(sorting.query);
  params.delete('cursor');
  params.set('sort', next);
  const href = `${sorting.path}?${params}`;
  return (
    <th scope="col" aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <a href={href} hx-get={href} hx-target={`#${RESULTS_ID}`} hx-push-url="true">
        {column.label}
        {active ? <span aria-hidden="true">{descending ? SORTED_DOWN : SORTED_UP}</span> : null}
      </a>
    </th>
  );
}

export function ResultsTable({ caption, columns, sorting, dense = false, children }: { caption: string; columns: Column[]; sorting?: Sorting; dense?: boolean; children?: Child }) {
  if (dense) {
    return (
      <div class="rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table class="dense">
          <caption class="sr-only">{caption}</caption>
          <thead class="border-b border-slate-200 bg-slate-50 text-xs text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-200">
            <tr>
              {columns.map((column) =>
                column.sort && sorting ? (
                  <SortHeader column={{ ...column, sort: column.sort }} sorting={sorting} />
                ) : (
                  <th scope="col" class={column.class}>
                    {column.content ?? (column.srOnly ? <span class="sr-only">{column.label}</span> : column.label)}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
        </table>
      </div>
    );
  }
  return (
    <div class="overflow-x-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table class="w-full text-left text-sm">
        <caption class="sr-only">{caption}</caption>
        <thead class="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
          <tr>
            {columns.map((column) => (
              <th scope="col" class="px-3 py-2 font-medium">
                {column.srOnly ? <span class="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

export const CELL = 'px-3 py-2 align-top';

/** Next page by cursor, and back to the first; links that work without JavaScript and swap with it. */
export function Pager({ path, query, next, isFirst }: { path: string; query: URLSearchParams; next: string | null; isFirst: boolean }) {
  if (!next && isFirst) return null;
  const link = (cursor: string | null) => {
    const params = new URLSearchParams(query);
    params.delete('cursor');
    if (cursor) params.set('cursor', cursor);
    const search = params.toString();
    return search ? `${path}?${search}` : path;
  };
  const classes = 'rounded border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';
  return (
    <nav aria-label="Pages" class="mt-3 flex gap-2 text-sm">
      {isFirst ? null : (
        <a href={link(null)} hx-get={link(null)} hx-target={`#${RESULTS_ID}`} hx-push-url="true" class={classes}>
          First page
        </a>
      )}
      {next ? (
        <a href={link(next)} hx-get={link(next)} hx-target={`#${RESULTS_ID}`} hx-push-url="true" rel="next" class={classes}>
          Next page
        </a>
      ) : null}
    </nav>
  );
}

export function EmptyState({ title, children }: { title: string; children?: Child }) {
  return (
    <section class="rounded border border-dashed border-slate-300 bg-white p-6 text-sm dark:border-slate-700 dark:bg-slate-900" data-testid="empty">
      <h2 class="text-base font-semibold">{title}</h2>
      <div class="mt-2 space-y-2 text-slate-600 dark:text-slate-300">{children}</div>
    </section>
  );
}

/** "The filters exclude everything": which filters are on, and a way out. */
export function FilteredOutState({ noun, active, clearHref }: { noun: string; active: string[]; clearHref: string }) {
  return (
    <EmptyState title={`No ${noun} match these filters`}>
      {active.length > 0 ? (
        <>
          <p>Active filters:</p>
          <ul class="list-inside list-disc">
            {active.map((label) => (
              <li>{label}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>There are none in the selected period.</p>
      )}
      <p>
        <a href={clearHref} class="text-blue-700 hover:underline dark:text-blue-400">
          Clear the filters
        </a>
      </p>
    </EmptyState>
  );
}

export function Notice({ children }: { children?: Child }) {
  return (
    <p role="note" data-testid="notice" class="mb-3 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      {children}
    </p>
  );
}

/** The date filter reached past what the edition keeps, so it was cut to the retention window. */
export function RetentionNotice({ period }: { period: { capped: boolean; retentionDays: number } | null }) {
  if (!period?.capped) return null;
  return (
    <Notice>
      Showing the last {period.retentionDays} days only: your edition keeps sign-ins for {period.retentionDays} days, so the period was shortened.
    </Notice>
  );
}

export interface ListResultsProps<Row> {
  rows: Row[];
  next: string | null;
  total: ResultCount;
  filters: ListFilters;
  query: URLSearchParams;
  /** Whether the tenant has any row at all, to tell "nothing imported" from "filtered out". */
  anyAtAll: boolean;
  premium: boolean;
  timeZone: string;
}

/** The status cell of a row that takes feedback, with the short confirmation after an action. */
export function StatusCell({ status, message, dense = false }: { status: EventStatus; message?: string; dense?: boolean }) {
  // A template rather than JSX: every row of the risky lists has one.
  const said = message ? html`<span role="status" class="${dense ? 'sr-only' : 'block text-xs text-green-800 dark:text-green-300'}">${message}</span>` : '';
  return html`<td${dense ? '' : html` class="${CELL}"`} data-testid="status">${StatusBadge({ status })}${said}</td>`;
}

/**
 * The list's current sort and page size, kept with the results so the filter form (which a swap
 * does not redraw) submits what the headers last chose; `form` ties them to it.
 */
export function ListState({ query, formId }: { query: URLSearchParams; formId: string }) {
  return (
    <>
      {(['sort', 'limit'] as const).map((name) => {
        const value = query.get(name);
        return value ? <input type="hidden" name={name} value={value} form={formId} /> : null;
      })}
    </>
  );
}
