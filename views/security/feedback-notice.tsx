import { FEEDBACK_DONE } from '../../src/actions/event-status.js';
import type { BulkOutcome } from '../../src/http/bulk-outcome.js';
import { FeedbackFlash } from './feedback-flash.js';

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function describeBulkOutcome({ action, changed, skipped, notFound }: BulkOutcome): string {
  const parts = [`${FEEDBACK_DONE[action]}: ${plural(changed, 'sign-in')}.`];
  if (skipped > 0) parts.push(`${plural(skipped, 'sign-in')} skipped: the action is not allowed from their status.`);
  if (notFound > 0) parts.push(`${plural(notFound, 'selected sign-in')} no longer found.`);
  return parts.join(' ');
}

export function BulkFeedbackNotice({ outcome }: { outcome: BulkOutcome }) {
  return <FeedbackFlash message={describeBulkOutcome(outcome)} tone={outcome.changed > 0 ? 'done' : 'refused'} />;
}
