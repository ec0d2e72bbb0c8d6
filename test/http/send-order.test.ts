import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, send } from '../../src/db/client.js';
import { directoryUsers, type Tenant } from '../../src/db/schema.js';
import { getUserRiskDecision } from '../../src/queries/api-policy.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';

// db/client.ts, send: statements sent one after another in a transaction run in that order, however
// each was built. Put in a Promise.all unsent, a prepared read reached postgres.js ahead of a raw
// update written before it, and an evaluation answered with the user's risk from before its events.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let tenant: Tenant;

beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await seedTenant(database.db);
  await database.db.insert(directoryUsers).values({ tenantId: tenant.id, id: 'order-1', userPrincipalName: 'order@contoso.com' });
});
afterAll(() => database.destroy());

const raise = (level: string) =>
  sql`update directory_users set risk_level = ${level}, risk_state = 'atRisk' where tenant_id = ${tenant.id} and id = 'order-1'`;

describe('statements sent in turn', () => {
  it('run in the order sent: a raw update, then a prepared read and a built select, in one round trip', async () => {
    const [, decision, [built]] = await database.db.transaction((tx) =>
      Promise.all([
        send(tx.execute(raise('high'))),
        getUserRiskDecision(tx, tenant.id, 'ORDER@contoso.com'),
        send(tx.select({ level: directoryUsers.riskLevel }).from(directoryUsers).where(and(eq(directoryUsers.tenantId, tenant.id), eq(directoryUsers.id, 'order-1')))),
      ]),
    );
    expect(decision.riskLevel).toBe('high');
    expect(built.level).toBe('high');
  });

  it('run in the order sent the other way round: reads before the update see the row as it was', async () => {
    const [before, , after] = await database.db.transaction((tx) =>
      Promise.all([
        rows<{ level: string }>(tx, sql`select risk_level as level from directory_users where tenant_id = ${tenant.id} and id = 'order-1'`),
        rows(tx, sql`${raise('low')} returning id`),
        getUserRiskDecision(tx, tenant.id, 'order@contoso.com'),
      ]),
    );
    expect(before[0].level).toBe('high');
    expect(after.riskLevel).toBe('low');
  });
});
