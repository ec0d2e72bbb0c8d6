import type { DetectionSettings, RiskEvent, RiskEventType } from '../../src/db/schema.js';
import { activeFilterLabels, type ListFilters } from '../../src/http/list-filters.js';
import type { Page } from '../../src/queries/keyset.js';
import { RISK_EVENT_TYPE_SPEC, type TimelineDay, type TypeUser } from '../../src/queries/risk-events.js';
import { FilterForm } from '../components/filter-form.js';
import { LEVEL_LABELS } from '../components/labels.js';
import { CountLine, FilteredOutState, Pager, ResultsRegion, ResultsTable, RetentionNotice, type ResultCount } from '../components/results.js';
import { DetectionTimeline } from '../components/timeline.js';
import { userHref } from '../components/user-link.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { describeRiskEventType, TYPE_NAMES_2017 } from './risk-events-about.js';
import { RISK_EVENTS_CRUMBS, riskEventTypePath } from './risk-events.js';
import { RiskEventRow, riskEventColumns } from './risk-events-row.js';
import { RISK_EVENT_KINDS } from '../../src/detection/catalog.js';

const LINK = 'text-blue-700 hover:underline dark:text-blue-400';
export const USER_RISK_POLICY_PATH = '/security/policies/user-risk';

export interface RiskEventTypeResultsProps extends Page<RiskEvent> {
  type: RiskEventType;
  total: ResultCount;
  filters: ListFilters;
  query: URLSearchParams;
  canAct: boolean;
  timeZone: string;
  returnTo: string;
}

export function RiskEventTypeResults(props: RiskEventTypeResultsProps) {
  const { rows, next, total, filters, query, type } = props;
  return (
    <>
      <RetentionNotice period={filters.period} />
      <CountLine total={total} noun={total.count === 1 && !total.more ? 'event' : 'events'} />
      {rows.length === 0 ? (
        <FilteredOutState noun="events" active={activeFilterLabels(filters)} clearHref={riskEventTypePath(type)} />
      ) : (
        <ResultsTable caption={`${TYPE_NAMES_2017[type]}: events`} columns={riskEventColumns(false)}>
          {rows.map((event) => RiskEventRow({ event, canAct: props.canAct, timeZone: props.timeZone, returnTo: props.returnTo }))}
        </ResultsTable>
      )}
      <Pager path={riskEventTypePath(type)} query={query} next={next} isFirst={filters.cursor === null} />
    </>
  );
}

function About({ type, settings }: { type: RiskEventType; settings: DetectionSettings }) {
  const kind = RISK_EVENT_KINDS[type];
  return (
    <section aria-labelledby="about" class="mb-4 rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
      <h2 id="about" class="font-semibold">
        What it detects
      </h2>
      {describeRiskEventType(type, settings).map((text) => (
        <p class="mt-1">{text}</p>
      ))}
      <p class="mt-2 text-xs text-slate-600 dark:text-slate-400">
        Level {LEVEL_LABELS[kind.riskLevel].toLowerCase()}, detected {kind.detectionTimingType === 'realtime' ? 'in real time' : 'offline'}, on {kind.activity === 'signin' ? 'a sign-in' : 'the user'}.
      </p>
      <p class="mt-2">
        <a href={USER_RISK_POLICY_PATH} class={LINK}>
          Configure the user risk remediation policy
        </a>
      </p>
    </section>
  );
}

/** The period's timeline and users; sent out of band with the events when a filter changes. */
export function TypeSummary({ timeline, users, oob = false }: { timeline: TimelineDay[]; users: TypeUser[]; oob?: boolean }) {
  return (
    <div id="type-summary" hx-swap-oob={oob ? 'true' : undefined}>
      <div class="mb-4">
        <DetectionTimeline days={timeline} label="Detection timeline" />
      </div>
      <Users users={users} />
    </div>
  );
}

function Users({ users }: { users: TypeUser[] }) {
  return (
    <section aria-labelledby="users" class="mb-4">
      <h2 id="users" class="mb-1 text-base font-semibold">
        Users for which it was detected
      </h2>
      {users.length === 0 ? (
        <p class="text-sm text-slate-600 dark:text-slate-300">None in this period.</p>
      ) : (
        <ul class="grid gap-1 text-sm sm:grid-cols-2 lg:grid-cols-3" data-testid="type-users">
          {users.map((user) => (
            <li>
              <a href={userHref(user.userId, true)} class={LINK}>
                {user.userDisplayName || user.userPrincipalName}
              </a>{' '}
              <span class="text-xs text-slate-600 dark:text-slate-400">
                {user.events} {user.events === 1 ? 'event' : 'events'}, {user.active} active
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export interface RiskEventTypePageProps extends RiskEventTypeResultsProps {
  admin: LayoutAdmin;
  settings: DetectionSettings;
  timeline: TimelineDay[];
  users: TypeUser[];
}

export function RiskEventTypePage(props: RiskEventTypePageProps) {
  const { type } = props;
  const name = TYPE_NAMES_2017[type];
  return (
    <Layout title={name} admin={props.admin} crumbs={[...RISK_EVENTS_CRUMBS, { label: name }]} current="/security/risk-events">
      <h1 class="text-xl font-semibold">{name}</h1>
      <p class="mb-4 font-mono text-xs text-slate-600 dark:text-slate-400">{type}</p>
      <About type={type} settings={props.settings} />
      <TypeSummary timeline={props.timeline} users={props.users} />
      <h2 class="mb-2 text-base font-semibold">Events</h2>
      <div id="flash" role="status" aria-live="polite"></div>
      <FilterForm path={riskEventTypePath(type)} spec={RISK_EVENT_TYPE_SPEC} query={props.query} />
      <ResultsRegion>
        <RiskEventTypeResults {...props} />
      </ResultsRegion>
    </Layout>
  );
}
