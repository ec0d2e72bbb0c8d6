import type { Child } from 'hono/jsx';
import type { SignIn } from '../../src/db/schema.js';
import { LevelBadge, STATUS_LABELS, TYPE_LABELS } from '../components/labels.js';
import { Time } from '../components/time.js';

// Every stored field of a sign-in, in the order the detail shows them. A new stored field is one
// line here; null values show as a dash.

export interface SignInField {
  label: string;
  graph?: string;
  value: (signIn: SignIn, timeZone: string) => Child | null;
}

const mono = (text: string | null) => (text === null ? null : <span class="font-mono text-xs">{text}</span>);

export const SIGN_IN_FIELDS: SignInField[] = [
  { label: 'Sign-in time', graph: 'createdDateTime', value: (s, tz) => <Time date={s.createdDateTime} timeZone={tz} /> },
  { label: 'User', graph: 'userDisplayName', value: (s) => s.userDisplayName },
  { label: 'User principal name', graph: 'userPrincipalName', value: (s) => s.userPrincipalName },
  { label: 'User id', graph: 'userId', value: (s) => mono(s.userId) },
  { label: 'Application', graph: 'appDisplayName', value: (s) => s.appDisplayName },
  { label: 'Client app', graph: 'clientAppUsed', value: (s) => s.clientAppUsed },
  { label: 'IP address', graph: 'ipAddress', value: (s) => mono(s.ipAddress) },
  { label: 'Result', graph: 'status.errorCode', value: (s) => (s.errorCode === 0 ? 'Success' : `Failure (error ${s.errorCode})`) },
  { label: 'Failure reason', graph: 'status.failureReason', value: (s) => s.failureReason },
  { label: 'City', graph: 'location.city', value: (s) => s.city },
  { label: 'State', graph: 'location.state', value: (s) => s.state },
  { label: 'Country or region', graph: 'location.countryOrRegion', value: (s) => s.countryOrRegion },
  { label: 'Coordinates', graph: 'location.geoCoordinates', value: (s) => (s.latitude === null || s.longitude === null ? null : `${s.latitude}, ${s.longitude}`) },
  { label: 'Browser', graph: 'deviceDetail.browser', value: (s) => s.browser },
  { label: 'Operating system', graph: 'deviceDetail.operatingSystem', value: (s) => s.operatingSystem },
  { label: 'User agent', graph: 'userAgent', value: (s) => mono(s.userAgent) },
  { label: 'Interactive', graph: 'isInteractive', value: (s) => (s.isInteractive === null ? null : s.isInteractive ? 'Yes' : 'No (non-interactive)') },
  { label: 'Conditional Access', graph: 'conditionalAccessStatus', value: (s) => s.conditionalAccessStatus },
  { label: 'Authentication requirement', graph: 'authenticationRequirement', value: (s) => s.authenticationRequirement },
  { label: 'App id', graph: 'appId', value: (s) => mono(s.appId) },
  { label: 'Correlation id', graph: 'correlationId', value: (s) => mono(s.correlationId) },
  { label: 'Cut on import', value: (s) => (s.truncatedFields?.length ? `${s.truncatedFields.join(', ')} (longer than the stored limit; shown cut, ending in …)` : null) },
  { label: 'Risk level', value: (s) => (s.riskLevel ? <LevelBadge level={s.riskLevel} /> : 'None') },
  { label: 'Risk status', value: (s) => (s.riskStatus ? STATUS_LABELS[s.riskStatus] : null) },
  { label: 'Risk event types', value: (s) => (s.riskEventTypes?.length ? s.riskEventTypes.map((type) => TYPE_LABELS[type] ?? type).join(', ') : null) },
  { label: 'Risk last updated', value: (s, tz) => (s.riskUpdatedAt ? <Time date={s.riskUpdatedAt} timeZone={tz} /> : null) },
  { label: 'Counted as a clean sign-in', value: (s) => (s.clean ? 'Yes: it teaches the user’s familiar locations' : 'No') },
  { label: 'Sign-in id', graph: 'id', value: (s) => mono(s.id) },
];

/** What Entra itself judged at sign-in, kept apart from Riskdesk's own risk level and status. */
export const ENTRA_SAID_FIELDS: SignInField[] = [
  { label: 'Risk level during sign-in', graph: 'riskLevelDuringSignIn', value: (s) => s.entraRiskLevelDuringSignIn },
  { label: 'Risk state', graph: 'riskState', value: (s) => s.entraRiskState },
];

export function SignInFieldList({ signIn, timeZone, fields = SIGN_IN_FIELDS, testId = 'sign-in-fields' }: { signIn: SignIn; timeZone: string; fields?: SignInField[]; testId?: string }) {
  return (
    <dl class="grid grid-cols-1 gap-x-4 text-sm sm:grid-cols-[12rem_1fr]" data-testid={testId}>
      {fields.map((field) => {
        const value = field.value(signIn, timeZone);
        return (
          <>
            <dt class="pt-1 text-slate-600 sm:py-1 dark:text-slate-300" title={field.graph}>
              {field.label}
            </dt>
            <dd class="break-words pb-1 sm:py-1">{value === null || value === '' ? '—' : value}</dd>
          </>
        );
      })}
    </dl>
  );
}
