import type { Child } from 'hono/jsx';
import type { PolicyDraftForm } from '../../src/actions/policies.js';
import type { PolicyKind } from '../../src/queries/api-policy.js';
import { Time } from '../components/time.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { buttonClass, ErrorNotice, inputClass, Notice, secondaryButtonClass } from '../settings/parts.js';
import { POLICY_PREVIEW_ID, PolicyImpactPanel, policyPath, type PolicyImpact } from './policy-impact.js';

const LINK = 'text-blue-700 hover:underline dark:text-blue-400';
const FIELDSET = 'mb-4 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900';
const LEGEND = 'px-1 text-base font-semibold';

export const POLICY_NAMES: Record<PolicyKind, string> = { userRisk: 'User risk policy', signInRisk: 'Sign-in risk policy' };

const ABOUT: Record<PolicyKind, string> = {
  userRisk:
    "Decides what happens when a user at risk signs in: GET /api/v1/risk/users/:upn and POST /api/v1/sign-ins/evaluate answer it to your identity provider, judged on the user's current risk level.",
  signInRisk:
    'Decides what happens to a risky sign-in while it happens: POST /api/v1/sign-ins/evaluate answers it to your identity provider, judged on the risk level of that sign-in.',
};

const CONTROL_LABELS: Record<string, string> = {
  block: 'Block access',
  requirePasswordChange: 'Allow access, require password change',
  requireMfa: 'Allow access, require multi-factor authentication',
};

const THRESHOLD_LABELS: Record<string, string> = { low: 'Low and above', medium: 'Medium and above', high: 'High' };

export interface PolicyPageProps {
  admin: LayoutAdmin;
  kind: PolicyKind;
  controls: readonly string[];
  form: PolicyDraftForm;
  version: number;
  updatedAt: Date | null;
  canEdit: boolean;
  impact: PolicyImpact | null;
  draft: boolean;
  timeZone: string;
  notice?: string;
  error?: string;
}

function Choice({ name, value, checked, disabled, children }: { name: string; value: string; checked: boolean; disabled: boolean; children?: Child }) {
  return (
    <label class="flex items-center gap-2 text-sm">
      <input type="radio" name={name} value={value} checked={checked} disabled={disabled} />
      {children}
    </label>
  );
}

function PolicyTabs({ current }: { current: PolicyKind }) {
  return (
    <nav aria-label="Risk policies" class="mb-4 flex gap-4 border-b border-slate-200 text-sm dark:border-slate-800">
      {(['userRisk', 'signInRisk'] as const).map((kind) => (
        <a
          href={policyPath(kind)}
          aria-current={kind === current ? 'page' : undefined}
          class="-mb-px border-b-2 border-transparent px-1 pb-2 hover:text-blue-700 aria-[current=page]:border-blue-700 aria-[current=page]:font-medium"
        >
          {POLICY_NAMES[kind]}
        </a>
      ))}
    </nav>
  );
}

/** The policy form: a plain POST (Preview or Save), with htmx swapping the preview in place. */
function PolicyForm(props: PolicyPageProps) {
  const { kind, form, canEdit } = props;
  const path = policyPath(kind);
  const locked = !canEdit;
  const subject = kind === 'userRisk' ? 'User risk' : 'Sign-in risk';
  return (
    <form method="post" action={path} class="max-w-3xl">
      <input type="hidden" name="version" value={String(props.version)} />
      <fieldset class={FIELDSET}>
        <legend class={LEGEND}>Policy enforcement</legend>
        <label class="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" value="on" checked={form.enabled} disabled={locked} />
          Enabled
        </label>
      </fieldset>
      <fieldset class={FIELDSET}>
        <legend class={LEGEND}>Assignments: users</legend>
        <div class="space-y-1">
          <Choice name="include" value="all" checked={form.include !== 'listed'} disabled={locked}>
            All users
          </Choice>
          <Choice name="include" value="listed" checked={form.include === 'listed'} disabled={locked}>
            Selected users
          </Choice>
        </div>
        <label class="mt-3 block text-sm font-medium">
          Included users (selected users only; one user principal name a line)
          <textarea name="includeUpns" rows={3} class={`${inputClass} font-mono text-sm`} disabled={locked} placeholder="alice@contoso.com">
            {form.includeUpns}
          </textarea>
        </label>
        <label class="mt-3 block text-sm font-medium">
          Excluded users (one user principal name a line, e.g. break-glass accounts)
          <textarea name="excludeUpns" rows={3} class={`${inputClass} font-mono text-sm`} disabled={locked} placeholder="breakglass@contoso.com">
            {form.excludeUpns}
          </textarea>
        </label>
      </fieldset>
      <fieldset class={FIELDSET}>
        <legend class={LEGEND}>Conditions: {subject.toLowerCase()} at or above</legend>
        <div class="flex flex-wrap gap-4">
          {['low', 'medium', 'high'].map((level) => (
            <Choice name="threshold" value={level} checked={form.threshold === level} disabled={locked}>
              {THRESHOLD_LABELS[level]}
            </Choice>
          ))}
        </div>
      </fieldset>
      <fieldset class={FIELDSET}>
        <legend class={LEGEND}>Controls: access</legend>
        <div class="space-y-1">
          {props.controls.map((control) => (
            <Choice name="control" value={control} checked={form.control === control} disabled={locked}>
              {CONTROL_LABELS[control]}
            </Choice>
          ))}
        </div>
      </fieldset>
      {canEdit ? (
        <div class="flex flex-wrap gap-2">
          <button
            type="submit"
            name="action"
            value="preview"
            class={secondaryButtonClass}
            hx-post={`${path}/preview`}
            hx-target={`#${POLICY_PREVIEW_ID}`}
            hx-swap="innerHTML"
          >
            Preview impact
          </button>
          <button type="submit" name="action" value="save" class={buttonClass}>
            Save
          </button>
        </div>
      ) : (
        <p class="text-sm text-slate-600 dark:text-slate-400">Security readers can read the policy; a global or security administrator changes it.</p>
      )}
    </form>
  );
}

export function PolicyPage(props: PolicyPageProps) {
  const { kind, admin, impact } = props;
  const name = POLICY_NAMES[kind];
  return (
    <Layout title={name} admin={admin} current="/security/policies/user-risk" crumbs={[{ label: 'Security', href: '/security' }, { label: 'Risk policies' }, { label: name }]}>
      <h1 class="mb-1 text-xl font-semibold">{name}</h1>
      <p class="mb-3 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
        {ABOUT[kind]}{' '}
        {props.updatedAt ? (
          <>
            Last saved <Time date={props.updatedAt} timeZone={props.timeZone} />.
          </>
        ) : (
          'Not configured yet: it allows everyone until enabled.'
        )}
      </p>
      <PolicyTabs current={kind} />
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      <div class="flex flex-col gap-4 lg:flex-row lg:items-start">
        <PolicyForm {...props} />
        <section
          id={POLICY_PREVIEW_ID}
          aria-live="polite"
          class="rounded border border-slate-200 bg-white p-4 lg:sticky lg:top-4 lg:w-96 dark:border-slate-800 dark:bg-slate-900"
          data-testid="policy-impact"
        >
          {impact ? (
            <PolicyImpactPanel impact={impact} draft={props.draft} enabled={props.form.enabled} control={props.form.control} timeZone={props.timeZone} />
          ) : (
            <p class="text-sm text-slate-600 dark:text-slate-400">Fix the form to see the impact.</p>
          )}
        </section>
      </div>
      <p class="mt-4 text-sm">
        <a href="/security/risk-events" class={LINK}>
          Risk events
        </a>{' '}
        · <a href="/security/users-at-risk" class={LINK}>Users flagged for risk</a>
      </p>
    </Layout>
  );
}
