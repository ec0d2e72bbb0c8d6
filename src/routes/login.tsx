import { Hono } from 'hono';
import { LoginPage } from '../../views/login.js';
import type { AppEnv } from '../app-env.js';
import { safeLocalPath } from '../http/render.js';

export const loginRoutes = new Hono<AppEnv>().get('/login', (c) => {
  const next = safeLocalPath(c.req.query('next'), '');
  return c.html(<LoginPage next={next || undefined} />);
});
