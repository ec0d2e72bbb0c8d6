import type { Child } from 'hono/jsx';
import type { EvidenceItem, RiskEvent } from '../../src/db/schema.js';
import { signInPath } from './sign-in-link.js';
import { Time } from './time.js';

// The facts that made a rule fire, said in words; the stored keys stay
// available under "Recorded values" and in the Graph export's additionalInfo.

const LINK = 'text-blue-700 underline hover:no-underline dark:text-blue-400';

export function evidenceValue(evidence: EvidenceItem[], key: string): string | null {
  return evidence.find((item) => item.key === key)?.value ?? null;
}

function number(value: string | null): number | null {
  const n = value === null ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : null;
}

const whole = (n: number) => Math.round(n).toLocaleString('en-US');

/** 31 min, 5 h 12 min, 3 d 4 h. */
export function formatDuration(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${Math.round(minutes % 60)} min`;
  return `${Math.floor(minutes / 1440)} d ${Math.round((minutes % 1440) / 60)} h`;
}

/** "7,804 km from Seattle, Washington, US in 31 min: 15,105 km/h". */
export function travelSentence(evidence: EvidenceItem[]): string | null {
  const km = number(evidenceValue(evidence, 'distanceKm'));
  const minutes = number(evidenceValue(evidence, 'elapsedMinutes'));
  const from = evidenceValue(evidence, 'previousLocation') ?? 'the previous sign-in';
  if (km === null || minutes === null) return null;
  if (minutes === 0) return `${whole(km)} km from ${from} at the same instant: no speed is fast enough`;
  const speed = number(evidenceValue(evidence, 'speedKmh')) ?? (km / minutes) * 60;
  return `${whole(km)} km from ${from} in ${formatDuration(minutes)}: ${whole(speed)} km/h`;
}

/** "anonymous: tor-exits" as stored by the list rules: the list's own name. */
function listName(value: string | null): string {
  if (!value) return 'a list';
  const at = value.indexOf(': ');
  return `“${at === -1 ? value : value.slice(at + 2)}”`;
}

function When({ iso, timeZone }: { iso: string | null; timeZone: string }) {
  const at = iso ? new Date(iso) : null;
  return at && !Number.isNaN(at.getTime()) ? <Time date={at} timeZone={timeZone} /> : <>an unknown time</>;
}

export interface EvidenceWordsProps {
  event: Pick<RiskEvent, 'riskEventType' | 'evidence' | 'city' | 'state' | 'countryOrRegion'>;
  timeZone: string;
  linkable: Set<string>;
}

/** One or two sentences saying why the event fired. */
export function EvidenceWords({ event, timeZone, linkable }: EvidenceWordsProps) {
  const e = event.evidence;
  const v = (key: string) => evidenceValue(e, key);
  let words: Child = null;
  switch (event.riskEventType) {
    case 'unlikelyTravel': {
      const previousId = v('previousSignInId');
      words = (
        <>
          <p class="font-medium">{travelSentence(e) ?? 'Too far from the previous sign-in for the time between them.'}</p>
          <p>
            Previous sign-in:{' '}
            {previousId && linkable.has(previousId) ? (
              <a href={signInPath(previousId)} class={LINK} data-testid="previous-sign-in">
                <When iso={v('previousSignInDateTime')} timeZone={timeZone} /> from {v('previousLocation') ?? 'an unknown place'}
              </a>
            ) : (
              <>
                <When iso={v('previousSignInDateTime')} timeZone={timeZone} /> from {v('previousLocation') ?? 'an unknown place'}
                {previousId ? ' (past retention, no longer stored)' : null}
              </>
            )}
          </p>
        </>
      );
      break;
    }
    case 'unfamiliarFeatures': {
      const nearest = v('nearestFamiliarLocation');
      const km = number(v('nearestFamiliarDistanceKm'));
      words = (
        <>
          <p class="font-medium">{v('location') ?? 'This place'} is not among the places this user signs in from.</p>
          <p>
            {nearest && nearest !== 'none'
              ? `The nearest familiar location is ${nearest}${km === null ? '' : `, ${whole(km)} km away`}.`
              : 'The user has no familiar location with coordinates to compare with.'}{' '}
            {v('cleanSignInsLearned') ? `Learned from ${v('cleanSignInsLearned')} clean sign-ins.` : null}
          </p>
        </>
      );
      break;
    }
    case 'anonymizedIPAddress':
    case 'malwareInfectedIPAddress':
      words = (
        <p class="font-medium">
          The IP address is on the {event.riskEventType === 'anonymizedIPAddress' ? 'anonymous IP' : 'infected-device'} list {listName(v('list'))}, entry{' '}
          <span class="font-mono">{v('matchedEntry') ?? '?'}</span>.
        </p>
      );
      break;
    case 'suspiciousIPAddress':
      words = (
        <p class="font-medium">
          {v('failureCount') ?? '?'} failed sign-ins for {v('distinctUserPrincipalNames') ?? '?'} different accounts came from this IP address in the {v('windowMinutes') ?? '?'} minutes
          before, the first at <When iso={v('firstFailureDateTime')} timeZone={timeZone} />.
        </p>
      );
      break;
    case 'leakedCredentials':
      words = (
        <p class="font-medium">
          <span class="font-mono">{v('matchedEntry') ?? 'The user'}</span> is on the leaked-credentials list {listName(v('list'))}.
        </p>
      );
      break;
    case 'adminConfirmedUserCompromised':
      words = (
        <p class="font-medium">
          Confirmed compromised by {v('confirmedBy') ?? 'an admin'} at <When iso={v('confirmedDateTime')} timeZone={timeZone} />.
        </p>
      );
      break;
  }
  return (
    <div class="space-y-1 text-sm" data-testid="evidence-words">
      {words}
      {e.length > 0 ? <RecordedValues evidence={e} /> : words ? null : <p>No evidence was recorded.</p>}
    </div>
  );
}

export function RecordedValues({ evidence }: { evidence: EvidenceItem[] }) {
  return (
    <details class="text-xs">
      <summary class="cursor-pointer text-slate-600 dark:text-slate-300">Recorded values</summary>
      <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5" data-testid="evidence">
        {evidence.map((item) => (
          <>
            <dt class="font-mono text-slate-600 dark:text-slate-300">{item.key}</dt>
            <dd class="break-all font-mono">{item.value}</dd>
          </>
        ))}
      </dl>
    </details>
  );
}
