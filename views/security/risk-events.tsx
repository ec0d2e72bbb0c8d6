import { RISK_EVENT_TYPES } from '../../src/db/schema.js';
import { activeFilterLabels, type ListFilters } from '../../src/http/list-filters.js';
import { RISK_EVENTS_SPEC, type RiskEventTypeSummary } from '../../src/queries/risk-events.js';
import { FilterForm } from '../components/filter-form.js';
import { LevelBadge, TYPE_LABELS } from '../components/labels.js';
import { CELL, CountLine, EmptyState, FilteredOutState, ResultsRegion, ResultsTable, RetentionNotice } from '../components/results.js';
import { Time } from '../components/time.js';
import { Layout, type Crumb, type LayoutAdmin } from '../layout.js';
import { TYPE_NAMES_2017 } from './risk-events-about.js';

export const RISK_EVENTS_PATH = '/security/risk-events';
export const RISK_EVENTS_CRUMBS: Crumb[] = [{ label: 'Security', href: '/security' }, { label: 'Risk events', href: RISK_EVENTS_PATH }];
const LINK = 'text-blue-700 hover:underline dark:text-blue-400';

export function riskEventTypePath(type: string): string {
  return `${RISK_EVENTS_PATH}/${encodeURIComponent(type)}`;
}

export interface RiskEventsResultsProps {
  types: RiskEventTypeSummary[];
  filters: ListFilters;
  query: URLSearchParams;
  timeZone: string;
}

function DownloadLink({ query }: { query: URLSearchParams }) {
  const search = query.toString() ? `?${query}` : '';
  return (
    <p class="ml-auto">
      Download:{' '}
      <a href={`${RISK_EVENTS_PATH}/export.csv${search}`} download hx-boost="false" class={LINK}>
        CSV
      </a>
    </p>
  );
}

export function RiskEventsResults({ types, filters, query, timeZone }: RiskEventsResultsProps) {
  const total = types.reduce((sum, t) => sum + t.active + t.closed, 0);
  return (
    <>
      <RetentionNotice period={filters.period} />
      <CountLine total={{ count: total, more: false }} noun={`risk events of ${types.length} ${types.length === 1 ? 'type' : 'types'}`}>
        <DownloadLink query={query} />
      </CountLine>
      {types.length === 0 ? (
        activeFilterLabels(filters).length > 0 ? (
          <FilteredOutState noun="risk events" active={activeFilterLabels(filters)} clearHref={RISK_EVENTS_PATH} />
        ) : (
          <EmptyState title="No risk events in this period">
            <p>Riskdesk detected no risk event in the selected period. Choose a longer period, or import sign-ins and lists.</p>
          </EmptyState>
        )
      ) : (
        <ResultsTable
          caption="Risk event types detected in the period"
          columns={[{ label: 'Risk event type' }, { label: 'Level' }, { label: 'Active' }, { label: 'Closed' }, { label: 'Users affected' }, { label: 'Last detected' }]}
        >
          {types.map((t) => (
            <tr id={`type-${t.riskEventType}`} class="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <td class={CELL}>
                <a href={riskEventTypePath(t.riskEventType)} class={`font-medium ${LINK}`}>
                  {TYPE_NAMES_2017[t.riskEventType]}
                </a>
                <div class="font-mono text-xs text-slate-600 dark:text-slate-400">{t.riskEventType}</div>
              </td>
              <td class={CELL}>
                <LevelBadge level={t.riskLevel} />
              </td>
              <td class={CELL} data-testid="active">
                {t.active}
              </td>
              <td class={CELL} data-testid="closed">
                {t.closed}
              </td>
              <td class={CELL} data-testid="users">
                {t.usersAffected}
              </td>
              <td class={`${CELL} whitespace-nowrap`}>
                <Time date={t.lastDetected} timeZone={timeZone} />
              </td>
            </tr>
          ))}
        </ResultsTable>
      )}
    </>
  );
}

function AllTypes() {
  return (
    <nav aria-label="Every risk event type" class="mt-6 text-sm">
      <h2 class="mb-1 font-semibold">Every risk event type</h2>
      <ul class="flex flex-wrap gap-x-4 gap-y-1">
        {RISK_EVENT_TYPES.map((type) => (
          <li>
            <a href={riskEventTypePath(type)} class={LINK}>
              {TYPE_LABELS[type] ?? type}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function RiskEventsPage(props: RiskEventsResultsProps & { admin: LayoutAdmin }) {
  return (
    <Layout title="Risk events" admin={props.admin} crumbs={[RISK_EVENTS_CRUMBS[0], { label: 'Risk events' }]} current={RISK_EVENTS_PATH}>
      <h1 class="text-xl font-semibold">Risk events</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">The risk event types detected in the period. Select a type to see its timeline, its users and its events.</p>
      <FilterForm path={RISK_EVENTS_PATH} spec={RISK_EVENTS_SPEC} query={props.query} />
      <ResultsRegion>
        <RiskEventsResults {...props} />
      </ResultsRegion>
      <AllTypes />
    </Layout>
  );
}
