import { FEEDBACK_ACTIONS } from '../../src/actions/event-status.js';
import { FEEDBACK_LABELS } from '../components/feedback-form.js';
import { formatCount, type ResultCount } from '../components/results.js';

// Bulk feedback. A table cannot hold one form per row and a form around them all, so the row
// checkboxes join this form through their form="bulk-form" attribute.

export const BULK_FORM_ID = 'bulk-form';
export const BULK_FEEDBACK_PATH = '/security/risky-sign-ins/bulk-feedback';

const ACTIONS = FEEDBACK_ACTIONS.map((value) => ({ value, label: FEEDBACK_LABELS[value] }));

export interface BulkFeedbackBarProps {
  /** The list's query; its filters (not its cursor) go with "all matching". */
  query: URLSearchParams;
  total: ResultCount;
  returnTo: string;
  error?: string;
}

export function BulkFeedbackBar({ query, total, returnTo, error }: BulkFeedbackBarProps) {
  const filter = new URLSearchParams(query);
  filter.delete('cursor');
  const button = 'rounded border border-slate-400 px-2 py-1 hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800';
  return (
    <form id={BULK_FORM_ID} method="post" action={BULK_FEEDBACK_PATH} class="mb-2 flex flex-wrap items-center gap-2 text-sm" aria-label="Bulk feedback">
      <input type="hidden" name="filter" value={filter.toString()} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <label class="flex items-center gap-2">
        <span>Feedback</span>
        <select name="action" class="rounded border border-slate-400 bg-white px-2 py-1 dark:border-slate-500 dark:bg-slate-900">
          {ACTIONS.map((action) => (
            <option value={action.value}>{action.label}</option>
          ))}
        </select>
      </label>
      <button type="submit" name="scope" value="selected" class={button}>
        Apply to selected
      </button>
      <button type="submit" name="scope" value="all" class={button}>
        Apply to all {formatCount(total)} matching the filter
      </button>
      {error ? (
        <p role="alert" data-testid="bulk-error" class="basis-full rounded bg-amber-50 px-3 py-1.5 text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          {error}
        </p>
      ) : null}
    </form>
  );
}
