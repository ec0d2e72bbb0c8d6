import { Hono, type Context } from 'hono';
import { PolicyPage, type PolicyPageProps } from '../../../views/security/policies.js';
import { PolicyImpactPanel, policyPath, type PolicyImpact } from '../../../views/security/policy-impact.js';
import { adminActor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import { parsePolicyDraft, POLICY_CONTROLS, savePolicy, type PolicyDraftForm } from '../../actions/policies.js';
import type { AppEnv } from '../../app-env.js';
import { canInvestigate } from '../../auth/permissions.js';
import { field, optionalVersion, readForm, type Form } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, renderPageOrFragment } from '../../http/render.js';
import type { PolicyKind, PolicyRule } from '../../queries/api-policy.js';
import { getPolicyState, previewSignInRiskPolicy, previewUserRiskPolicy, type PolicyState } from '../../queries/policies.js';

// Premium (permissions.ts PREMIUM_PATHS); readers read, and the middleware refuses their POSTs.

type Ctx = Context<AppEnv>;

const KINDS = new Map<string, PolicyKind>([
  ['user-risk', 'userRisk'],
  ['sign-in-risk', 'signInRisk'],
]);

function formOf(state: PolicyRule): PolicyDraftForm {
  return {
    enabled: state.enabled,
    include: state.includeAll ? 'all' : 'listed',
    includeUpns: state.includeUpns.join('\n'),
    excludeUpns: state.excludeUpns.join('\n'),
    threshold: state.threshold,
    control: state.control,
  };
}

function draftOf(form: Form): PolicyDraftForm {
  return {
    enabled: field(form, 'enabled') !== '',
    include: field(form, 'include'),
    includeUpns: field(form, 'includeUpns'),
    excludeUpns: field(form, 'excludeUpns'),
    threshold: field(form, 'threshold'),
    control: field(form, 'control'),
  };
}

/** The impact as the API would decide it: a disabled policy is measured as if enabled, and says so. */
async function impactOf(c: Ctx, kind: PolicyKind, rule: PolicyRule): Promise<PolicyImpact> {
  const db = c.var.deps.database.db;
  const enabled = { ...rule, enabled: true };
  if (kind === 'userRisk') return { kind, ...(await previewUserRiskPolicy(db, c.var.tenant.id, enabled)) };
  return { kind, ...(await previewSignInRiskPolicy(db, c.var.tenant.id, enabled, c.var.deps.now())) };
}

interface Shown {
  saved: PolicyState;
  form: PolicyDraftForm;
  rule: PolicyRule | null;
  draft: boolean;
  version: number;
  notice?: string;
  error?: string;
}

async function pageProps(c: Ctx, kind: PolicyKind, shown: Shown): Promise<PolicyPageProps> {
  const { admin } = c.var;
  return {
    admin: layoutAdmin(c)!,
    kind,
    controls: POLICY_CONTROLS[kind],
    form: shown.form,
    version: shown.version,
    updatedAt: shown.saved.updatedAt,
    canEdit: canInvestigate(admin.role),
    impact: shown.rule ? await impactOf(c, kind, shown.rule) : null,
    draft: shown.draft,
    timeZone: admin.timezone,
    notice: shown.notice,
    error: shown.error,
  };
}

async function savedShown(c: Ctx, kind: PolicyKind, extra: Pick<Shown, 'notice' | 'error'> = {}): Promise<Shown> {
  const saved = await getPolicyState(c.var.deps.database.db, c.var.tenant.id, kind);
  return { saved, form: formOf(saved), rule: saved, draft: false, version: saved.version, ...extra };
}

/** Reads the form; a draft that does not parse is shown back as typed, with the message naming the field. */
async function readDraft(c: Ctx, kind: PolicyKind, body: Form): Promise<{ shown: Shown; rule: PolicyRule | null; version: number | null }> {
  const form = draftOf(body);
  const version = optionalVersion(body);
  const saved = await getPolicyState(c.var.deps.database.db, c.var.tenant.id, kind);
  const base = { saved, form, draft: true, version: version ?? saved.version };
  if (version === null) return { shown: { ...base, rule: null, error: 'version is required: reload the page and try again' }, rule: null, version };
  try {
    const rule = parsePolicyDraft(kind, form);
    return { shown: { ...base, rule }, rule, version };
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return { shown: { ...base, rule: null, error: error.message }, rule: null, version };
  }
}

async function renderPreview(c: Ctx, kind: PolicyKind, body: Form) {
  const { shown } = await readDraft(c, kind, body);
  const props = await pageProps(c, kind, shown);
  const status = shown.rule ? 200 : 400;
  return renderPageOrFragment(
    c,
    () => <PolicyPage {...props} />,
    () =>
      props.impact ? (
        <PolicyImpactPanel impact={props.impact} draft enabled={props.form.enabled} control={props.form.control} timeZone={props.timeZone} />
      ) : (
        <p role="alert" class="rounded bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {shown.error}
        </p>
      ),
    status,
  );
}

const SAVED = 'Policy saved. The API answers with it from now on.';

export const policiesRoutes = new Hono<AppEnv>()
  .get('/security/policies', (c) => redirectTo(c, '/security/policies/user-risk'))
  .get('/security/policies/:kind', async (c) => {
    const kind = KINDS.get(c.req.param('kind'));
    if (!kind) return c.notFound();
    const props = await pageProps(c, kind, await savedShown(c, kind, { notice: c.req.query('done') === 'saved' ? SAVED : undefined }));
    return c.html(<PolicyPage {...props} />);
  })
  .post('/security/policies/:kind/preview', async (c) => {
    const kind = KINDS.get(c.req.param('kind'));
    if (!kind) return c.notFound();
    return renderPreview(c, kind, await readForm(c));
  })
  .post('/security/policies/:kind', async (c) => {
    const kind = KINDS.get(c.req.param('kind'));
    if (!kind) return c.notFound();
    const body = await readForm(c);
    if (field(body, 'action') !== 'save') return renderPreview(c, kind, body);
    const { shown, rule, version } = await readDraft(c, kind, body);
    if (!rule || version === null) return c.html(<PolicyPage {...await pageProps(c, kind, shown)} />, 400);
    try {
      await savePolicy(c.var.deps.database.db, { tenantId: c.var.tenant.id, kind, rule, version, actor: adminActor(c.var.admin), now: c.var.deps.now() });
    } catch (error) {
      if (!(error instanceof ActionError) || error.status !== 409) throw error;
      return c.html(<PolicyPage {...await pageProps(c, kind, await savedShown(c, kind, { error: error.message }))} />, 409);
    }
    return redirectTo(c, `${policyPath(kind)}?done=saved`);
  });
