import { LEVEL_LABELS, STATE_LABELS, STATUS_LABELS, TYPE_LABELS } from './labels.js';

// Audit actions and changed fields in plain language for the audit log and the blades' history.
// The stored names (riskEvent.falsePositive, riskState) stay in the database, the action filter and
// on hover, so nothing is lost for whoever searches or scripts by them.

const ACTIONS: Record<string, string> = {
  'riskEvent.create': 'Detected a risk event',
  'riskEvent.resolve': 'Resolved a risk event',
  'riskEvent.falsePositive': 'Marked a risk event as a false positive',
  'riskEvent.ignore': 'Ignored a risk event',
  'riskEvent.reactivate': 'Reactivated a risk event',
  'riskEvent.resetPassword': 'Remediated a risk event by a password reset',
  'riskEvent.passwordChanged': 'Remediated a risk event: the user changed their password',
  'riskEvent.dismissAll': 'Dismissed a risk event with all of the user’s events',
  'user.create': 'Added a user',
  'user.resetPassword': 'Reset a user’s password',
  'user.passwordChanged': 'The user changed their password',
  'user.riskChanged': 'User risk changed',
  'user.riskUpdated': 'User risk changed',
  'admin.create': 'Added an admin',
  'admin.remove': 'Removed an admin',
  'admin.changeRole': 'Changed an admin’s role',
  'admin.changePassword': 'Changed their password',
  'admin.resetPassword': 'Reset an admin’s password',
  'admin.enableMfa': 'Turned on two-step verification',
  'admin.disableMfa': 'Turned off two-step verification',
  'admin.resetMfa': 'Reset an admin’s two-step verification',
  'admin.regenerateRecoveryCodes': 'Made new recovery codes',
  'admin.setTimezone': 'Changed their timezone',
  'apiKey.created': 'Created an API key',
  'apiKey.revoked': 'Revoked an API key',
  'leakList.import': 'Imported a leak list',
  'trustedLocation.import': 'Imported a trusted location',
  'tenant.setMfaRequired': 'Changed whether two-step verification is required',
};

const FIELDS: Record<string, string> = {
  status: 'Status',
  riskDetail: 'Risk detail',
  riskLevel: 'Risk level',
  riskState: 'Risk state',
  activeEventCount: 'Active risk events',
  riskEventType: 'Risk event type',
  userId: 'User id',
  requestId: 'Sign-in id',
  passwordResetRequired: 'Password reset required',
  remediatedEvents: 'Risk events remediated',
  email: 'Email',
  role: 'Role',
  name: 'Name',
  timezone: 'Timezone',
  mfaRequired: 'Two-step verification required',
  revokedAt: 'Revoked',
  added: 'Entries added',
  removed: 'Entries removed',
  replace: 'Replaced the whole list',
};

const DETAILS: Record<string, string> = {
  none: 'none',
  adminConfirmedSigninSafe: 'admin confirmed the sign-in safe',
  adminGeneratedTemporaryPassword: 'admin generated a temporary password',
  userPerformedSecuredPasswordChange: 'user changed their password',
  adminDismissedAllRiskForUser: 'admin dismissed all risk for the user',
  adminConfirmedUserCompromised: 'admin confirmed the user compromised',
};

const ROLES: Record<string, string> = { global_admin: 'global administrator', security_admin: 'security administrator', security_reader: 'security reader' };

/** "Imported a leak list" for leakList.import; an unknown name is shown as it is. */
export function actionWords(action: string): string {
  return ACTIONS[action] ?? action;
}

export function fieldWords(key: string): string {
  return FIELDS[key] ?? key;
}

/** A stored value as the console says it elsewhere: "at risk" for atRisk, "yes" for true. */
export function valueWords(key: string, value: string | null): string | null {
  if (value === null) return null;
  const words: Record<string, Record<string, string>> = {
    status: STATUS_LABELS,
    riskState: STATE_LABELS,
    riskLevel: LEVEL_LABELS,
    riskDetail: DETAILS,
    riskEventType: TYPE_LABELS,
    role: ROLES,
  };
  const found = words[key]?.[value];
  if (found) return found.toLowerCase();
  if (value === 'true') return 'yes';
  if (value === 'false') return 'no';
  return value;
}
