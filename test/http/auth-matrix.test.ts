import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp } from '../helpers/app.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { isPublicPath } from '../../src/auth/middleware.js';
import { isGlobalAdminPath, isPremium, isPremiumPath, isReaderAllowedPost, PREMIUM_PATHS } from '../../src/auth/permissions.js';
import { EDITIONS, ROLES, type Admin, type Edition, type Role } from '../../src/db/schema.js';
import { getPage, postForm, sessionFor } from './auth-helpers.js';

// The matrices are generated from the app's own route table (app.routes), so a route added later
// is checked without anyone remembering to list it here. The console's URLs are
// added too, so the guards hold even for blades whose handlers are not written yet.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
const admins = new Map<string, Admin>();

const SPEC_ROUTES: [string, string][] = [
  ['GET', '/security/risky-sign-ins'],
  ['GET', '/security/users-at-risk'],
  ['GET', '/security/sign-ins'],
  ['GET', '/security/risk-events'],
  ['GET', '/security/risk-events/:type'],
  ['GET', '/security/risk-events/:type/:eventId'],
  ['GET', '/security/users/:userId'],
  ['GET', '/security/policies/user-risk'],
  ['GET', '/security/policies/sign-in-risk'],
  ['GET', '/settings/detection'],
  ['GET', '/settings/admins'],
  ['GET', '/settings/account'],
  ['GET', '/settings/api-keys'],
  ['GET', '/settings/webhooks'],
  ['GET', '/settings/trusted-locations'],
  ['GET', '/settings/leaked-credentials'],
  ['GET', '/settings/ip-lists'],
  ['GET', '/settings/directory'],
  ['POST', '/security/risk-events/:type/:eventId/status'],
  ['POST', '/security/risky-sign-ins/:signInId/feedback'],
  ['POST', '/security/users/:userId/reset-password'],
  ['POST', '/security/users/:userId/dismiss'],
  ['POST', '/security/users/:userId/confirm-compromised'],
  ['POST', '/settings/admins'],
  ['POST', '/settings/api-keys'],
  ['POST', '/settings/webhooks'],
  ['POST', '/settings/detection'],
  ['POST', '/settings/trusted-locations'],
  ['POST', '/settings/leaked-credentials'],
  ['POST', '/settings/directory'],
];

const SAMPLE_PARAMS: Record<string, string> = {
  type: 'unlikelyTravel',
  eventId: 'sample-event-1',
  userId: 'sample-user-1',
  signInId: 'sample-sign-in-1',
  adminId: '00000000-0000-4000-8000-000000000001',
};

const USER_ACTION_CONFIRMATION = /^\/security\/users\/[^/]+\/(reset-password|dismiss|confirm-compromised)$/;

/** "/a/:type/:id" → "/a/unlikelyTravel/sample"; ":action{reset|dismiss}" → "reset"; "*" → "sample". */
function samplePath(path: string): string {
  return path
    .replace(/:(\w+)(\{([^}]*)\})?\??/g, (_, name: string, _pattern: string | undefined, choices: string | undefined) =>
      SAMPLE_PARAMS[name] ?? (choices && /^[\w-]+(\|[\w-]+)*$/.test(choices) ? choices.split('|')[0] : 'sample'))
    .replace(/\*/g, 'sample');
}

function routeTable(method: 'GET' | 'POST'): string[] {
  const registered = app.routes.filter((route) => route.method === method && route.path !== '/*').map((route) => route.path);
  const paths = new Set([...registered, ...SPEC_ROUTES.filter(([m]) => m === method).map(([, path]) => path)]);
  return [...paths].map(samplePath).filter((path) => !isPublicPath(path) && path !== '/login').sort();
}

async function adminOf(edition: Edition, role: Role): Promise<Admin> {
  const key = `${edition}/${role}`;
  let admin = admins.get(key);
  if (!admin) {
    admin = await seedAdmin(database.db, await seedTenant(database.db, edition), role);
    admins.set(key, admin);
  }
  return admin;
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

describe('the route table', () => {
  it('holds the console routes the matrices walk', () => {
    const gets = routeTable('GET');
    const posts = routeTable('POST');
    expect(gets).toEqual(expect.arrayContaining(['/settings/account', '/settings/admins', '/security/risk-events', '/security/risky-sign-ins']));
    expect(posts).toEqual(expect.arrayContaining(['/logout', '/settings/admins', '/settings/account/password', `/settings/admins/${SAMPLE_PARAMS.adminId}/role`]));
    expect(gets.filter(isPremiumPath).length).toBeGreaterThanOrEqual(PREMIUM_PATHS.length);
  });
});

describe('authenticated by default', () => {
  it('sends a visitor without a session to sign in, on every console route', async () => {
    for (const path of routeTable('GET')) {
      const res = await getPage(app, path);
      expect(res.status, `GET ${path}`).toBe(302);
      expect(res.headers.get('location'), `GET ${path}`).toMatch(/^\/login(\?next=|$)/);
    }
    for (const path of routeTable('POST')) {
      const res = await postForm(app, path, {});
      expect(res.status, `POST ${path}`).toBe(303);
      expect(res.headers.get('location'), `POST ${path}`).toBe('/login');
    }
  });
});

describe('edition × route', () => {
  it.each(EDITIONS)('a %s tenant gets 403 on premium views only', async (edition) => {
    const cookie = await sessionFor(database, await adminOf(edition, 'global_admin'));
    for (const path of routeTable('GET')) {
      const res = await getPage(app, path, { cookie });
      const body = await res.text();
      if (isPremiumPath(path) && !isPremium(edition)) {
        expect(res.status, `GET ${path}`).toBe(403);
        expect(body, `GET ${path}`).toContain('Premium P1 and Premium P2');
      } else {
        expect(res.status, `GET ${path}`).not.toBe(403);
      }
    }
  });

  it.each(EDITIONS.filter((edition) => !isPremium(edition)))('a %s tenant cannot POST to premium actions either', async (edition) => {
    const admin = await adminOf(edition, 'global_admin');
    for (const path of routeTable('POST').filter(isPremiumPath)) {
      const res = await postForm(app, path, { version: '1', action: 'resolve' }, { cookie: await sessionFor(database, admin) });
      expect(res.status, `POST ${path}`).toBe(403);
    }
  });
});

describe('role × action', () => {
  it.each(ROLES)('a %s is refused exactly the actions its role may not take', async (role) => {
    const admin = await adminOf('premium_p2', role);
    for (const path of routeTable('POST')) {
      // A session of its own per request: some actions (sign-out) end the one they run in.
      const res = await postForm(app, path, {}, { cookie: await sessionFor(database, admin) });
      const refused =
        (role === 'security_reader' && !isReaderAllowedPost(path)) || (role !== 'global_admin' && isGlobalAdminPath(path));
      if (refused) expect(res.status, `${role} POST ${path}`).toBe(403);
      else expect(res.status, `${role} POST ${path}`).not.toBe(403);
    }
  });

  it.each(ROLES)('a %s may read everything but the global-admin pages', async (role) => {
    const cookie = await sessionFor(database, await adminOf('premium_p2', role));
    for (const path of routeTable('GET')) {
      const res = await getPage(app, path, { cookie });
      // The confirmation step of a destructive user action is part of the action: readers may not take it.
      const confirmsAction = role === 'security_reader' && USER_ACTION_CONFIRMATION.test(path);
      if ((role !== 'global_admin' && isGlobalAdminPath(path)) || confirmsAction) expect(res.status, `${role} GET ${path}`).toBe(403);
      else expect(res.status, `${role} GET ${path}`).not.toBe(403);
    }
  });

  it('lets a security reader sign out and manage only their own account', async () => {
    const reader = await adminOf('premium_p2', 'security_reader');
    const allowed = routeTable('POST').filter(isReaderAllowedPost);
    expect(allowed).toEqual(expect.arrayContaining(['/logout', '/settings/account/password', '/settings/account/timezone']));
    expect(allowed.every((path) => path === '/logout' || path === '/login/two-factor' || path.startsWith('/settings/account/'))).toBe(true);
    const res = await postForm(app, '/settings/account/timezone', { timezone: 'Europe/Berlin', version: String(reader.version) }, { cookie: await sessionFor(database, reader) });
    expect(res.status).toBe(303);
  });
});

describe('paths spelled differently', () => {
  it('guards percent-encoded spellings of guarded paths the same way', async () => {
    const free = await sessionFor(database, await adminOf('free', 'global_admin'));
    const reader = await sessionFor(database, await adminOf('premium_p2', 'security_reader'));
    expect((await getPage(app, '/security/risk%2Devents', { cookie: free })).status).toBe(403);
    expect((await getPage(app, '/security/%72isk-events/unlikelyTravel', { cookie: free })).status).toBe(403);
    expect((await getPage(app, '/settings/%61dmins', { cookie: reader })).status).toBe(403);
    expect((await postForm(app, '/settings/%61dmins', { email: 'x@example.com', role: 'global_admin' }, { cookie: reader })).status).toBe(403);
  });
});
