import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, ORIGIN, signIn } from '../helpers/session.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

const UNKNOWN = ['/nope', '/wp-login.php', '/.env', '/security/no-such-blade', '/settings/admins/extra/segments', '/security/users/u-1/unknown-action'];
const PROTECTED = ['/', '/security/risky-sign-ins?level=high', '/security/users/u-1', '/security/risk-events/unlikelyTravel', '/settings/account', '/audit'];

describe('paths no route serves', () => {
  it('answer 404 to a visitor who is not signed in, without sending them to the login page', async () => {
    for (const path of UNKNOWN) {
      const res = await app.request(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Location'), path).toBeNull();
      expect(await res.text(), path).toContain('Not found');
    }
  });

  it('answer 404 to a signed-in admin', async () => {
    const cookie = await signIn(app, (await seedAdmin(database.db, await seedTenant(database.db))).email);
    for (const path of UNKNOWN) expect((await get(app, cookie, path)).status, path).toBe(404);
  });

  it('leave the real, protected URLs redirecting to the login page, keeping where the visitor was going', async () => {
    for (const path of PROTECTED) {
      const res = await app.request(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('Location'), path).toBe(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`);
    }
  });
});
