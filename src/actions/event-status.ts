import type { EventStatus } from '../db/schema.js';

// The event status state machine, in one place and free of the database, so
// views can ask which buttons a status allows. Every change goes through applyFeedback (feedback.ts).

export const FEEDBACK_ACTIONS = ['resolve', 'falsePositive', 'ignore', 'reactivate'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

export function isFeedbackAction(value: unknown): value is FeedbackAction {
  return typeof value === 'string' && (FEEDBACK_ACTIONS as readonly string[]).includes(value);
}

export const FEEDBACK_DONE: Record<FeedbackAction, string> = {
  resolve: 'Resolved',
  falsePositive: 'Marked as false positive',
  ignore: 'Ignored',
  reactivate: 'Reactivated',
};

/** Actions that close every active event of a user: the user blade's, and the IdP's password change report. */
export const USER_EVENT_ACTIONS = ['resetPassword', 'dismissAll', 'passwordChanged'] as const;
export type UserEventAction = (typeof USER_EVENT_ACTIONS)[number];
export type EventAction = FeedbackAction | UserEventAction;

export interface Transition {
  status: EventStatus;
  riskDetail: string;
}

const CLOSING: Record<Exclude<EventAction, 'reactivate'>, Transition> = {
  resolve: { status: 'dismissedAsFixed', riskDetail: 'none' },
  falsePositive: { status: 'dismissedAsFalsePositive', riskDetail: 'adminConfirmedSigninSafe' },
  ignore: { status: 'dismissedAsIgnore', riskDetail: 'none' },
  resetPassword: { status: 'remediated', riskDetail: 'adminGeneratedTemporaryPassword' },
  passwordChanged: { status: 'remediated', riskDetail: 'userPerformedSecuredPasswordChange' },
  dismissAll: { status: 'dismissedAsIgnore', riskDetail: 'adminDismissedAllRiskForUser' },
};

export function nextStatus(status: EventStatus, action: EventAction): Transition | null {
  if (action === 'reactivate') return status.startsWith('dismissedAs') ? { status: 'active', riskDetail: 'none' } : null;
  return status === 'active' ? CLOSING[action] : null;
}

/** The actions allowed from a status, in the order the buttons show them. */
export function allowedActions(status: EventStatus): FeedbackAction[] {
  return FEEDBACK_ACTIONS.filter((action) => nextStatus(status, action) !== null);
}
