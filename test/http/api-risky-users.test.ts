import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { importIpList } from '../../src/lists/ip-lists.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { MINUTE, T0, signIn } from '../helpers/sign-ins.js';
import { apiGet, apiPost, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
  await importIpList(database.db, { kind: 'anonymous', name: 'api-users-tor', entries: ['203.0.113.0/24'] });
});
afterAll(() => database.destroy());

/** A tenant whose users u-0 and u-1 each have an active anonymous-IP event, and u-clean has none. */
async function tenantAtRisk(): Promise<{ tenant: Tenant; key: string }> {
  const tenant = await seedTenant(database.db);
  await ingestSignIns(database.db, tenant, [
    signIn({ id: 'r-0', atMs: T0, ipAddress: '203.0.113.1', userId: 'u-0', userPrincipalName: 'u0@contoso.com' }),
    signIn({ id: 'r-1', atMs: T0 + MINUTE, ipAddress: '203.0.113.2', userId: 'u-1', userPrincipalName: 'u1@contoso.com' }),
    signIn({ id: 'r-2', atMs: T0 + 2 * MINUTE, userId: 'u-clean', userPrincipalName: 'clean@contoso.com' }),
  ]);
  return { tenant, key: await keyFor(database.db, tenant) };
}

async function user(tenantId: string, id: string) {
  const [found] = await rows<{ risk_state: string; risk_detail: string; risk_level: string; password_reset_required: boolean }>(
    database.db,
    sql`select risk_state, risk_detail, risk_level, password_reset_required from directory_users where tenant_id = ${tenantId} and id = ${id}`,
  );
  return found;
}

async function events(tenantId: string, userId: string) {
  return rows<{ status: string; risk_detail: string; risk_event_type: string }>(
    database.db,
    sql`select status, risk_detail, risk_event_type from risk_events where tenant_id = ${tenantId} and user_id = ${userId} order by id`,
  );
}

describe('POST /api/v1/risky-users/*', () => {
  it('dismiss closes every active event of the users', async () => {
    const { tenant, key } = await tenantAtRisk();
    const res = await apiPost(app, key, '/api/v1/risky-users/dismiss', { userIds: ['u-0', 'u-1', 'u-clean'] });
    expect(res.status).toBe(204);
    for (const id of ['u-0', 'u-1']) {
      expect(await user(tenant.id, id)).toMatchObject({ risk_state: 'dismissed', risk_level: 'none', risk_detail: 'adminDismissedAllRiskForUser' });
    }
    const [audit] = await rows<{ actor_type: string; actor_label: string }>(
      database.db,
      sql`select actor_type, actor_label from audit_log where tenant_id = ${tenant.id} and action = 'riskEvent.dismissAll' limit 1`,
    );
    expect(audit).toMatchObject({ actor_type: 'apiKey', actor_label: 'API key test key' });
  });

  it('confirmCompromised makes the users confirmedCompromised with a high event', async () => {
    const { tenant, key } = await tenantAtRisk();
    expect((await apiPost(app, key, '/api/v1/risky-users/confirmCompromised', { userIds: ['u-clean'] })).status).toBe(204);
    expect(await user(tenant.id, 'u-clean')).toMatchObject({ risk_state: 'confirmedCompromised', risk_level: 'high' });
    const body = await (await apiGet(app, key, '/api/v1/risky-users?riskState=confirmedCompromised')).json();
    expect(body.value.map((row: { id: string }) => row.id)).toEqual(['u-clean']);
  });

  it('passwordChanged remediates active events with userPerformedSecuredPasswordChange and clears a pending reset', async () => {
    const { tenant, key } = await tenantAtRisk();
    await database.db.execute(sql`update directory_users set password_reset_required = true where tenant_id = ${tenant.id} and id = 'u-0'`);
    expect((await apiPost(app, key, '/api/v1/risky-users/passwordChanged', { userIds: ['u-0'] })).status).toBe(204);
    expect(await user(tenant.id, 'u-0')).toMatchObject({
      risk_state: 'remediated',
      risk_level: 'none',
      risk_detail: 'userPerformedSecuredPasswordChange',
      password_reset_required: false,
    });
    for (const event of await events(tenant.id, 'u-0')) expect(event).toMatchObject({ status: 'remediated', risk_detail: 'userPerformedSecuredPasswordChange' });
    expect((await events(tenant.id, 'u-1'))[0].status).toBe('active');
    const detections = await (await apiGet(app, key, '/api/v1/risk-detections?riskState=remediated')).json();
    expect(detections.value[0]).toMatchObject({ userId: 'u-0', riskDetail: 'userPerformedSecuredPasswordChange' });
  });

  it('answers unknown userIds with a 404 naming them, and changes nothing', async () => {
    const { tenant, key } = await tenantAtRisk();
    const other = await tenantAtRisk();
    const res = await apiPost(app, key, '/api/v1/risky-users/dismiss', { userIds: ['u-0', 'ghost-1', 'ghost-2'] });
    expect(res.status).toBe(404);
    const { error } = await res.json();
    expect(error.message).toContain('ghost-1');
    expect(error.message).toContain('ghost-2');
    expect(error.message).not.toContain('u-0');
    expect((await user(tenant.id, 'u-0')).risk_state).toBe('atRisk');
    // Another tenant's user is unknown here too.
    await database.db.execute(sql`insert into directory_users (tenant_id, id, user_principal_name) values (${other.tenant.id}, 'only-there', 'x@contoso.com')`);
    expect((await apiPost(app, key, '/api/v1/risky-users/dismiss', { userIds: ['only-there'] })).status).toBe(404);
  });

  it('answers a body without 1 to 1000 userIds with a JSON 400', async () => {
    const { key } = await tenantAtRisk();
    const tooMany = Array.from({ length: 1001 }, (_, i) => `u-${i}`);
    for (const body of [{}, { userIds: [] }, { userIds: 'u-0' }, { userIds: [1] }, { userIds: tooMany }]) {
      const res = await apiPost(app, key, '/api/v1/risky-users/dismiss', body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect((await res.json()).error.code).toBe('badRequest');
    }
    expect((await apiPost(app, key, '/api/v1/risky-users/dismiss', '{oops')).status).toBe(400);
  });
});
