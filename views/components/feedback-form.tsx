import { html } from './html.js';
import { allowedActions, type FeedbackAction } from '../../src/actions/event-status.js';
import type { EventStatus } from '../../src/db/schema.js';

/** The words on the feedback buttons, as the portal has them. */
export const FEEDBACK_LABELS: Record<FeedbackAction, string> = {
  resolve: 'Resolve',
  falsePositive: 'Mark as false positive',
  ignore: 'Ignore',
  reactivate: 'Reactivate',
};

/**
 * A row's form, boosted: htmx posts to its action (the address is written once, not again in an
 * hx-post) and swaps the row the server answers with for the form's row, leaving the address bar be.
 */
const SWAP_ROW = html`target:'closest tr' swap:outerHTML push:false`;

export interface StatusActionsFormProps {
  action: string;
  status: EventStatus;
  version: number;
  returnTo: string;
  canAct: boolean;
  /** With htmx, swap just the enclosing table row; otherwise a plain POST and a 303 back. */
  swapRow?: boolean;
}

/**
 * One form, one button per action the status allows: a plain POST that
 * answers 303, and with htmx a swap of just its row. Readers get no form at all.
 */
export function StatusActionsForm({ action, status, version, returnTo, canAct, swapRow = true }: StatusActionsFormProps) {
  const actions = canAct ? allowedActions(status) : [];
  if (actions.length === 0) return null;
  // A template rather than JSX: each row of the event lists has one.
  const htmx = swapRow ? html` hx-boost="${SWAP_ROW}"` : '';
  const buttons = actions.map(
    (value) =>
      html`<button type="submit" name="action" value="${value}" class="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">${FEEDBACK_LABELS[value]}</button>`,
  );
  return html`<form method="post" action="${action}"${htmx} class="flex flex-wrap gap-1"><input type="hidden" name="version" value="${String(version)}"/><input type="hidden" name="returnTo" value="${returnTo}"/>${buttons}</form>`;
}

export interface FeedbackFormProps {
  signInId: string;
  status: EventStatus;
  version: number;
  returnTo: string;
  canAct: boolean;
}

export function FeedbackForm({ signInId, ...rest }: FeedbackFormProps) {
  return <StatusActionsForm action={`/security/risky-sign-ins/${encodeURIComponent(signInId)}/feedback`} {...rest} />;
}

/** Shorter words for the row control's select, so it stays narrow; the select is labelled Feedback. */
const COMPACT_LABELS: Record<FeedbackAction, string> = { ...FEEDBACK_LABELS, falsePositive: 'False positive' };

/**
 * The one-line row control of a dense list: a select of the allowed actions and one button. The
 * form still sends `action`, so the route is the same as for the one-button-per-action form.
 */
export function CompactFeedbackForm({ signInId, status, version, returnTo, canAct }: FeedbackFormProps) {
  const actions = canAct ? allowedActions(status) : [];
  if (actions.length === 0) return null;
  const action = `/security/risky-sign-ins/${encodeURIComponent(signInId)}/feedback`;
  // A template rather than JSX: every row of the risky sign-ins list has one.
  const options = actions.map((value) => html`<option value="${value}">${COMPACT_LABELS[value]}</option>`);
  return html`<form method="post" action="${action}" hx-boost="${SWAP_ROW}"><input type="hidden" name="version" value="${String(version)}"/><input type="hidden" name="returnTo" value="${returnTo}"/><select name="action" aria-label="Feedback">${options}</select><button type="submit" class="btn">Apply</button></form>`;
}
