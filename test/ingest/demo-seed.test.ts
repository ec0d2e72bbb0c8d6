import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { rows } from '../../src/db/client.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed.js';
import { seedDemoOnFirstStart } from '../../src/startup.js';
import { createTestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-27T04:00:00.000Z');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

async function counts() {
  return rows<{ domain: string; edition: string; admins: number; sign_ins: number; events: number; types: number }>(
    database.db,
    sql`select t.domain, t.edition,
          (select count(*)::int from admins a where a.tenant_id = t.id) as admins,
          (select count(*)::int from sign_ins s where s.tenant_id = t.id) as sign_ins,
          (select count(*)::int from risk_events e where e.tenant_id = t.id) as events,
          (select count(distinct risk_event_type)::int from risk_events e where e.tenant_id = t.id) as types
        from tenants t order by t.domain`,
  );
}

describe('the demo', () => {
  it('refuses production without --force, before changing anything', async () => {
    await expect(seedDemo(database.db, { nodeEnv: 'production', now: NOW })).rejects.toThrow(/NODE_ENV=production.*--force/);
    expect(await counts()).toEqual([]);
  });

  it('leaves a server database alone: no demo data with DATABASE_URL', async () => {
    const output: string[] = [];
    const config = { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: 'postgres://elsewhere/db' };
    await seedDemoOnFirstStart(database, config, (text) => output.push(text));
    expect(output).toEqual([]);
    expect(await counts()).toEqual([]);
  });

  it('creates Contoso and Fabrikam with their admins and every detected risk event type, then changes nothing', async () => {
    // The first start seeds an empty embedded database and prints the logins; a server database is seeded by `riskdesk demo`.
    const printed: string[] = [];
    if (database.driver === 'pglite') await seedDemoOnFirstStart(database, loadConfig({ NODE_ENV: 'test' }), (text) => printed.push(text));
    else expect((await seedDemo(database.db, { seed: 1, now: NOW })).created).toBe(true);
    if (database.driver === 'pglite') {
      const logins = printed.join('');
      for (const email of ['admin@contoso.com', 'reader@contoso.com', 'admin@fabrikam.com', 'reader@fabrikam.com']) expect(logins).toContain(email);
      expect(logins).toContain(DEMO_PASSWORD);
    }
    const before = await counts();
    expect(before.map(({ domain, edition, admins, types }) => ({ domain, edition, admins, types }))).toEqual([
      { domain: 'contoso.com', edition: 'premium_p2', admins: 2, types: 6 },
      { domain: 'fabrikam.com', edition: 'free', admins: 2, types: 6 },
    ]);
    expect(await seedDemo(database.db, { seed: 2, now: NOW })).toEqual({ created: false, existing: ['contoso.com', 'fabrikam.com'] });
    const output: string[] = [];
    await seedDemoOnFirstStart(database, loadConfig({ NODE_ENV: 'test' }), (text) => output.push(text));
    expect(output).toEqual([]);
    expect(await counts()).toEqual(before);
  }, 240_000);
});
