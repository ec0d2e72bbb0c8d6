import type { EventStatus, RiskEvent } from '../../src/db/schema.js';
import { allowedActions, type FeedbackAction } from '../components/feedback-form.js';
import { LevelBadge, STATUS_LABELS, TYPE_LABELS, location } from '../components/labels.js';
import { CELL, type Column } from '../components/results.js';
import { Time } from '../components/time.js';
import { UserCell } from '../components/user-link.js';

const BUTTON_LABELS: Record<FeedbackAction, string> = {
  resolve: 'Resolve',
  falsePositive: 'Mark as false positive',
  ignore: 'Ignore',
  reactivate: 'Reactivate',
};

export function riskEventPath(event: Pick<RiskEvent, 'riskEventType' | 'id'>): string {
  return `/security/risk-events/${encodeURIComponent(event.riskEventType)}/${encodeURIComponent(event.id)}`;
}

export interface EventStatusFormProps {
  event: Pick<RiskEvent, 'riskEventType' | 'id' | 'version'> & { status: EventStatus };
  returnTo: string;
  canAct: boolean;
  /** With htmx, swap just the enclosing table row; otherwise a plain (boosted) POST and a 303 back. */
  swapRow: boolean;
}

/** Close or reactivate one event: one form, one button per allowed action (PRODUCT.md section 5). */
export function EventStatusForm({ event, returnTo, canAct, swapRow }: EventStatusFormProps) {
  const actions = canAct ? allowedActions(event.status) : [];
  if (actions.length === 0) return null;
  const action = `${riskEventPath(event)}/status`;
  const htmx = swapRow ? { 'hx-post': action, 'hx-target': 'closest tr', 'hx-swap': 'outerHTML' } : {};
  return (
    <form method="post" action={action} {...htmx} class="flex flex-wrap gap-1">
      <input type="hidden" name="version" value={String(event.version)} />
      <input type="hidden" name="returnTo" value={returnTo} />
      {actions.map((value) => (
        <button
          type="submit"
          name="action"
          value={value}
          class="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {BUTTON_LABELS[value]}
        </button>
      ))}
    </form>
  );
}

export interface RiskEventRowProps {
  event: RiskEvent;
  canAct: boolean;
  timeZone: string;
  returnTo: string;
  /** The user blade lists events of every type; the type blade does not repeat its own. */
  showType?: boolean;
  /** A short confirmation after an action, e.g. "Resolved". */
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

/** One event in a list; the status POST answers with this same row for htmx to swap in. */
export function RiskEventRow({ event, canAct, timeZone, returnTo, showType = false, message }: RiskEventRowProps) {
  return (
    <tr id={`event-${event.id}`} class="hover:bg-slate-50 dark:hover:bg-slate-800/50">
      <td class={CELL}>
        <UserCell userId={event.userId} displayName={event.userDisplayName} userPrincipalName={event.userPrincipalName} premium />
      </td>
      {showType ? <td class={`${CELL} text-xs`}>{TYPE_LABELS[event.riskEventType] ?? event.riskEventType}</td> : null}
      <td class={`${CELL} font-mono text-xs`}>{event.ipAddress ?? ''}</td>
      <td class={CELL}>{location(event)}</td>
      <td class={`${CELL} whitespace-nowrap`}>
        <Time date={event.activityDateTime} timeZone={timeZone} />
      </td>
      <td class={CELL}>
        <LevelBadge level={event.riskLevel} />
      </td>
      <td class={CELL} data-testid="status">
        {STATUS_LABELS[event.status]}
        {message ? (
          <div role="status" class="text-xs text-green-700 dark:text-green-400">
            {message}
          </div>
        ) : null}
      </td>
      <td class={CELL}>
        <a href={riskEventPath(event)} class="text-blue-700 hover:underline dark:text-blue-400">
          Details<span class="sr-only"> of event {event.id}</span>
        </a>
      </td>
      <td class={CELL}>
        <EventStatusForm event={event} returnTo={returnTo} canAct={canAct} swapRow={!showType} />
      </td>
    </tr>
  );
}
