import type { HistoryEntry } from '../../src/queries/risk-events-details.js';
import { ChangeWords, changedKeys } from '../audit.js';
import { actionWords } from '../components/audit-words.js';
import { Time } from '../components/time.js';

export function History({ entries, showTarget = false, timeZone }: { entries: HistoryEntry[]; showTarget?: boolean; timeZone: string }) {
  if (entries.length === 0) return <p class="text-sm text-slate-600 dark:text-slate-300">No recorded changes.</p>;
  return (
    <ol class="space-y-2 text-sm" data-testid="history">
      {entries.map((entry) => (
        <li class="rounded border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
          <div class="flex flex-wrap gap-x-3">
            <Time date={entry.at} timeZone={timeZone} class="text-xs text-slate-600 dark:text-slate-400" />
            <span class="font-medium" title={entry.action}>
              {actionWords(entry.action)}
            </span>
            <span class="text-slate-600 dark:text-slate-300">by {entry.actorLabel}</span>
            {showTarget ? (
              <span class="break-all font-mono text-xs text-slate-600 dark:text-slate-300">
                {entry.targetType === 'riskEvent' ? 'event' : entry.targetType} {entry.targetId}
              </span>
            ) : null}
          </div>
          <ul class="mt-1 text-xs">
            {changedKeys(entry.before, entry.after).map((change) => (
              <li>
                <ChangeWords change={change} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
