import type { EventStatus } from '../../src/db/schema.js';

export type FeedbackAction = 'resolve' | 'falsePositive' | 'ignore' | 'reactivate';

const BUTTON_LABELS: Record<FeedbackAction, string> = {
  resolve: 'Resolve',
  falsePositive: 'Mark as false positive',
  ignore: 'Ignore',
  reactivate: 'Reactivate',
};

/** The feedback a risky sign-in in this status accepts (PRODUCT.md section 4), in button order. */
export function allowedActions(status: EventStatus): FeedbackAction[] {
  if (status === 'active') return ['resolve', 'falsePositive', 'ignore'];
  if (status.startsWith('dismissedAs')) return ['reactivate'];
  return [];
}

export interface FeedbackFormProps {
  signInId: string;
  status: EventStatus;
  version: number;
  /** The list URL to come back to without JavaScript. */
  returnTo: string;
  canAct: boolean;
}

/**
 * One form per row, one button per allowed action: a plain POST that answers 303, and with htmx
 * a swap of just this row.
 */
export function FeedbackForm({ signInId, status, version, returnTo, canAct }: FeedbackFormProps) {
  const actions = canAct ? allowedActions(status) : [];
  if (actions.length === 0) return null;
  const action = `/security/risky-sign-ins/${encodeURIComponent(signInId)}/feedback`;
  return (
    <form method="post" action={action} hx-post={action} hx-target="closest tr" hx-swap="outerHTML" class="flex flex-wrap gap-1">
      <input type="hidden" name="version" value={String(version)} />
      <input type="hidden" name="returnTo" value={returnTo} />
      {actions.map((value) => (
        <button
          type="submit"
          name="action"
          value={value}
          class="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {BUTTON_LABELS[value]}
        </button>
      ))}
    </form>
  );
}
