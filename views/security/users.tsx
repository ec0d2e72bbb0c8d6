import type { Child } from 'hono/jsx';
import type { UserBlade } from '../../src/queries/users.js';
import { LevelBadge, STATE_LABELS } from '../components/labels.js';
import { ResultsTable } from '../components/results.js';
import { Time } from '../components/time.js';
import { SignInPanelRegion } from '../components/sign-in-link.js';
import { CONFIRM_REGION_ID } from './users-confirm.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { History } from './risk-events-history.js';
import { DECISION_LABELS, policyPath } from './policy-impact.js';
import { RiskEventRow, riskEventColumns } from './risk-events-row.js';
import { RiskySignInsTable } from './risky-sign-ins.js';
import { ELLIPSIS } from '../components/chars.js';

const LINK = 'text-blue-700 hover:underline dark:text-blue-400';
const SECTION = 'mb-6';
const BUTTON = 'rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

export function userPath(userId: string): string {
  return `/security/users/${encodeURIComponent(userId)}`;
}

export function allSignInsHref(userId: string): string {
  return `/security/sign-ins?userId=${encodeURIComponent(userId)}`;
}

/**
 * One user action: a link to its confirmation page; with htmx the confirmation opens in place above
 * the blade, and only its button posts.
 */
function ActionLink({ userId, action, label, danger = false }: { userId: string; action: string; label: string; danger?: boolean }) {
  const href = `${userPath(userId)}/${action}`;
  return (
    <a
      href={href}
      hx-get={href}
      hx-target={`#${CONFIRM_REGION_ID}`}
      hx-swap="innerHTML"
      class={danger ? `${BUTTON} border-red-300 text-red-800 dark:border-red-800 dark:text-red-300` : BUTTON}
      data-testid={`action-${action}`}
    >
      {label}
      {ELLIPSIS}
    </a>
  );
}

function Fact({ label, children }: { label: string; children?: Child }) {
  return (
    <div>
      <dt class="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd class="font-medium">{children}</dd>
    </div>
  );
}

export interface UserBladeProps extends UserBlade {
  admin: LayoutAdmin;
  canAct: boolean;
  timeZone: string;
  returnTo: string;
  notice?: string | null;
  /** Why an action was refused (409): the page then shows the fresh state. */
  refusal?: string | null;
}

export function UserBladePage({ admin, user, activeEvents, riskySignIns, history, policyDecision, canAct, timeZone, returnTo, notice, refusal }: UserBladeProps) {
  const name = user.displayName || user.userPrincipalName;
  return (
    <Layout title={name} admin={admin} crumbs={[{ label: 'Security', href: '/security' }, { label: 'Users flagged for risk', href: '/security/users-at-risk' }, { label: name }]} current="/security/users-at-risk">
      <h1 class="text-xl font-semibold">{name}</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">
        {user.userPrincipalName} ·{' '}
        <a href={allSignInsHref(user.id)} class={LINK}>
          All sign-ins
        </a>
      </p>
      {refusal ? (
        <section role="alert" class="mb-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950">
          <h2 class="font-semibold">Nothing was changed</h2>
          <p>{refusal}</p>
        </section>
      ) : null}
      {notice ? (
        <p role="status" class="mb-3 rounded bg-green-50 px-3 py-2 text-sm text-green-900 dark:bg-green-950 dark:text-green-100">
          {notice}
        </p>
      ) : null}
      <dl class="mb-4 flex flex-wrap gap-6 rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900" data-testid="user-risk">
        <Fact label="Risk level">
          <LevelBadge level={user.riskLevel} />
        </Fact>
        <Fact label="Risk state">{STATE_LABELS[user.riskState]}</Fact>
        <Fact label="Risk detail">{user.riskDetail}</Fact>
        <Fact label="Active risk events">{user.activeEventCount}</Fact>
        <Fact label="Last updated">{user.riskLastUpdatedAt ? <Time date={user.riskLastUpdatedAt} timeZone={timeZone} /> : '—'}</Fact>
        <Fact label="Password reset required">{user.passwordResetRequired ? 'Yes' : 'No'}</Fact>
      </dl>
      <p class="mb-4 text-sm" data-testid="user-policy">
        Under the{' '}
        <a href={policyPath('userRisk')} class={LINK}>
          user risk policy
        </a>
        : <strong>{DECISION_LABELS[policyDecision]}</strong>
      </p>
      {canAct ? (
        <>
          <div class="mb-3 flex flex-wrap gap-2" data-testid="user-actions">
            <ActionLink userId={user.id} action="reset-password" label="Reset password" />
            {user.activeEventCount > 0 ? <ActionLink userId={user.id} action="dismiss" label="Dismiss all events" /> : null}
            <ActionLink userId={user.id} action="confirm-compromised" label="Confirm compromised" danger />
          </div>
          <div id={CONFIRM_REGION_ID} aria-live="polite"></div>
        </>
      ) : null}
      <section class={SECTION} aria-labelledby="investigate">
        <h2 id="investigate" class="mb-2 text-base font-semibold">
          Risk events to investigate
        </h2>
        {activeEvents.length === 0 ? (
          <p class="text-sm text-slate-600 dark:text-slate-300">No active risk event.</p>
        ) : (
          <ResultsTable caption="Active risk events" columns={riskEventColumns(true)}>
            {activeEvents.map((event) => RiskEventRow({ event, canAct, timeZone, returnTo, showType: true }))}
          </ResultsTable>
        )}
      </section>
      <section class={SECTION} aria-labelledby="risky-sign-ins">
        <h2 id="risky-sign-ins" class="mb-2 text-base font-semibold">
          Risky sign-ins
        </h2>
        {riskySignIns.rows.length === 0 ? (
          <p class="text-sm text-slate-600 dark:text-slate-300">No risky sign-in within your edition's retention.</p>
        ) : (
          <RiskySignInsTable
            caption="Risky sign-ins of the user"
            rows={riskySignIns.rows}
            columns={['time', 'ip', 'location', 'level', 'status', 'types', 'app', 'result']}
            context={{ premium: true, canAct: false, timeZone, returnTo }}
          />
        )}
        {riskySignIns.next ? (
          <p class="mt-2 text-sm">
            <a href={`/security/risky-sign-ins?userId=${encodeURIComponent(user.id)}`} class={LINK}>
              All risky sign-ins of this user
            </a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="history">
        <h2 id="history" class="mb-2 text-base font-semibold">
          History
        </h2>
        <History entries={history} showTarget timeZone={timeZone} />
      </section>
      <SignInPanelRegion />
    </Layout>
  );
}
