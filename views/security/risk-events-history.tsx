import type { HistoryEntry } from '../../src/queries/risk-events-details.js';
import { changedKeys } from '../audit.js';
import { Time } from '../components/time.js';

const ACTION_LABELS: Record<string, string> = {
  'riskEvent.create': 'Detected',
  'riskEvent.resolve': 'Resolved',
  'riskEvent.falsePositive': 'Marked as false positive',
  'riskEvent.ignore': 'Ignored',
  'riskEvent.reactivate': 'Reactivated',
  'riskEvent.resetPassword': 'Remediated by a password reset',
  'riskEvent.dismissAll': 'Dismissed with all the user’s events',
  'user.resetPassword': 'Password reset',
  'user.riskChanged': 'User risk changed',
  'user.riskUpdated': 'User risk changed',
};

/** Audit entries, newest first: who did what, when, and which values changed. */
export function History({ entries, showTarget = false, timeZone }: { entries: HistoryEntry[]; showTarget?: boolean; timeZone: string }) {
  if (entries.length === 0) return <p class="text-sm text-slate-600 dark:text-slate-300">No recorded changes.</p>;
  return (
    <ol class="space-y-2 text-sm" data-testid="history">
      {entries.map((entry) => (
        <li class="rounded border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
          <div class="flex flex-wrap gap-x-3">
            <Time date={entry.at} timeZone={timeZone} class="text-xs text-slate-600 dark:text-slate-400" />
            <span class="font-medium">{ACTION_LABELS[entry.action] ?? entry.action}</span>
            <span class="text-slate-600 dark:text-slate-300">by {entry.actorLabel}</span>
            {showTarget ? (
              <span class="font-mono text-xs text-slate-600 dark:text-slate-400">
                {entry.targetType === 'riskEvent' ? 'event' : entry.targetType} {entry.targetId}
              </span>
            ) : null}
          </div>
          <ul class="mt-1 text-xs">
            {changedKeys(entry.before, entry.after).map((change) => (
              <li>
                <span class="text-slate-600 dark:text-slate-400">{change.key}:</span> {change.before ?? '—'} → {change.after ?? '—'}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
