import { activeFilterLabels } from '../../src/http/list-filters.js';
import { USERS_AT_RISK_SPEC, type UserAtRiskRow } from '../../src/queries/users-at-risk.js';
import { FilterForm } from '../components/filter-form.js';
import { LevelBadge, STATE_LABELS } from '../components/labels.js';
import { CELL, CountLine, EmptyState, FilteredOutState, Pager, ResultsRegion, ResultsTable, type Column, type ListResultsProps } from '../components/results.js';
import { Time } from '../components/time.js';
import { UserCell } from '../components/user-link.js';
import { Layout, type LayoutAdmin } from '../layout.js';

export const USERS_AT_RISK_PATH = '/security/users-at-risk';

const COLUMNS: Column[] = [{ label: 'User' }, { label: 'Risk level' }, { label: 'State' }, { label: 'Last updated' }, { label: 'Active events' }];

export type UsersAtRiskProps = ListResultsProps<UserAtRiskRow>;

function UserAtRiskRowView({ row, premium, timeZone }: { row: UserAtRiskRow; premium: boolean; timeZone: string }) {
  return (
    <tr id={`user-${row.id}`}>
      <td class={CELL}>
        <UserCell userId={row.id} displayName={row.displayName} userPrincipalName={row.userPrincipalName} premium={premium} />
      </td>
      <td class={CELL}>
        <LevelBadge level={row.riskLevel} />
      </td>
      <td class={CELL}>{STATE_LABELS[row.riskState] ?? row.riskState}</td>
      <td class={`${CELL} whitespace-nowrap`}>
        <Time date={row.riskLastUpdatedAt} timeZone={timeZone} />
      </td>
      <td class={CELL}>{row.activeEventCount}</td>
    </tr>
  );
}

export function UsersAtRiskResults({ rows, next, total, filters, query, anyAtAll, premium, timeZone }: UsersAtRiskProps) {
  return (
    <>
      <CountLine total={total} noun={total.count === 1 && !total.more ? 'user' : 'users'} />
      {rows.length > 0 ? (
        <ResultsTable caption="Users flagged for risk" columns={COLUMNS}>
          {rows.map((row) => (
            <UserAtRiskRowView row={row} premium={premium} timeZone={timeZone} />
          ))}
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
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">Users whose accounts may be compromised, most recently updated first.</p>
      <FilterForm path={USERS_AT_RISK_PATH} spec={USERS_AT_RISK_SPEC} query={props.query} />
      <ResultsRegion>
        <UsersAtRiskResults {...props} />
      </ResultsRegion>
    </Layout>
  );
}
