import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/actions/audit-record.js';
import { evaluateSignIn } from '../../src/actions/api-evaluate.js';
import { ActionError } from '../../src/actions/errors.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { lockTenantForIngestion } from '../../src/ingest/locks.js';
import { createTestDatabase } from '../helpers/db.js';
import { countRows, freshTenant } from '../helpers/ingest.js';
import { DAY, MINUTE, PLACES, signIn, T0 } from '../helpers/sign-ins.js';

// sign_ins and sign_in_ids have no foreign key to tenants (migration 0012): a batch locks its tenant's
// row once instead, and deleting a tenant deletes them by trigger. These tests try to leave a sign-in
// behind a deleted tenant.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase({ connections: 4 });
});
afterAll(() => database.destroy());

const NOW = new Date(T0 + DAY);
const TABLES = ['sign_ins', 'sign_in_ids', 'risk_events', 'directory_users', 'familiar_locations'];

/** Three sign-ins of one user, the last from Tokyo minutes after Seattle: stored, remembered and judged risky. */
function history(prefix: string) {
  return [
    signIn({ id: `${prefix}-1`, atMs: T0, userId: `${prefix}-user`, userPrincipalName: `${prefix}@contoso.com` }),
    signIn({ id: `${prefix}-2`, atMs: T0 + MINUTE, userId: `${prefix}-user`, userPrincipalName: `${prefix}@contoso.com` }),
    signIn({ id: `${prefix}-3`, atMs: T0 + 2 * MINUTE, userId: `${prefix}-user`, userPrincipalName: `${prefix}@contoso.com`, place: PLACES.tokyo, ipAddress: '10.9.9.9' }),
  ];
}

async function countsOf(tenant: Tenant): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = await countRows(database.db, table, tenant.id);
  return counts;
}

const deleteTenant = (tenant: Tenant) => database.db.execute(sql`delete from tenants where id = ${tenant.id}::uuid`);

describe('deleting a tenant', () => {
  it("deletes its sign-ins and their ids with the rest of its data, and leaves another tenant's", async () => {
    const doomed = await freshTenant(database.db);
    const kept = await freshTenant(database.db);
    await ingestSignIns(database.db, doomed, history('doomed'), { now: NOW });
    await ingestSignIns(database.db, kept, history('kept'), { now: NOW });
    const before = await countsOf(kept);
    expect(await countsOf(doomed)).toMatchObject({ sign_ins: 3, sign_in_ids: 3, risk_events: 1, directory_users: 1 });

    await deleteTenant(doomed);
    expect(await countsOf(doomed)).toEqual(Object.fromEntries(TABLES.map((table) => [table, 0])));
    expect(await countsOf(kept)).toEqual(before);
  });

  it('stops a batch or an evaluation for a tenant deleted since it was looked up, with nothing written', async () => {
    const tenant = await freshTenant(database.db);
    await deleteTenant(tenant);
    const batch = ingestSignIns(database.db, tenant, history('late'), { now: NOW });
    await expect(batch).rejects.toBeInstanceOf(ActionError);
    await expect(batch).rejects.toMatchObject({ status: 404, message: expect.stringContaining('tenant no longer exists') });
    await expect(evaluateSignIn(database.db, tenant, signIn({ id: 'late-eval', userId: 'late-user' }), SYSTEM, NOW)).rejects.toMatchObject({ status: 404 });
    expect(await countsOf(tenant)).toEqual(Object.fromEntries(TABLES.map((table) => [table, 0])));
  });
});

// PGlite has one connection, so nothing there runs side by side: the wait is shown on PostgreSQL.
describe.skipIf(!process.env.DATABASE_URL)('deleting a tenant during a batch, on PostgreSQL', () => {
  it('waits for the batch to end, then deletes what it wrote', async () => {
    const tenant = await freshTenant(database.db);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    // A batch part-way: its locks taken and a sign-in remembered, not yet committed.
    const batch = database.db.transaction(async (tx) => {
      await lockTenantForIngestion(tx, tenant.id);
      await tx.execute(sql`insert into sign_in_ids (tenant_id, id, created_date_time) values (${tenant.id}::uuid, 'mid-batch', now())`);
      written();
      await released;
    });
    await wrote;

    let deleted = false;
    const deletion = deleteTenant(tenant).then(() => (deleted = true));
    // Until the deletion waits for a lock, or (what must not happen) is done.
    while (!deleted) {
      const [{ n }] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from pg_locks where not granted`);
      if (n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(deleted).toBe(false);
    release();
    await batch;
    await deletion;
    expect(await countRows(database.db, 'sign_in_ids', tenant.id)).toBe(0);
  });
});
