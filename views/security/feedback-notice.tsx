import { FEEDBACK_DONE, isFeedbackAction, type FeedbackAction } from '../../src/actions/event-status.js';
import { FeedbackFlash } from './feedback-flash.js';

// After bulk feedback the admin is sent back to the list with the outcome as numbers in the query
// (never as free text, so a crafted link cannot put words on the page).

export interface BulkOutcome {
  action: FeedbackAction;
  changed: number;
  skipped: number;
  notFound: number;
}

export const NOTICE_PARAMS = ['feedback', 'changed', 'skipped', 'notFound'] as const;

export function bulkOutcomeQuery(outcome: BulkOutcome): string {
  const { action, changed, skipped, notFound } = outcome;
  return new URLSearchParams({ feedback: action, changed: String(changed), skipped: String(skipped), notFound: String(notFound) }).toString();
}

/** Reads the outcome back from a list's query string; null when there is none or it is malformed. */
export function parseBulkOutcome(query: URLSearchParams): BulkOutcome | null {
  const action = query.get('feedback');
  if (!isFeedbackAction(action)) return null;
  const number = (name: string) => {
    const value = query.get(name) ?? '0';
    return /^\d{1,9}$/.test(value) ? Number(value) : null;
  };
  const [changed, skipped, notFound] = [number('changed'), number('skipped'), number('notFound')];
  if (changed === null || skipped === null || notFound === null) return null;
  return { action, changed, skipped, notFound };
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function describeBulkOutcome({ action, changed, skipped, notFound }: BulkOutcome): string {
  const parts = [`${FEEDBACK_DONE[action]}: ${plural(changed, 'sign-in')}.`];
  if (skipped > 0) parts.push(`${plural(skipped, 'sign-in')} skipped: the action is not allowed from their status.`);
  if (notFound > 0) parts.push(`${plural(notFound, 'selected sign-in')} no longer found.`);
  return parts.join(' ');
}

/** The outcome of a bulk action, for the list page to show above its results. */
export function BulkFeedbackNotice({ outcome }: { outcome: BulkOutcome }) {
  return <FeedbackFlash message={describeBulkOutcome(outcome)} tone={outcome.changed > 0 ? 'done' : 'refused'} />;
}
