import type { ReplayExample, ReplayResult } from '../../src/queries/detection-replay.js';
import { TYPE_LABELS } from '../components/labels.js';
import { Time } from '../components/time.js';

export const REPLAY_PREVIEW_ID = 'replay-preview';
const LINK = 'text-blue-700 hover:underline dark:text-blue-400';
const CELL = 'py-1.5 pr-4';

/** The few evidence values that say why the rule fired, rather than every stored key. */
const HEADLINE_EVIDENCE = ['distanceKm', 'speedKmh', 'elapsedMinutes', 'nearestFamiliarLocation', 'nearestFamiliarDistanceKm', 'distinctUserPrincipalNames', 'matchedEntry'];

function evidenceLine(example: ReplayExample): string {
  return example.evidence
    .filter((item) => HEADLINE_EVIDENCE.includes(item.key))
    .map((item) => `${item.key} ${item.value}`)
    .join(', ');
}

function Examples({ title, examples, testId, timeZone }: { title: string; examples: ReplayExample[]; testId: string; timeZone: string }) {
  return (
    <section class="mt-4" data-testid={testId}>
      <h3 class="text-base font-semibold">{title}</h3>
      {examples.length === 0 ? (
        <p class="text-sm text-slate-600 dark:text-slate-400">None.</p>
      ) : (
        <ul class="mt-1 space-y-1 text-sm">
          {examples.map((example) => (
            <li>
              <a href={`/security/sign-ins/${encodeURIComponent(example.signInId)}`} class={LINK}>
                {TYPE_LABELS[example.riskEventType]}: {example.userDisplayName || example.userPrincipalName}
              </a>{' '}
              <span class="text-xs text-slate-600 dark:text-slate-400">
                <Time date={example.at} timeZone={timeZone} /> · {example.signInId}
                {evidenceLine(example) ? ` · ${evidenceLine(example)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function change(now: number, draft: number): string {
  const delta = draft - now;
  return delta === 0 ? '—' : delta > 0 ? `+${delta}` : String(delta);
}

/** Events per type with the saved thresholds and with the draft, over the same replayed history. */
export function ReplayPanel({ replay, timeZone, error }: { replay: ReplayResult | null; timeZone: string; error?: string }) {
  return (
    <>
      {error ? (
        <p role="alert" class="mb-2 rounded bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}
      {replay === null ? (
        <p class="text-sm text-slate-600 dark:text-slate-400">No draft previewed yet: a replay shows what a draft would detect on this tenant's retained sign-ins.</p>
      ) : (
        <>
          <h2 class="mb-1 text-lg font-semibold">Replay of the draft (not saved)</h2>
          <p class="text-sm" data-testid="replay-summary">
            Replayed <strong>{replay.signIns.toLocaleString('en-US')}</strong> retained sign-ins
            {replay.from && replay.to ? (
              <>
                {' '}
                from <Time date={replay.from} timeZone={timeZone} /> to <Time date={replay.to} timeZone={timeZone} />
              </>
            ) : null}{' '}
            in time order, twice from an empty history: with the saved thresholds and with the draft.
          </p>
          <table class="mt-3 w-full max-w-xl text-left text-sm" data-testid="replay-types">
            <caption class="sr-only">Risk events per type, now and with the draft</caption>
            <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
              <tr>
                <th class={CELL}>Risk event type</th>
                <th class={CELL}>Now</th>
                <th class={CELL}>With the draft</th>
                <th class={CELL}>Change</th>
              </tr>
            </thead>
            <tbody>
              {replay.types.map((row) => (
                <tr class="border-t border-slate-200 dark:border-slate-800" data-type={row.riskEventType}>
                  <td class={CELL}>{TYPE_LABELS[row.riskEventType]}</td>
                  <td class={CELL}>{row.now}</td>
                  <td class={CELL}>{row.draft}</td>
                  <td class={`${CELL} font-medium`}>{change(row.now, row.draft)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Examples title="Events the draft would add (latest five)" examples={replay.gained} testId="replay-gained" timeZone={timeZone} />
          <Examples title="Events the draft would no longer raise (latest five)" examples={replay.lost} testId="replay-lost" timeZone={timeZone} />
        </>
      )}
    </>
  );
}
