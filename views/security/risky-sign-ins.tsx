import type { Crumb, LayoutAdmin } from '../layout.js';
import { Layout } from '../layout.js';
import type { ListFilters } from '../../src/http/list-filters.js';
import { RISKY_SIGN_INS_SPEC, type RiskySignInListRow } from '../../src/queries/risky-sign-ins.js';
import { html, type Html } from '../components/html.js';
import { CompactFeedbackForm } from '../components/feedback-form.js';
import { FILTER_FORM_ID, FilterForm } from '../components/filter-form.js';
import { LevelBadge, TYPE_LABELS, location } from '../components/labels.js';
import { signInTimeCell, userNameCell } from '../components/row-cells.js';
import { CountLine, ListState, StatusCell, Pager, ResultsRegion, ResultsTable, RetentionNotice, type Column, type ResultCount, type Sorting } from '../components/results.js';
import { SignInPanelRegion } from '../components/sign-in-link.js';
import { BulkFeedbackBar, BULK_FORM_ID } from './risky-sign-ins-bulk.js';
import { DownloadLinks, RiskySignInsEmpty } from './risky-sign-ins-parts.js';
import { FLASH_ID } from './feedback-flash.js';
import type { BulkOutcome } from '../../src/http/bulk-outcome.js';
import { BulkFeedbackNotice } from './feedback-notice.js';

export const RISKY_SIGN_INS_PATH = '/security/risky-sign-ins';

/** What the row needs besides its data: who looks, and where feedback should send them back. */
export interface RowContext {
  premium: boolean;
  canAct: boolean;
  timeZone: string;
  returnTo: string;
}

export interface RiskySignInRowProps extends RowContext {
  row: RiskySignInListRow;
  columns: readonly string[];
  message?: string;
}

export const COLUMN_LABELS: Record<string, string> = {
  user: 'User',
  upn: 'UPN',
  time: 'Sign-in time',
  ip: 'IP',
  location: 'Location',
  level: 'Risk level',
  status: 'Status',
  types: 'Risk event types',
  app: 'Application',
  result: 'Result',
};

export const DEFAULT_COLUMNS = RISKY_SIGN_INS_SPEC.columns!.defaults;

type Cell = (row: RiskySignInListRow, context: RowContext & { message?: string }) => Html;

// The row is an `html` template, not JSX: the list renders 50 of them a page, and templates render
// them in a tenth of the time (BENCHMARKS.md). Values are escaped by the template as JSX would.
// One cell per column key; user and time are the keys a phone card keeps on a line of their own.
const CELLS: Record<string, Cell> = {
  user: (row, { premium }) => userNameCell(row, premium),
  upn: (row) => html`<td class="cut sub">${row.userPrincipalName}</td>`,
  time: (row, { timeZone, returnTo }) => signInTimeCell(row, timeZone, returnTo),
  ip: (row) => html`<td class="mono">${row.ipAddress ?? ''}</td>`,
  location: (row) => {
    const where = location(row);
    return html`<td class="cut" title="${where}">${where}</td>`;
  },
  level: (row) => html`<td>${LevelBadge({ level: row.riskLevel })}</td>`,
  status: (row, { message }) => StatusCell({ status: row.riskStatus, message, dense: true }),
  types: (row) => {
    const types = row.riskEventTypes.map((type) => TYPE_LABELS[type] ?? type).join(', ');
    return html`<td class="cut wide sub" title="${types}">${types}</td>`;
  },
  app: (row) => html`<td class="cut">${row.appDisplayName ?? ''}</td>`,
  result: (row) => {
    if (row.errorCode === 0) return html`<td>Success</td>`;
    const title = row.failureReason === null ? '' : html` title="${row.failureReason}"`;
    return html`<td><span${title}>Failure (${row.errorCode})</span></td>`;
  },
};

export function RiskySignInRow({ row, columns, message, ...context }: RiskySignInRowProps): Html {
  const select = context.canAct ? html`<td><input type="checkbox" name="signInId" value="${row.id}" form="${BULK_FORM_ID}" aria-label="Select"/></td>` : '';
  const cellContext = { ...context, message };
  const cells = columns.map((column) => CELLS[column]?.(row, cellContext));
  const feedback = context.canAct
    ? html`<td>${CompactFeedbackForm({ signInId: row.id, status: row.riskStatus, version: row.version, returnTo: context.returnTo, canAct: true })}</td>`
    : '';
  return html`<tr id="sign-in-${row.id}">${select}${cells}${feedback}</tr>`;
}

/** The header of a risky sign-ins table (also the conflict page's), in the given columns. */
export function riskySignInColumns(canAct: boolean, columns: readonly string[] = DEFAULT_COLUMNS): Column[] {
  return headerColumns(columns, canAct);
}

function headerColumns(columns: readonly string[], canAct: boolean): Column[] {
  const shown: Column[] = columns.map((key) => ({ label: COLUMN_LABELS[key] ?? key, sort: key === 'time' || key === 'level' ? key : undefined }));
  if (!canAct) return shown;
  const selectAll = (
    <>
      <span class="sr-only">Select</span>
      <input type="checkbox" class="select-all" data-for={BULK_FORM_ID} aria-label="Select all on this page" />
    </>
  );
  return [{ label: 'Select', content: selectAll, class: 'sel' }, ...shown, { label: 'Feedback', srOnly: true }];
}

export function RiskySignInsTable({ caption, rows, columns, context, sorting }: { caption: string; rows: RiskySignInListRow[]; columns: readonly string[]; context: RowContext; sorting?: Sorting }) {
  return (
    <ResultsTable caption={caption} columns={headerColumns(columns, context.canAct)} dense sorting={sorting}>
      {rows.map((row) => RiskySignInRow({ row, columns, ...context }))}
    </ResultsTable>
  );
}

export interface RiskySignInsResultsProps extends RowContext {
  rows: RiskySignInListRow[];
  next: string | null;
  total: ResultCount;
  filters: ListFilters;
  query: URLSearchParams;
  /** Only asked when the list is empty: has the tenant any risky sign-in at all? */
  anyAtAll: boolean;
  bulkError?: string;
}

export function riskySignInsNoun(total: ResultCount): string {
  return total.count === 1 && !total.more ? 'risky sign-in' : 'risky sign-ins';
}

export function RiskySignInsResults(props: RiskySignInsResultsProps) {
  const { rows, next, total, filters, query, canAct } = props;
  const context: RowContext = { premium: props.premium, canAct, timeZone: props.timeZone, returnTo: props.returnTo };
  const columns = filters.columns.length > 0 ? filters.columns : DEFAULT_COLUMNS;
  return (
    <>
      <RetentionNotice period={filters.period} />
      <ListState query={query} formId={FILTER_FORM_ID} />
      <CountLine total={total} noun={riskySignInsNoun(total)}>
        <DownloadLinks query={query} />
      </CountLine>
      {rows.length === 0 ? (
        <>
          {props.bulkError ? (
            <p role="alert" data-testid="bulk-error" class="mb-2 rounded bg-amber-50 px-3 py-1.5 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
              {props.bulkError}
            </p>
          ) : null}
          <RiskySignInsEmpty filters={filters} anyAtAll={props.anyAtAll} />
        </>
      ) : (
        <>
          {canAct ? <BulkFeedbackBar query={query} total={total} returnTo={props.returnTo} error={props.bulkError} /> : null}
          <RiskySignInsTable caption="Risky sign-ins" rows={rows} columns={columns} context={context} sorting={{ path: RISKY_SIGN_INS_PATH, query, current: filters.sort }} />
        </>
      )}
      <Pager path={RISKY_SIGN_INS_PATH} query={query} next={next} isFirst={filters.cursor === null} />
    </>
  );
}

export const RISKY_SIGN_INS_CRUMBS: Crumb[] = [{ label: 'Security', href: '/security' }, { label: 'Risky sign-ins' }];

export function RiskySignInsPage(props: RiskySignInsResultsProps & { admin: LayoutAdmin; outcome: BulkOutcome | null }) {
  return (
    <Layout title="Risky sign-ins" admin={props.admin} crumbs={RISKY_SIGN_INS_CRUMBS} current={RISKY_SIGN_INS_PATH}>
      <h1 class="text-xl font-semibold">Risky sign-ins</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">Sign-ins that raised at least one risk event. Give feedback on each, or on many at once.</p>
      {props.outcome ? <BulkFeedbackNotice outcome={props.outcome} /> : <div id={FLASH_ID} role="status" aria-live="polite"></div>}
      <FilterForm path={RISKY_SIGN_INS_PATH} spec={RISKY_SIGN_INS_SPEC} query={props.query} headerSort columnLabels={COLUMN_LABELS} />
      <ResultsRegion>
        <RiskySignInsResults {...props} />
      </ResultsRegion>
      <SignInPanelRegion />
    </Layout>
  );
}
