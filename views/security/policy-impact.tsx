import type { Decision, PolicyKind } from '../../src/queries/api-policy.js';
import type { MatchedUser, SignInRiskImpact, UserRiskImpact } from '../../src/queries/policies.js';
import { LevelBadge } from '../components/labels.js';
import { Time } from '../components/time.js';
import { userHref } from '../components/user-link.js';

export const POLICY_PREVIEW_ID = 'policy-preview';
const LINK = 'text-blue-700 hover:underline dark:text-blue-400';

/** What a decision means to the user, in the words of the user blade and the policy form. */
export const DECISION_LABELS: Record<Decision, string> = {
  allow: 'allow',
  block: 'block',
  requirePasswordChange: 'require password change',
  requireMfa: 'require multi-factor authentication',
};

export type PolicyImpact = ({ kind: 'userRisk' } & UserRiskImpact) | ({ kind: 'signInRisk' } & SignInRiskImpact);

export interface PolicyImpactProps {
  impact: PolicyImpact;
  draft: boolean;
  enabled: boolean;
  /** The policy's control, which decides whether the sign-ins were blocked or challenged. */
  control: string;
  timeZone: string;
  error?: string;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function Headline({ impact, enabled, control }: { impact: PolicyImpact; enabled: boolean; control: string }) {
  const disabled = enabled ? null : <>Disabled, so the API allows {impact.kind === 'userRisk' ? 'everyone' : 'every sign-in'}. Enabled, it </>;
  if (impact.kind === 'userRisk') {
    return (
      <p class="text-base" data-testid="impact-headline">
        {disabled}
        {enabled ? 'Matches' : 'would match'} <strong>{plural(impact.users, 'user', 'users')}</strong> now.
      </p>
    );
  }
  const verb = control === 'block' ? 'blocked' : 'challenged';
  return (
    <p class="text-base" data-testid="impact-headline">
      {disabled}
      {enabled ? 'Would have' : 'would have'} {verb} <strong>{plural(impact.signIns, 'sign-in', 'sign-ins')}</strong> of{' '}
      <strong>{plural(impact.users, 'user', 'users')}</strong> in the last 7 days.
    </p>
  );
}

function Sample({ users }: { users: MatchedUser[] }) {
  if (users.length === 0) return null;
  return (
    <ul class="mt-2 space-y-1 text-sm" data-testid="impact-users">
      {users.map((user) => (
        <li class="flex flex-wrap items-center gap-2">
          <a href={userHref(user.userId, true)} class={LINK}>
            {user.displayName || user.userPrincipalName}
          </a>
          <span class="text-xs text-slate-600 dark:text-slate-400">{user.userPrincipalName}</span>
          <LevelBadge level={user.riskLevel} />
          <span class="text-xs">{DECISION_LABELS[user.decision]}</span>
        </li>
      ))}
    </ul>
  );
}

/** The impact of a policy: what `decide` answers for today's users (user risk) or last week's sign-ins (sign-in risk). */
export function PolicyImpactPanel({ impact, draft, enabled, control, timeZone, error }: PolicyImpactProps) {
  return (
    <>
      {error ? (
        <p role="alert" class="mb-2 rounded bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}
      <h2 class="mb-1 text-lg font-semibold">{draft ? 'Impact of this draft (not saved)' : 'Impact of the saved policy'}</h2>
      <Headline impact={impact} enabled={enabled} control={control} />
      <p class="mt-1 text-xs text-slate-600 dark:text-slate-400">
        {impact.kind === 'userRisk' ? (
          <>Computed now from each user's current risk level, by the same decision the API answers with.</>
        ) : (
          <>
            Risky sign-ins since <Time date={impact.since} timeZone={timeZone} />, each judged at its risk level by the same decision the API answers with.
          </>
        )}
        {impact.sample.length === 0 ? '' : impact.sample.length < impact.users ? ` The first ${impact.sample.length} by name:` : ' By name:'}
      </p>
      <Sample users={impact.sample} />
    </>
  );
}

export function policyPath(kind: PolicyKind): string {
  return kind === 'userRisk' ? '/security/policies/user-risk' : '/security/policies/sign-in-risk';
}
