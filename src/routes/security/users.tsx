import { Hono, type Context } from 'hono';
import { TemporaryPasswordPage } from '../../../views/security/users-password.js';
import { UserConfirmBox, UserConfirmPage, USER_ACTIONS, type UserAction } from '../../../views/security/users-confirm.js';
import { UserBladePage, userPath } from '../../../views/security/users.js';
import { adminActor } from '../../actions/audit-record.js';
import { ActionError } from '../../actions/errors.js';
import { HANDOFF_TOKEN, takePasswordHandoff } from '../../actions/password-handoff.js';
import { confirmUserCompromised, dismissUserRisk, resetUserPassword, type UserActionInput } from '../../actions/user-risk.js';
import type { AppEnv } from '../../app-env.js';
import { URL_SAFE_ID } from '../../db/ids.js';
import { forbidden } from '../../auth/middleware.js';
import { canInvestigate } from '../../auth/permissions.js';
import { optionalVersion, readForm } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { getDirectoryUser, getUserBlade } from '../../queries/users.js';
import { redirectTo, refuse, renderPageOrFragment } from '../../http/render.js';

type Ctx = Context<AppEnv>;

const DONE: Record<string, string> = {
  dismissed: "All the user's active risk events were dismissed.",
  confirmed: 'The user is confirmed compromised.',
};

async function renderBlade(c: Ctx, userId: string, extra: { notice?: string | null; refusal?: string | null } = {}, status: 200 | 409 = 200) {
  const { admin, tenant } = c.var;
  const blade = await getUserBlade(c.var.deps.database.db, tenant.id, userId, { edition: tenant.edition, now: c.var.deps.now() });
  if (!blade) return c.notFound();
  const page = <UserBladePage {...blade} {...extra} admin={layoutAdmin(c)!} canAct={canInvestigate(admin.role)} timeZone={admin.timezone} returnTo={userPath(userId)} />;
  return c.html(page, status);
}

async function runUserAction<T>(c: Ctx, run: (input: UserActionInput) => Promise<T>, done: (result: T, userId: string) => Response | Promise<Response>) {
  const userId = c.req.param('userId') ?? '';
  if (!URL_SAFE_ID.test(userId)) return c.notFound();
  const version = optionalVersion(await readForm(c));
  if (version === null) {
    return refuse(c, { status: 400, title: 'Bad value for version', message: 'version must be the whole number the form was loaded with' });
  }
  try {
    const result = await run({ tenantId: c.var.tenant.id, userId, version, actor: adminActor(c.var.admin), now: c.var.deps.now() });
    return await done(result, userId);
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    if (error.status === 409) return renderBlade(c, userId, { refusal: error.message }, 409);
    return c.notFound();
  }
}

export const usersRoutes = new Hono<AppEnv>()
  .get('/security/users/:userId', (c) => {
    const userId = c.req.param('userId');
    if (!URL_SAFE_ID.test(userId)) return c.notFound();
    return renderBlade(c, userId, { notice: DONE[c.req.query('done') ?? ''] ?? null });
  })
  .get('/security/users/:userId/:action{reset-password|dismiss|confirm-compromised}', async (c) => {
    const userId = c.req.param('userId');
    const action = c.req.param('action') as UserAction;
    if (!URL_SAFE_ID.test(userId) || !USER_ACTIONS.includes(action)) return c.notFound();
    if (!canInvestigate(c.var.admin.role)) return forbidden(c, 'Security readers can view and download, but not change anything.');
    const user = await getDirectoryUser(c.var.deps.database.db, c.var.tenant.id, userId);
    if (!user) return c.notFound();
    return renderPageOrFragment(
      c,
      () => <UserConfirmPage admin={layoutAdmin(c)!} action={action} user={user} inPlace={false} />,
      () => <UserConfirmBox action={action} user={user} inPlace />,
    );
  })
  .get('/security/users/:userId/temporary-password/:token', async (c) => {
    const userId = c.req.param('userId');
    const token = c.req.param('token');
    if (!URL_SAFE_ID.test(userId) || !HANDOFF_TOKEN.test(token)) return c.notFound();
    const { tenant, admin } = c.var;
    const user = await getDirectoryUser(c.var.deps.database.db, tenant.id, userId);
    if (!user) return c.notFound();
    const result = await takePasswordHandoff(c.var.deps.database.db, { tenantId: tenant.id, adminId: admin.id, userId, token, now: c.var.deps.now() });
    // Shown once: never cached by the browser or a proxy.
    c.header('Cache-Control', 'no-store');
    return c.html(<TemporaryPasswordPage admin={layoutAdmin(c)!} user={user} shown={result.shown ? result : null} />, result.shown ? 200 : 410);
  })
  .post('/security/users/:userId/reset-password', (c) =>
    runUserAction(
      c,
      (input) => resetUserPassword(c.var.deps.database.db, input, c.var.admin.id),
      ({ token }, userId) => redirectTo(c, `${userPath(userId)}/temporary-password/${token}`),
    ),
  )
  .post('/security/users/:userId/dismiss', (c) =>
    runUserAction(
      c,
      (input) => dismissUserRisk(c.var.deps.database.db, input),
      (_, userId) => redirectTo(c, `${userPath(userId)}?done=dismissed`),
    ),
  )
  .post('/security/users/:userId/confirm-compromised', (c) =>
    runUserAction(
      c,
      (input) => confirmUserCompromised(c.var.deps.database.db, input),
      (_, userId) => redirectTo(c, `${userPath(userId)}?done=confirmed`),
    ),
  );
