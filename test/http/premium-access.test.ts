import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edition } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';
import { seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { getEvent } from './premium-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

const GETS = [
  '/security/risk-events',
  '/security/risk-events/export.csv',
  '/security/risk-events/unlikelyTravel',
  '/security/risk-events/unfamiliarFeatures/acc-1-e1',
  '/security/users/acc-user',
];
const POSTS = [
  '/security/risk-events/unfamiliarFeatures/acc-1-e1/status',
  '/security/users/acc-user/reset-password',
  '/security/users/acc-user/dismiss',
  '/security/users/acc-user/confirm-compromised',
];

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

describe('premium blades on other editions', () => {
  it.each<Edition>(['free', 'basic'])('answer a %s tenant 403 on every URL, and change nothing', async (edition) => {
    const tenant = await seedTenant(database.db, edition);
    await seedRiskySignIn(database.db, tenant.id, { id: 'acc-1', userId: 'acc-user', events: [{}] }, new Date());
    const cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
    for (const path of GETS) {
      const res = await get(app, cookie, path);
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).toContain('Premium P1 and Premium P2');
    }
    for (const path of POSTS) {
      expect((await post(app, cookie, path, { version: '1', action: 'resolve' })).status, path).toBe(403);
    }
    expect((await getEvent(database.db, tenant.id, 'acc-1-e1')).status).toBe('active');
    const list = await (await get(app, cookie, '/security/risky-sign-ins')).text();
    expect(list).not.toContain('href="/security/users/');
    expect(list).toContain('href="/security/sign-ins?userId=acc-user"');
  });

  it('open on premium P1 and P2', async () => {
    for (const edition of ['premium_p1', 'premium_p2'] as const) {
      const tenant = await seedTenant(database.db, edition);
      await seedRiskySignIn(database.db, tenant.id, { id: 'acc-1', userId: 'acc-user', events: [{}] }, new Date());
      const cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
      for (const path of GETS) expect((await get(app, cookie, path)).status, `${edition} ${path}`).toBe(200);
      const blade = await (await get(app, cookie, '/security/users/acc-user')).text();
      expect(blade).not.toContain('/reset-password');
      expect(blade).not.toContain('name="action"');
      // Readers read; every action is refused by the middleware.
      for (const path of POSTS) expect((await post(app, cookie, path, { version: '1', action: 'resolve' })).status, path).toBe(403);
    }
  });
});
