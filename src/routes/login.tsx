import { Hono, type Context } from 'hono';
import { LoginPage, TwoFactorPage } from '../../views/login.js';
import type { AppEnv } from '../app-env.js';
import { findExistingEmails, getAdminByEmail } from '../queries/admins.js';
import { clientAddress } from '../auth/client-address.js';
import { deleteSessionCookie, setSessionCookie } from '../auth/cookie.js';
import { verifyPasswordOrDummy } from '../auth/passwords.js';
import { consumeSecondFactor } from '../auth/second-factor.js';
import { createSession, invalidateSession, markSessionTwoFactorVerified, sessionExpiresAt } from '../auth/sessions.js';
import { beginLoginAttempt, pruneLoginAttempts, succeedLoginAttempt, withdrawLoginAttempt } from '../auth/throttle.js';
import { redirectTo, safeLocalPath } from '../http/render.js';
import { field, readForm } from '../http/forms.js';

const INVALID = 'Invalid email or password';
const INVALID_CODE = 'Invalid code';
const DEMO_LOGINS = ['admin@contoso.com', 'reader@contoso.com', 'admin@fabrikam.com', 'reader@fabrikam.com'];

function throttledMessage(seconds: number): string {
  return `Too many failed sign-ins. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
}

/** The demo logins are public; they are shown only on a demo install (embedded database with the demo tenants). */
async function demoLogins(c: Context<AppEnv>): Promise<string[]> {
  if (c.var.deps.config.databaseUrl) return [];
  const existing = await findExistingEmails(c.var.deps.database.db, DEMO_LOGINS);
  return existing.includes('admin@contoso.com') ? DEMO_LOGINS.filter((email) => existing.includes(email)) : [];
}

function nextOrUndefined(next: string): string | undefined {
  return next === '/' ? undefined : next;
}

export const loginRoutes = new Hono<AppEnv>()
  .get('/login', async (c) => {
    const next = safeLocalPath(c.req.query('next'), '/');
    return c.html(<LoginPage next={nextOrUndefined(next)} demoLogins={await demoLogins(c)} />);
  })
  .post('/login', async (c) => {
    const { db } = c.var.deps.database;
    const now = c.var.deps.now();
    const form = await readForm(c);
    const email = field(form, 'email').trim().toLowerCase();
    const password = field(form, 'password');
    const code = field(form, 'code');
    const next = safeLocalPath(field(form, 'next'), '/');
    const again = (status: 401 | 429, error: string) =>
      c.html(<LoginPage email={email} next={nextOrUndefined(next)} error={error} />, status);
    if (!email || !password) return again(401, INVALID);

    const attempt = await beginLoginAttempt(db, email, clientAddress(c), now);
    if (attempt.retryAfterSeconds !== undefined) {
      c.header('Retry-After', String(attempt.retryAfterSeconds));
      return again(429, throttledMessage(attempt.retryAfterSeconds));
    }
    const admin = await getAdminByEmail(db, email);
    const valid = await verifyPasswordOrDummy(admin?.passwordHash ?? null, password);
    if (!admin || !valid) return again(401, INVALID);

    // With MFA the password alone neither fails nor completes the attempt: the code decides.
    const hasTotp = admin.totpSecret !== null;
    if (hasTotp && code && !(await consumeSecondFactor(db, admin, code, now))) return again(401, INVALID);
    const complete = !hasTotp || code !== '';
    if (complete) {
      await succeedLoginAttempt(db, attempt.attemptId);
      await pruneLoginAttempts(db, now);
    } else {
      await withdrawLoginAttempt(db, attempt.attemptId);
    }
    // A new session on every sign-in, so a token planted before sign-in is worth nothing after.
    const { session, token } = await createSession(db, admin.id, now, hasTotp && complete);
    setSessionCookie(c, token, sessionExpiresAt(session));
    if (!complete) return redirectTo(c, next === '/' ? '/login/two-factor' : `/login/two-factor?next=${encodeURIComponent(next)}`);
    return redirectTo(c, next);
  })
  .get('/login/two-factor', (c) => {
    const next = safeLocalPath(c.req.query('next'), '/');
    if (c.var.admin.totpSecret === null) return redirectTo(c, next);
    return c.html(<TwoFactorPage email={c.var.admin.email} next={nextOrUndefined(next)} />);
  })
  .post('/login/two-factor', async (c) => {
    const { db } = c.var.deps.database;
    const { admin, sessionId } = c.var;
    const now = c.var.deps.now();
    const form = await readForm(c);
    const next = safeLocalPath(field(form, 'next'), '/');
    if (admin.totpSecret === null) return redirectTo(c, next);
    const again = (status: 401 | 429, error: string) => c.html(<TwoFactorPage email={admin.email} next={nextOrUndefined(next)} error={error} />, status);

    const attempt = await beginLoginAttempt(db, admin.email, clientAddress(c), now);
    if (attempt.retryAfterSeconds !== undefined) {
      c.header('Retry-After', String(attempt.retryAfterSeconds));
      return again(429, throttledMessage(attempt.retryAfterSeconds));
    }
    if (!(await consumeSecondFactor(db, admin, field(form, 'code'), now))) return again(401, INVALID_CODE);
    await succeedLoginAttempt(db, attempt.attemptId);
    await markSessionTwoFactorVerified(db, sessionId);
    return redirectTo(c, next);
  })
  .post('/logout', async (c) => {
    await invalidateSession(c.var.deps.database.db, c.var.sessionId);
    deleteSessionCookie(c);
    return redirectTo(c, '/login');
  });
