/** The id of the status region on list pages that feedback confirmations swap into. */
export const FLASH_ID = 'flash';

export interface FeedbackFlashProps {
  message: string;
  tone?: 'done' | 'refused';
  /** Out of band: sent next to a row so htmx swaps it into the page's status region. */
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
