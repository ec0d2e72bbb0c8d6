import { Hono } from 'hono';
import { LoginPage } from '../../views/login.js';
import type { AppEnv } from '../app-env.js';
import { getAdminByEmail } from '../actions/admins.js';
import { deleteSessionCookie, setSessionCookie } from '../auth/cookie.js';
import { verifyPassword } from '../auth/passwords.js';
import { createSession, invalidateSession, sessionExpiresAt } from '../auth/sessions.js';
import { safeLocalPath } from '../http/render.js';

const INVALID = 'Invalid email or password';

export const loginRoutes = new Hono<AppEnv>()
  .get('/login', (c) => {
    const next = safeLocalPath(c.req.query('next'), '');
    return c.html(<LoginPage next={next || undefined} />);
  })
  .post('/login', async (c) => {
    const { db } = c.var.deps.database;
    const form = await c.req.parseBody();
    const email = typeof form.email === 'string' ? form.email.trim().toLowerCase() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeLocalPath(typeof form.next === 'string' ? form.next : null, '/');

    const admin = email && password ? await getAdminByEmail(db, email) : null;
    const valid = admin ? await verifyPassword(admin.passwordHash, password) : false;
    if (!admin || !valid) {
      return c.html(<LoginPage email={email} next={next === '/' ? undefined : next} error={INVALID} />, 401);
    }
    // A new session on every sign-in, so a token planted before sign-in is worth nothing after.
    const { session, token } = await createSession(db, admin.id, c.var.deps.now(), false);
    setSessionCookie(c, token, sessionExpiresAt(session));
    return c.redirect(next, 303);
  })
  .post('/logout', async (c) => {
    await invalidateSession(c.var.deps.database.db, c.var.sessionId);
    deleteSessionCookie(c);
    return c.redirect('/login', 303);
  });
