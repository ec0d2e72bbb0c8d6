import type { AuditFilters } from '../src/http/audit-filters.js';
import type { AuditListRow } from '../src/queries/audit.js';
import { CELL, CountLine, EmptyState, Pager, ResultsRegion, ResultsTable, RESULTS_ID, type ResultCount } from './components/results.js';
import { actionWords, fieldWords, valueWords } from './components/audit-words.js';
import { Time } from './components/time.js';
import { Layout, type LayoutAdmin } from './layout.js';
import { CHANGED_TO } from './components/chars.js';

export const AUDIT_PATH = '/audit';

const ACTOR_TYPES: Record<AuditListRow['actorType'], string> = { admin: 'Admin', apiKey: 'API key', system: 'System' };
const TARGET_TYPES: Record<string, string> = { riskEvent: 'Risk event', user: 'User', signIn: 'Sign-in', admin: 'Admin', tenant: 'Tenant', apiKey: 'API key', leakList: 'Leak list', trustedLocation: 'Trusted location' };

export interface Change {
  key: string;
  before: string | null;
  after: string | null;
}

function show(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Only the keys whose values differ between before and after. */
export function changedKeys(before: unknown, after: unknown): Change[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key])).map((key) => ({ key, before: show(b[key]), after: show(a[key]) }));
}

function Diff({ before, after }: { before: unknown; after: unknown }) {
  const changes = changedKeys(before, after);
  if (changes.length === 0) return <span class="text-slate-600 dark:text-slate-300">—</span>;
  return (
    <ul class="space-y-0.5 text-xs">
      {changes.map((change) => (
        <li>
          <ChangeWords change={change} />
        </li>
      ))}
    </ul>
  );
}

/** "Risk state: at risk → remediated", with the stored names and values on hover. */
export function ChangeWords({ change }: { change: Change }) {
  const before = valueWords(change.key, change.before);
  const after = valueWords(change.key, change.after);
  return (
    <>
      <span class="text-slate-600 dark:text-slate-300" title={change.key}>
        {fieldWords(change.key)}:
      </span>{' '}
      {before === null ? null : (
        <del class="text-red-700 dark:text-red-400" title={change.before ?? undefined}>
          {before}
        </del>
      )}
      {before !== null && after !== null ? CHANGED_TO : null}
      {after === null ? null : (
        <ins class="text-green-700 no-underline dark:text-green-400" title={change.after ?? undefined}>
          {after}
        </ins>
      )}
    </>
  );
}

function Target({ row, premium }: { row: AuditListRow; premium: boolean }) {
  const label = TARGET_TYPES[row.targetType] ?? row.targetType;
  const blade = premium && row.targetType === 'riskEvent' && row.riskEventType ? `/security/risk-events/${encodeURIComponent(row.riskEventType)}/${encodeURIComponent(row.targetId)}` : null;
  return (
    <>
      <span class="text-xs text-slate-600 dark:text-slate-400">{label}</span>{' '}
      {blade ? (
        <a href={blade} class="font-mono text-xs text-blue-700 hover:underline dark:text-blue-400">
          {row.targetId}
        </a>
      ) : (
        <span class="font-mono text-xs">{row.targetId}</span>
      )}
    </>
  );
}

export interface AuditResultsProps {
  rows: AuditListRow[];
  next: string | null;
  total: ResultCount;
  filters: AuditFilters;
  query: URLSearchParams;
  premium: boolean;
  timeZone: string;
}

export function AuditResults({ rows, next, total, filters, query, premium, timeZone }: AuditResultsProps) {
  const filtered = filters.actor || filters.action || filters.target || filters.range || filters.from || filters.to;
  return (
    <>
      <CountLine total={total} noun={total.count === 1 && !total.more ? 'entry' : 'entries'} />
      {rows.length === 0 ? (
        <EmptyState title={filtered ? 'No entries match these filters' : 'Nothing recorded yet'}>
          <p>{filtered ? 'Widen the period or clear a filter.' : 'Feedback, user actions and settings changes appear here as admins make them.'}</p>
          {filtered ? (
            <p>
              <a href={AUDIT_PATH} class="text-blue-700 hover:underline dark:text-blue-400">
                Clear the filters
              </a>
            </p>
          ) : null}
        </EmptyState>
      ) : (
        <ResultsTable caption="Audit log" columns={[{ label: 'When' }, { label: 'Who' }, { label: 'Action' }, { label: 'Target' }, { label: 'Before → after' }]}>
          {rows.map((row) => (
            <tr data-testid="audit-row">
              <td class={`${CELL} whitespace-nowrap`}>
                <Time date={row.at} timeZone={timeZone} />
              </td>
              <td class={CELL}>
                {row.actorLabel} <span class="text-xs text-slate-600 dark:text-slate-400">({ACTOR_TYPES[row.actorType] ?? row.actorType})</span>
              </td>
              <td class={CELL}>
                <span title={row.action} data-action={row.action}>
                  {actionWords(row.action)}
                </span>
              </td>
              <td class={CELL}>
                <Target row={row} premium={premium} />
              </td>
              <td class={CELL}>
                <Diff before={row.before} after={row.after} />
              </td>
            </tr>
          ))}
        </ResultsTable>
      )}
      <Pager path={AUDIT_PATH} query={query} next={next} isFirst={filters.cursor === null} />
    </>
  );
}

const FIELD = 'flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300';
const CONTROL = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm font-normal text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100';
const RANGES: [string, string][] = [['', 'All time'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['90d', 'Last 90 days']];

function AuditFilterForm({ query }: { query: URLSearchParams }) {
  const value = (name: string) => query.get(name) ?? '';
  const text = (name: string, label: string, placeholder: string) => (
    <label class={FIELD}>
      {label}
      <input type="text" name={name} value={value(name)} placeholder={placeholder} class={CONTROL} />
    </label>
  );
  return (
    <form method="get" action={AUDIT_PATH} hx-get={AUDIT_PATH} hx-target={`#${RESULTS_ID}`} hx-swap="innerHTML" hx-push-url="true" hx-trigger="change, submit" role="search" aria-label="Filters" class="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      {text('actor', 'Who (starts with)', 'alice@contoso.com')}
      {text('action', 'Action', 'riskEvent.falsePositive')}
      {text('target', 'Target id', 'event or user id')}
      <label class={FIELD}>
        Period
        <select name="range" class={CONTROL}>
          {RANGES.map(([range, label]) => (
            <option value={range} selected={value('range') === range ? true : undefined}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label class={FIELD}>
        From
        <input type="date" name="from" value={value('from').slice(0, 10)} class={CONTROL} />
      </label>
      <label class={FIELD}>
        To
        <input type="date" name="to" value={value('to').slice(0, 10)} class={CONTROL} />
      </label>
      <button type="submit" class="rounded bg-blue-700 px-3 py-1 text-sm font-medium text-white hover:bg-blue-800">
        Apply
      </button>
    </form>
  );
}

export function AuditPage(props: AuditResultsProps & { admin: LayoutAdmin }) {
  return (
    <Layout title="Audit log" admin={props.admin} current={AUDIT_PATH} crumbs={[{ label: 'Manage' }, { label: 'Audit log' }]}>
      <h1 class="text-xl font-semibold">Audit log</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">Every change to risk events, users and settings: who made it, when, and what it changed.</p>
      <AuditFilterForm query={props.query} />
      <ResultsRegion>
        <AuditResults {...props} />
      </ResultsRegion>
    </Layout>
  );
}
