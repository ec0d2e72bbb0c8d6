import { FEEDBACK_DONE, type FeedbackAction } from '../../src/actions/event-status.js';

/** The id of the status region on list pages that feedback confirmations swap into. */
export const FLASH_ID = 'flash';

export interface FeedbackFlashProps {
  message: string;
  tone?: 'done' | 'refused';
  oob?: boolean;
}

/** A short confirmation or refusal, announced to screen readers. */
export function FeedbackFlash({ message, tone = 'done', oob = false }: FeedbackFlashProps) {
  const colours =
    tone === 'done'
      ? 'bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100'
      : 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100';
  return (
    <div id={FLASH_ID} hx-swap-oob={oob ? 'true' : undefined} role="status" aria-live="polite" class={`mb-3 rounded px-3 py-2 text-sm ${colours}`}>
      {message}
    </div>
  );
}

export interface FeedbackDoneProps {
  action: FeedbackAction;
  signInId: string;
  /** The row's version after the action, so the undo is not refused as stale. */
  version: number;
  returnTo: string;
}

/** "Resolved — Undo" after one row's feedback; undo reactivates, and swaps the row back. */
export function FeedbackDoneNotice({ action, signInId, version, returnTo }: FeedbackDoneProps) {
  const url = `/security/risky-sign-ins/${encodeURIComponent(signInId)}/feedback`;
  return (
    <div id={FLASH_ID} role="status" aria-live="polite" class="mb-3 flex items-center gap-2 rounded bg-green-50 px-3 py-2 text-sm text-green-900 dark:bg-green-950 dark:text-green-100">
      <span>{FEEDBACK_DONE[action]}</span>
      {action === 'reactivate' ? null : (
        <form method="post" action={url} hx-post={url} hx-target={`#sign-in-${signInId}`} hx-swap="outerHTML" class="inline">
          <input type="hidden" name="action" value="reactivate" />
          <input type="hidden" name="version" value={String(version)} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <span aria-hidden="true">— </span>
          <button type="submit" class="font-medium underline">
            Undo
          </button>
        </form>
      )}
    </div>
  );
}
