import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtOnce } from '../../src/db/prepared.js';
import { tenants } from '../../src/db/schema.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';

// builtOnce builds a prepared query once and runs it on whatever it is given: the database, or a
// transaction, whose statements must run on the transaction's connection (seeing what it wrote and
// not yet committed), not on the pool's.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

let builds = 0;
const tenantName = builtOnce((db) => {
  builds += 1;
  return db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, sql.placeholder('id'))).prepare('built_once_test_tenant');
});

describe('builtOnce', () => {
  it('runs inside a transaction on its connection, built only once for the database and every transaction', async () => {
    const tenant = await seedTenant(database.db);
    expect(await tenantName(database.db).execute({ id: tenant.id })).toEqual([{ name: tenant.name }]);
    for (const name of ['Renamed once', 'Renamed twice']) {
      const seen = await database.db.transaction(async (tx) => {
        await tx.update(tenants).set({ name }).where(eq(tenants.id, tenant.id));
        return tenantName(tx).execute({ id: tenant.id });
      });
      expect(seen).toEqual([{ name }]);
    }
    expect(builds).toBe(1);
  });

  it('leaves no trace of a transaction that rolled back', async () => {
    const tenant = await seedTenant(database.db);
    const rolledBack = new Error('roll back');
    await expect(
      database.db.transaction(async (tx) => {
        await tx.update(tenants).set({ name: 'Never committed' }).where(eq(tenants.id, tenant.id));
        expect(await tenantName(tx).execute({ id: tenant.id })).toEqual([{ name: 'Never committed' }]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await tenantName(database.db).execute({ id: tenant.id })).toEqual([{ name: tenant.name }]);
  });
});
