import type { EventStatus, RiskLevel, RiskState } from '../../src/db/schema.js';

// The words the console shows for stored values; Graph's own names stay in exports and URLs.

export const STATUS_LABELS: Record<EventStatus, string> = {
  active: 'Active',
  dismissedAsFixed: 'Resolved',
  dismissedAsFalsePositive: 'False positive',
  dismissedAsIgnore: 'Ignored',
  remediated: 'Remediated',
};

export const STATE_LABELS: Record<RiskState, string> = {
  none: 'None',
  atRisk: 'At risk',
  confirmedCompromised: 'Confirmed compromised',
  confirmedSafe: 'Confirmed safe',
  remediated: 'Remediated',
  dismissed: 'Dismissed',
};

export const TYPE_LABELS: Record<string, string> = {
  leakedCredentials: 'Leaked credentials',
  anonymizedIPAddress: 'Anonymous IP address',
  malwareInfectedIPAddress: 'Infected device',
  suspiciousIPAddress: 'Suspicious IP address',
  unlikelyTravel: 'Impossible travel',
  unfamiliarFeatures: 'Unfamiliar location',
  adminConfirmedUserCompromised: 'Admin confirmed compromised',
};

export const LEVEL_LABELS: Record<RiskLevel | 'none', string> = { none: 'None', low: 'Low', medium: 'Medium', high: 'High' };

const LEVEL_CLASSES: Record<RiskLevel | 'none', string> = {
  none: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  low: 'bg-yellow-50 text-yellow-900 dark:bg-yellow-950 dark:text-yellow-200',
  medium: 'bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200',
  high: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
};

export function LevelBadge({ level }: { level: RiskLevel | 'none' | null }) {
  const value = level ?? 'none';
  return <span class={`rounded px-1.5 py-0.5 text-xs font-medium ${LEVEL_CLASSES[value]}`}>{LEVEL_LABELS[value]}</span>;
}

export function location(row: { city: string | null; state: string | null; countryOrRegion: string | null }): string {
  return [row.city, row.state, row.countryOrRegion].filter(Boolean).join(', ');
}

/** Says which imported fields were cut to the stored limit, so an admin knows the "…" is ours. */
export function TruncatedNote({ fields }: { fields: string[] }) {
  if (fields.length === 0) return null;
  return (
    <div class="text-xs text-amber-800 dark:text-amber-300" data-truncated={fields.join(',')}>
      Cut on import: {fields.join(', ')}
    </div>
  );
}
