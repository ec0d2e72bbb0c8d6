import type { EventStatus, RiskEvent } from '../../src/db/schema.js';
import { html } from '../components/html.js';
import { StatusActionsForm } from '../components/feedback-form.js';
import { LevelBadge, TYPE_LABELS, location } from '../components/labels.js';
import { CELL, StatusCell, type Column } from '../components/results.js';
import { Time } from '../components/time.js';
import { UserCell } from '../components/user-link.js';

export function riskEventPath(event: Pick<RiskEvent, 'riskEventType' | 'id'>): string {
  return `/security/risk-events/${encodeURIComponent(event.riskEventType)}/${encodeURIComponent(event.id)}`;
}

export interface EventStatusFormProps {
  event: Pick<RiskEvent, 'riskEventType' | 'id' | 'version'> & { status: EventStatus };
  returnTo: string;
  canAct: boolean;
  swapRow: boolean;
}

export function EventStatusForm({ event, returnTo, canAct, swapRow }: EventStatusFormProps) {
  return StatusActionsForm({ action: `${riskEventPath(event)}/status`, status: event.status, version: event.version, returnTo, canAct, swapRow });
}

export interface RiskEventRowProps {
  event: RiskEvent;
  canAct: boolean;
  timeZone: string;
  returnTo: string;
  /** The user blade lists events of every type; the type blade does not repeat its own. */
  showType?: boolean;
  message?: string;
}

export function riskEventColumns(showType: boolean): Column[] {
  return [
    { label: 'User' },
    ...(showType ? [{ label: 'Type' }] : []),
    { label: 'IP' },
    { label: 'Location' },
    { label: 'Activity time' },
    { label: 'Level' },
    { label: 'Status' },
    { label: 'Details', srOnly: true },
    { label: 'Close or reactivate', srOnly: true },
  ];
}

/** A row of an event list, as a template (components/html.ts says why). */
export function RiskEventRow({ event, canAct, timeZone, returnTo, showType = false, message }: RiskEventRowProps) {
  const user = UserCell({ userId: event.userId, displayName: event.userDisplayName, userPrincipalName: event.userPrincipalName, premium: true });
  const type = showType ? html`<td class="${CELL} text-xs">${TYPE_LABELS[event.riskEventType] ?? event.riskEventType}</td>` : '';
  const form = EventStatusForm({ event, returnTo, canAct, swapRow: !showType });
  return html`<tr id="event-${event.id}" class="hover:bg-slate-50 dark:hover:bg-slate-800/50"><td class="${CELL}">${user}</td>${type}<td class="${CELL} font-mono text-xs">${event.ipAddress ?? ''}</td><td class="${CELL}">${location(event)}</td><td class="${CELL} whitespace-nowrap">${Time({ date: event.activityDateTime, timeZone })}</td><td class="${CELL}">${LevelBadge({ level: event.riskLevel })}</td>${StatusCell({ status: event.status, message })}<td class="${CELL}"><a href="${riskEventPath(event)}" class="text-blue-700 hover:underline dark:text-blue-400">Details<span class="sr-only"> of event ${event.id}</span></a></td><td class="${CELL}">${form}</td></tr>`;
}
