import type { Crumb, LayoutAdmin } from '../layout.js';
import { Layout } from '../layout.js';
import type { ListFilters } from '../../src/http/list-filters.js';
import { RISKY_SIGN_INS_SPEC, type RiskySignInListRow } from '../../src/queries/risky-sign-ins.js';
import { FeedbackForm } from '../components/feedback-form.js';
import { FilterForm } from '../components/filter-form.js';
import { LevelBadge, TruncatedNote, TYPE_LABELS, location } from '../components/labels.js';
import { CELL, CountLine, StatusCell, Pager, ResultsRegion, ResultsTable, RetentionNotice, type Column, type ResultCount } from '../components/results.js';
import { Time } from '../components/time.js';
import { SignInDetailLink, SignInPanelRegion } from '../components/sign-in-link.js';
import { UserCell } from '../components/user-link.js';
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
  /** A short confirmation shown in the row after feedback, e.g. "Marked as false positive". */
  message?: string;
}

export function RiskySignInRow({ row, premium, canAct, timeZone, returnTo, message }: RiskySignInRowProps) {
  const failed = row.errorCode !== 0;
  return (
    <tr id={`sign-in-${row.id}`} class="hover:bg-slate-50 dark:hover:bg-slate-800/50">
      {canAct ? (
        <td class={CELL}>
          <input type="checkbox" name="signInId" value={row.id} form={BULK_FORM_ID} aria-label={`Select sign-in ${row.id}`} />
        </td>
      ) : null}
      <td class={CELL}>
        <UserCell userId={row.userId} displayName={row.userDisplayName} userPrincipalName={row.userPrincipalName} premium={premium} />
        <TruncatedNote fields={row.truncatedFields} />
      </td>
      <td class={`${CELL} font-mono text-xs`}>{row.ipAddress ?? ''}</td>
      <td class={CELL}>{location(row)}</td>
      <td class={`${CELL} whitespace-nowrap`}>
        <SignInDetailLink signInId={row.id} back={returnTo} label={`Details of the sign-in of ${row.userDisplayName || row.userPrincipalName}`}>
          <Time date={row.createdDateTime} timeZone={timeZone} />
        </SignInDetailLink>
      </td>
      <td class={CELL}>
        <LevelBadge level={row.riskLevel} />
      </td>
      <StatusCell status={row.riskStatus} message={message} />
      <td class={`${CELL} text-xs`}>{row.riskEventTypes.map((type) => TYPE_LABELS[type] ?? type).join(', ')}</td>
      <td class={CELL}>{failed ? <span title={row.failureReason ?? undefined}>Failure ({row.errorCode})</span> : 'Success'}</td>
      <td class={CELL}>
        <FeedbackForm signInId={row.id} status={row.riskStatus} version={row.version} returnTo={returnTo} canAct={canAct} />
      </td>
    </tr>
  );
}

const COLUMNS: Column[] = [
  { label: 'User' },
  { label: 'IP' },
  { label: 'Location' },
  { label: 'Sign-in time' },
  { label: 'Risk level' },
  { label: 'Status' },
  { label: 'Risk event types' },
  { label: 'Result' },
  { label: 'Feedback', srOnly: true },
];

export interface RiskySignInsResultsProps extends RowContext {
  rows: RiskySignInListRow[];
  next: string | null;
  total: ResultCount;
  filters: ListFilters;
  /** The request's query string, for the pager, the downloads and the bulk form. */
  query: URLSearchParams;
  /** Only asked when the list is empty: has the tenant any risky sign-in at all? */
  anyAtAll: boolean;
}

export function riskySignInColumns(canAct: boolean): Column[] {
  return canAct ? [{ label: 'Select', srOnly: true }, ...COLUMNS] : COLUMNS;
}

/** The fragment htmx swaps on a filter change; the page renders it inside #results. */
export function RiskySignInsResults(props: RiskySignInsResultsProps) {
  const { rows, next, total, filters, query, canAct } = props;
  const context: RowContext = { premium: props.premium, canAct, timeZone: props.timeZone, returnTo: props.returnTo };
  return (
    <>
      <RetentionNotice period={filters.period} />
      <CountLine total={total} noun={total.count === 1 && !total.more ? 'risky sign-in' : 'risky sign-ins'}>
        <DownloadLinks query={query} />
      </CountLine>
      {rows.length === 0 ? (
        <RiskySignInsEmpty filters={filters} anyAtAll={props.anyAtAll} />
      ) : (
        <>
          {canAct ? <BulkFeedbackBar query={query} total={total} returnTo={props.returnTo} /> : null}
          <ResultsTable caption="Risky sign-ins" columns={riskySignInColumns(canAct)}>
            {rows.map((row) => (
              <RiskySignInRow row={row} {...context} />
            ))}
          </ResultsTable>
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
      <FilterForm path={RISKY_SIGN_INS_PATH} spec={RISKY_SIGN_INS_SPEC} query={props.query} />
      <ResultsRegion>
        <RiskySignInsResults {...props} />
      </ResultsRegion>
      <SignInPanelRegion />
    </Layout>
  );
}
