import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicDir } from '../../views/assets.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn } from '../helpers/session.js';
import { NOW, ago, insertRisky } from './report-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let admin: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  const tenant = await seedTenant(database.db, 'free');
  admin = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  await insertRisky(
    database.db,
    tenant.id,
    Array.from({ length: 60 }, (_, i) => ({
      id: `8f1c2d3e-${String(i).padStart(4, '0')}-4a5b-9c8d-7e6f5a4b3c2d`,
      createdDateTime: ago(i / 10),
      userId: `0b9e8d7c-${String(i % 40).padStart(4, '0')}-4e3f-8a9b-1c2d3e4f5a6b`,
      userPrincipalName: `user.number${i % 40}@contoso.com`,
      userDisplayName: `User Number ${i % 40}`,
      ipAddress: `203.0.113.${i}`,
      city: 'Saint Petersburg',
      state: 'Saint Petersburg',
      countryOrRegion: 'RU',
      status: i % 4 === 0 ? 'dismissedAsIgnore' : 'active',
      types: i % 2 === 0 ? ['anonymizedIPAddress', 'unfamiliarFeatures'] : ['unlikelyTravel'],
    })),
  );
});
afterAll(() => database.destroy());

const gzipped = (data: string | Buffer) => gzipSync(data, { level: 6 }).length;

describe('page weight', () => {
  it('keeps a first visit of 50 rows, with CSS and htmx, under 30 KB compressed, and a swap under 5 KB', async () => {
    const html = await (await get(app, admin, '/security/risky-sign-ins')).text();
    const fragment = await (await get(app, admin, '/security/risky-sign-ins?status=active', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' })).text();
    const assets = ['app.css', 'htmx.min.js'].map((name) => gzipped(readFileSync(`${publicDir}/${name}`)));
    const total = gzipped(html) + assets.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(30 * 1024);
    expect(gzipped(fragment)).toBeLessThan(5 * 1024);
  });
});
