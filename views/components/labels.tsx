import { html } from './html.js';
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

// Colour and text together, so the badge still reads without colour; classes live in styles.css.
// The badges and the note are `html` templates, not JSX: list rows call them 50 times a page, and a
// template costs a tenth of a JSX node (BENCHMARKS.md); JSX uses them as components all the same.
const STATUS_BADGES: Record<EventStatus, string> = {
  active: 'b-active',
  dismissedAsFixed: 'b-resolved',
  dismissedAsFalsePositive: 'b-fp',
  dismissedAsIgnore: 'b-ignored',
  remediated: 'b-remediated',
};

export function LevelBadge({ level }: { level: RiskLevel | 'none' | null }) {
  const value = level ?? 'none';
  return html`<span class="badge b-${value}">${LEVEL_LABELS[value]}</span>`;
}

export function StatusBadge({ status }: { status: EventStatus }) {
  return html`<span class="badge ${STATUS_BADGES[status] ?? 'b-none'}">${STATUS_LABELS[status] ?? status}</span>`;
}

export function location(row: { city: string | null; state: string | null; countryOrRegion: string | null }): string {
  return [row.city, row.state, row.countryOrRegion].filter(Boolean).join(', ');
}

/** Says which imported fields were cut to the stored limit, so an admin knows the "…" is ours. */
export function TruncatedNote({ fields }: { fields: string[] }) {
  if (fields.length === 0) return null;
  return html`<div class="text-xs text-amber-800 dark:text-amber-300" data-truncated="${fields.join(',')}">Cut on import: ${fields.join(', ')}</div>`;
}
