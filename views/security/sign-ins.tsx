import { activeFilterLabels } from '../../src/http/list-filters.js';
import { SIGN_INS_SPEC, type SignInLogRow } from '../../src/queries/sign-ins.js';
import { FILTER_FORM_ID, FilterForm } from '../components/filter-form.js';
import { html, type Html } from '../components/html.js';
import { LevelBadge, location } from '../components/labels.js';
import { signInTimeCell, userNameCell } from '../components/row-cells.js';
import { CountLine, ListState, EmptyState, FilteredOutState, Pager, ResultsRegion, ResultsTable, RetentionNotice, type Column, type ListResultsProps } from '../components/results.js';
import { SignInPanelRegion } from '../components/sign-in-link.js';
import { Layout, type LayoutAdmin } from '../layout.js';

export const SIGN_INS_PATH = '/security/sign-ins';

const COLUMNS: Column[] = [{ label: 'Sign-in time', sort: 'time' }, { label: 'User' }, { label: 'Application' }, { label: 'IP' }, { label: 'Location' }, { label: 'Result' }, { label: 'Risk level' }];

export type SignInsProps = ListResultsProps<SignInLogRow>;

/** A row of the log, as a template (components/html.ts says why). */
function signInLogRow(row: SignInLogRow, premium: boolean, timeZone: string, back: string): Html {
  const where = location(row);
  const app = row.clientAppUsed === null ? '' : html` title="${row.clientAppUsed}"`;
  const reason = row.failureReason === null ? '' : html` title="${row.failureReason}"`;
  const result = row.errorCode === 0 ? 'Success' : html`<span class="text-red-800 dark:text-red-300">Failure (${row.errorCode})${row.failureReason ? `: ${row.failureReason}` : ''}</span>`;
  return html`<tr id="sign-in-${row.id}">${signInTimeCell(row, timeZone, back)}${userNameCell(row, premium)}<td class="cut"${app}>${row.appDisplayName ?? ''}</td><td class="mono">${row.ipAddress ?? ''}</td><td class="cut" title="${where}">${where}</td><td class="cut"${reason}>${result}</td><td>${row.riskLevel ? LevelBadge({ level: row.riskLevel }) : ''}</td></tr>`;
}

export function SignInsResults({ rows, next, total, filters, query, anyAtAll, premium, timeZone }: SignInsProps) {
  const back = query.size > 0 ? `${SIGN_INS_PATH}?${query}` : SIGN_INS_PATH;
  return (
    <>
      <RetentionNotice period={filters.period} />
      <ListState query={query} formId={FILTER_FORM_ID} />
      <CountLine total={total} noun={total.count === 1 && !total.more ? 'sign-in' : 'sign-ins'} />
      {rows.length > 0 ? (
        <ResultsTable caption="Sign-ins" columns={COLUMNS} dense sorting={{ path: SIGN_INS_PATH, query, current: filters.sort }}>
          {rows.map((row) => signInLogRow(row, premium, timeZone, back))}
        </ResultsTable>
      ) : anyAtAll ? (
        <FilteredOutState noun="sign-ins" active={activeFilterLabels(filters)} clearHref={SIGN_INS_PATH} />
      ) : (
        <EmptyState title="No sign-ins imported yet">
          <p>Import sign-in logs (a Graph export as .json, NDJSON or CSV) with:</p>
          <pre class="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
            <code>npm run riskdesk -- import sign-ins --tenant DOMAIN FILE</code>
          </pre>
        </EmptyState>
      )}
      <Pager path={SIGN_INS_PATH} query={query} next={next} isFirst={filters.cursor === null} />
    </>
  );
}

export function SignInsPage(props: SignInsProps & { admin: LayoutAdmin }) {
  return (
    <Layout title="Sign-ins" admin={props.admin} crumbs={[{ label: 'Security', href: '/security' }, { label: 'Sign-ins' }]} current={SIGN_INS_PATH}>
      <h1 class="text-xl font-semibold">Sign-ins</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">Every sign-in, failures included, newest first.</p>
      <FilterForm path={SIGN_INS_PATH} spec={SIGN_INS_SPEC} query={props.query} headerSort />
      <ResultsRegion>
        <SignInsResults {...props} />
      </ResultsRegion>
      <SignInPanelRegion />
    </Layout>
  );
}
