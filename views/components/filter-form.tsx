import { EVENT_STATUSES, RISK_EVENT_TYPES, RISK_LEVELS, RISK_STATES } from '../../src/db/schema.js';
import type { FilterParam, ListSpec, Sort } from '../../src/http/list-filters.js';
import { LEVEL_LABELS, STATE_LABELS, STATUS_LABELS, TYPE_LABELS } from './labels.js';
import { html } from './html.js';
import { RESULTS_ID } from './results.js';
import { MENU_MARK } from './chars.js';

// One real GET form for every list: it works without JavaScript, and with htmx a change swaps
// only the results and pushes the URL. htmx 4 inherits nothing, so every hx-* sits on the form.

const SORT_LABELS: Record<Sort, string> = { '-time': 'Newest first', time: 'Oldest first', '-level': 'Highest risk first', level: 'Lowest risk first' };
const RANGE_LABELS: Record<string, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days' };

const FIELD = 'flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300';
const CONTROL = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm font-normal text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100';

interface Option {
  value: string;
  label: string;
}

// The fields are templates rather than JSX (html.ts says why): the form is on every list page, and
// its options are most of its markup.
const SELECTED = html` selected=""`;
const CHECKED = html` checked=""`;

function Select({ name, label, options, selected, anyLabel }: { name: FilterParam; label: string; options: Option[]; selected: string[]; anyLabel?: string }) {
  const any = anyLabel ? html`<option value="">${anyLabel}</option>` : '';
  const choices = options.map((option) => html`<option value="${option.value}"${selected.includes(option.value) ? SELECTED : ''}>${option.label}</option>`);
  return html`<label class="${FIELD}">${label}<select name="${name}" class="${CONTROL}"${selected.length > 1 ? html` multiple=""` : ''}>${any}${choices}</select></label>`;
}

/**
 * Several values of one parameter as checkboxes in a drop-down that needs no JavaScript: what the
 * URL says is exactly what is ticked, so a bookmark round-trips. Nothing ticked means any.
 */
function Checkboxes({ name, label, options, selected }: { name: FilterParam; label: string; options: Option[]; selected: string[] }) {
  const boxes = options.map(
    (option) =>
      html`<label class="flex items-center gap-2 whitespace-nowrap text-slate-900 dark:text-slate-100"><input type="checkbox" name="${name}" value="${option.value}"${selected.includes(option.value) ? CHECKED : ''}/>${option.label}</label>`,
  );
  return html`<details class="relative text-xs font-medium text-slate-700 dark:text-slate-300"><summary class="${CONTROL} cursor-pointer list-none">${label} <span aria-hidden="true">${MENU_MARK}</span></summary><fieldset class="absolute z-10 mt-1 flex min-w-48 flex-col gap-1 rounded border border-slate-300 bg-white p-2 text-sm font-normal shadow dark:border-slate-600 dark:bg-slate-900"><legend class="sr-only">${label}</legend>${boxes}</fieldset></details>`;
}

function TextInput({ name, label, value, placeholder, type = 'text', size }: { name: FilterParam; label: string; value: string; placeholder?: string; type?: string; size?: number }) {
  const hint = placeholder === undefined ? '' : html` placeholder="${placeholder}"`;
  const width = size === undefined ? '' : html` size="${size}"`;
  return html`<label class="${FIELD}">${label}<input type="${type}" name="${name}" value="${value}"${hint}${width} class="${CONTROL}"/></label>`;
}

export interface FilterFormProps {
  path: string;
  spec: ListSpec;
  query: URLSearchParams;
  userLabel?: string;
  /** The table's headers sort it, so the form needs no sort field. */
  headerSort?: boolean;
  columnLabels?: Record<string, string>;
}

/** The columns ticked in the Columns drop-down: those the URL names, else the defaults. */
function shownColumns(spec: ListSpec, named: string[]): string[] {
  const chosen = named.flatMap((v) => v.split(','));
  return chosen.length > 0 ? chosen : [...(spec.columns?.defaults ?? [])];
}

export const FILTER_FORM_ID = 'filters';

export function FilterForm({ path, spec, query, userLabel = 'User (name or UPN starts with)', headerSort = false, columnLabels }: FilterFormProps) {
  const has = (name: FilterParam) => spec.params.includes(name);
  const all = (name: FilterParam) => query.getAll(name).filter((v) => v !== '');
  const one = (name: FilterParam) => all(name)[0] ?? '';
  const opts = (values: readonly string[], labels: Record<string, string>) => values.map((value) => ({ value, label: labels[value] ?? value }));
  return (
    <form
      id={FILTER_FORM_ID}
      method="get"
      action={path}
      hx-get={path}
      hx-target={`#${RESULTS_ID}`}
      hx-swap="innerHTML"
      hx-push-url="true"
      hx-trigger="change, submit"
      hx-sync="this:replace"
      role="search"
      aria-label="Filters"
      class="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
    >
      {has('range') ? (
        <>
          <Select name="range" label="Period" anyLabel="Whole retention" options={opts(Object.keys(RANGE_LABELS), RANGE_LABELS)} selected={all('range')} />
          <TextInput name="from" label="From" type="date" value={one('from').slice(0, 10)} />
          <TextInput name="to" label="To" type="date" value={one('to').slice(0, 10)} />
        </>
      ) : null}
      {has('status') ? <Checkboxes name="status" label="Status" options={opts(EVENT_STATUSES, STATUS_LABELS)} selected={all('status')} /> : null}
      {has('level') ? <Select name="level" label="Risk level (at least)" anyLabel="Any" options={opts(RISK_LEVELS, LEVEL_LABELS)} selected={all('level')} /> : null}
      {has('type') ? <Checkboxes name="type" label="Risk event type" options={opts(RISK_EVENT_TYPES, TYPE_LABELS)} selected={all('type')} /> : null}
      {has('state') ? <Select name="state" label="Risk state" anyLabel="Any" options={opts(RISK_STATES.filter((s) => s !== 'none'), STATE_LABELS)} selected={all('state')} /> : null}
      {has('user') ? <TextInput name="user" label={userLabel} type="search" value={one('user')} /> : null}
      {has('userId') && one('userId') ? <TextInput name="userId" label="User id" value={one('userId')} /> : null}
      {has('ip') ? <TextInput name="ip" label="IP or CIDR" value={one('ip')} placeholder="203.0.113.0/24" size={16} /> : null}
      {has('country') ? <TextInput name="country" label="Country" value={one('country')} placeholder="RU" size={3} /> : null}
      {has('result') ? <Select name="result" label="Result" anyLabel="Any" options={opts(['success', 'failure'], { success: 'Success', failure: 'Failure' })} selected={all('result')} /> : null}
      {has('app') ? <TextInput name="app" label="Application" type="search" value={one('app')} size={12} /> : null}
      {spec.sorts.length > 1 && !headerSort ? <Select name="sort" label="Sort" options={opts(spec.sorts, SORT_LABELS)} selected={all('sort')} /> : null}
      {!headerSort && one('limit') ? <input type="hidden" name="limit" value={one('limit')} /> : null}
      {spec.columns && columnLabels ? <Checkboxes name="columns" label="Columns" options={opts(spec.columns.all, columnLabels)} selected={shownColumns(spec, all('columns'))} /> : null}
      <button type="submit" class="rounded bg-blue-700 px-3 py-1 text-sm font-medium text-white hover:bg-blue-800">
        Apply
      </button>
      <a href={path} class="link py-1 text-sm">
        Clear
      </a>
    </form>
  );
}
