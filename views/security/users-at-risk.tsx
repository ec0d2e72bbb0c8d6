import { activeFilterLabels } from '../../src/http/list-filters.js';
import { USERS_AT_RISK_SPEC, type UserAtRiskRow } from '../../src/queries/users-at-risk.js';
import { html, type Html } from '../components/html.js';
import { FILTER_FORM_ID, FilterForm } from '../components/filter-form.js';
import { LevelBadge, STATE_LABELS } from '../components/labels.js';
import { CountLine, ListState, EmptyState, FilteredOutState, Pager, ResultsRegion, ResultsTable, type Column, type ListResultsProps } from '../components/results.js';
import { Time } from '../components/time.js';
import { userHref } from '../components/user-link.js';
import { Layout, type LayoutAdmin } from '../layout.js';

export const USERS_AT_RISK_PATH = '/security/users-at-risk';

const COLUMNS: Column[] = [{ label: 'User' }, { label: 'Risk level', sort: 'level' }, { label: 'State' }, { label: 'Last updated', sort: 'time' }, { label: 'Active events' }];

export type UsersAtRiskProps = ListResultsProps<UserAtRiskRow>;

/** A row of the list, as a template (components/html.ts says why). */
function userAtRiskRow(row: UserAtRiskRow, premium: boolean, timeZone: string): Html {
  return html`<tr id="user-${row.id}"><td class="cut key"><a href="${userHref(row.id, premium)}" class="link font-medium">${row.displayName || row.userPrincipalName}</a> <span class="sub">${row.userPrincipalName}</span></td><td>${LevelBadge({ level: row.riskLevel })}</td><td>${STATE_LABELS[row.riskState] ?? row.riskState}</td><td>${Time({ date: row.riskLastUpdatedAt, timeZone })}</td><td>${row.activeEventCount}<span class="sr-only"> active events</span></td></tr>`;
}

export function UsersAtRiskResults({ rows, next, total, filters, query, anyAtAll, premium, timeZone }: UsersAtRiskProps) {
  return (
    <>
      <ListState query={query} formId={FILTER_FORM_ID} />
      <CountLine total={total} noun={total.count === 1 && !total.more ? 'user' : 'users'} />
      {rows.length > 0 ? (
        <ResultsTable caption="Users flagged for risk" columns={COLUMNS} dense sorting={{ path: USERS_AT_RISK_PATH, query, current: filters.sort }}>
          {rows.map((row) => userAtRiskRow(row, premium, timeZone))}
        </ResultsTable>
      ) : anyAtAll ? (
        <FilteredOutState noun="users flagged for risk" active={activeFilterLabels(filters)} clearHref={USERS_AT_RISK_PATH} />
      ) : (
        <EmptyState title="No users flagged for risk">
          <p>A user is flagged when one of their sign-ins raises a risk event, or when their credentials appear on a leak list. None has been so far.</p>
        </EmptyState>
      )}
      <Pager path={USERS_AT_RISK_PATH} query={query} next={next} isFirst={filters.cursor === null} />
    </>
  );
}

export function UsersAtRiskPage(props: UsersAtRiskProps & { admin: LayoutAdmin }) {
  return (
    <Layout title="Users flagged for risk" admin={props.admin} crumbs={[{ label: 'Security', href: '/security' }, { label: 'Users flagged for risk' }]} current={USERS_AT_RISK_PATH}>
      <h1 class="text-xl font-semibold">Users flagged for risk</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">Users whose accounts may be compromised, highest risk first, then the most recent change.</p>
      <FilterForm path={USERS_AT_RISK_PATH} spec={USERS_AT_RISK_SPEC} query={props.query} headerSort />
      <ResultsRegion>
        <UsersAtRiskResults {...props} />
      </ResultsRegion>
    </Layout>
  );
}
