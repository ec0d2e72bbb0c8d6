import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { NOW, ago, insertRisky, insertSignIns, insertUsers } from './report-fixtures.js';

// The pages' own words stay within Latin-1 (views/components/chars.ts): one character beyond it,
// anywhere in a page, makes the whole page a two-byte string to flatten and encode. With data in
// Latin-1, every character of these pages is; a name in another script still shows as it is.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let admin: string;
let otherAdmin: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  tenant = await seedTenant(database.db, 'premium_p2');
  admin = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  await insertUsers(database.db, tenant.id, [{ id: 'user-1', userPrincipalName: 'alice@contoso.com', displayName: 'Alice Archer', riskLevel: 'medium', riskState: 'atRisk', riskLastUpdatedAt: ago(1) }]);
  await insertRisky(database.db, tenant.id, [
    { id: 'r-1', createdDateTime: ago(1), types: ['unfamiliarFeatures', 'unlikelyTravel'] },
    { id: 'r-2', createdDateTime: ago(2), status: 'remediated' },
  ]);
  await insertSignIns(database.db, tenant.id, [{ id: 'ok-1', createdDateTime: ago(3), errorCode: 50126, failureReason: 'Invalid username or password' }]);
  const other = await seedTenant(database.db, 'premium_p2');
  otherAdmin = await signIn(app, (await seedAdmin(database.db, other, 'security_admin')).email);
  await insertRisky(database.db, other.id, [{ id: 'z-1', createdDateTime: ago(1), userId: 'user-z', userPrincipalName: 'zhang@contoso.com', userDisplayName: '张伟' }]);
});

afterAll(async () => {
  await database.destroy();
});

const beyondLatin1 = (html: string) => [...new Set(html.match(/[^\u0000-\u00ff]/gu) ?? [])];

describe('the pages an admin works in', () => {
  it.each([
    ['the risky sign-ins list, sorted by level', '/security/risky-sign-ins?sort=-level', 'alice@contoso.com'],
    ['the sign-in log', '/security/sign-ins', 'Invalid username or password'],
    ['users at risk', '/security/users-at-risk', 'alice@contoso.com'],
    ['risk event types', '/security/risk-events', 'Impossible travel'],
    ['a type blade', '/security/risk-events/unfamiliarFeatures', 'alice@contoso.com'],
    ['a user blade', '/security/users/user-1', 'Reset password'],
  ])('%s: nothing beyond Latin-1 when the data has nothing beyond it', async (_, path, shown) => {
    const res = await get(app, admin, path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(shown);
    expect(beyondLatin1(html)).toEqual([]);
  });

  it('shows a name in another script as it is', async () => {
    const html = await (await get(app, otherAdmin, '/security/risky-sign-ins')).text();
    expect(html).toContain('>张伟</a>');
    expect(beyondLatin1(html)).toEqual(['张', '伟']);
  });
});
