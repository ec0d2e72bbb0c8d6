import { isFeedbackAction, type FeedbackAction } from '../actions/event-status.js';

// After bulk feedback the admin is sent back to the list with the outcome as numbers in the query
// (never as free text, so a crafted link cannot put words on the page).

export interface BulkOutcome {
  action: FeedbackAction;
  changed: number;
  skipped: number;
  notFound: number;
}

export function bulkOutcomeQuery(outcome: BulkOutcome): string {
  const { action, changed, skipped, notFound } = outcome;
  return new URLSearchParams({ feedback: action, changed: String(changed), skipped: String(skipped), notFound: String(notFound) }).toString();
}

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
