import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/actions/audit-record.js';
import { connectGraph } from '../../src/actions/graph-connections.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { pullGraphSignIns } from '../../src/graph/pull.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { startFakeGraph } from '../helpers/graph-server.js';
import { countRows, freshTenant } from '../helpers/ingest.js';
import { HOUR, PLACES, signIn, T0, toGraph } from '../helpers/sign-ins.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

const SECRET = 'app-secret~0123456789';
const key = randomBytes(32);
const history = Array.from({ length: 7 }, (_, i) => toGraph(signIn({ atMs: T0 + i * HOUR, place: i === 6 ? PLACES.tokyo : PLACES.seattle })));

async function connected(graph: { baseUrl: string; tokenUrl: string }, secret = SECRET): Promise<{ tenant: Tenant; config: ReturnType<typeof testConfig> }> {
  const tenant = await freshTenant(database.db);
  await connectGraph(database.db, tenant, { directoryTenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-4333-8444-555555555555', clientSecret: secret, scheduleMinutes: null }, key, OPERATOR);
  return { tenant, config: testConfig({ graphBaseUrl: graph.baseUrl, graphTokenUrl: graph.tokenUrl, secretsKey: key }) };
}

describe('pull graph', () => {
  it('fetches a multi-page history oldest first, waiting out a 429 as Retry-After says', async () => {
    const graph = await startFakeGraph({ signIns: history, pageSize: 3, clientSecret: SECRET, throttlePages: [2] });
    try {
      const { tenant, config } = await connected(graph);
      const result = await pullGraphSignIns(database.db, config, tenant, { since: new Date(T0) });
      expect(result).toMatchObject({ received: 7, inserted: 7, duplicates: 0, pages: 3, riskDetections: 1 });
      expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(7);
      const pages = graph.requests.filter((request) => request.path.startsWith('/v1.0/'));
      expect(pages.map((request) => request.status)).toEqual([200, 429, 200, 200]);
      expect(pages[2].at - pages[1].at).toBeGreaterThanOrEqual(950);
      expect(decodeURIComponent(pages[0].path)).toContain(`$filter=createdDateTime ge ${new Date(T0).toISOString()}`);
      const [stored] = await rows<{ pulled: boolean; error: string | null }>(database.db, sql`select last_pulled_at is not null as pulled, last_error as error from graph_connections where tenant_id = ${tenant.id}::uuid`);
      expect(stored).toEqual({ pulled: true, error: null });
    } finally {
      await graph.close();
    }
  });

  it('resumes after a page fails mid-way from the last stored sign-in, without gaps or judging twice', async () => {
    const graph = await startFakeGraph({ signIns: history, pageSize: 2, clientSecret: SECRET, failPages: [3] });
    try {
      const { tenant, config } = await connected(graph);
      await expect(pullGraphSignIns(database.db, config, tenant, { since: new Date(T0) })).rejects.toThrow(
        'Microsoft Graph answered 500 for page 3: UnknownError: page failed (4 sign-ins of earlier pages were imported; run it again to resume)',
      );
      expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(4);
      graph.heal();
      const resumed = await pullGraphSignIns(database.db, config, tenant, { since: new Date(T0) });
      // It starts at the 4th sign-in's time: that one comes again and is a duplicate; nothing is missed.
      expect(resumed).toMatchObject({ from: history[3].createdDateTime, received: 4, inserted: 3, duplicates: 1, riskDetections: 1 });
      expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(7);
      expect(await countRows(database.db, 'risk_events', tenant.id)).toBe(1);
    } finally {
      await graph.close();
    }
  });

  it('says so when the token endpoint refuses the secret, and records the error', async () => {
    const graph = await startFakeGraph({ signIns: history, pageSize: 3, clientSecret: SECRET });
    try {
      const { tenant, config } = await connected(graph, 'wrong-secret');
      await expect(pullGraphSignIns(database.db, config, tenant)).rejects.toThrow(/the token endpoint refused the app registration's client credentials \(invalid_client\)/);
      const [stored] = await rows<{ error: string }>(database.db, sql`select last_error as error from graph_connections where tenant_id = ${tenant.id}::uuid`);
      expect(stored.error).toMatch(/invalid_client/);
      expect(await countRows(database.db, 'sign_ins', tenant.id)).toBe(0);
    } finally {
      await graph.close();
    }
  });

  it('refuses to store a secret without SECRETS_KEY, and keeps it sealed when it has one', async () => {
    const tenant = await freshTenant(database.db);
    const input = { directoryTenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-4333-8444-555555555555', clientSecret: SECRET, scheduleMinutes: 15 };
    await expect(connectGraph(database.db, tenant, input, null, OPERATOR)).rejects.toThrow(/SECRETS_KEY is not set/);
    expect(await countRows(database.db, 'graph_connections', tenant.id)).toBe(0);
    await connectGraph(database.db, tenant, input, key, OPERATOR);
    const [stored] = await rows<{ sealed: string }>(database.db, sql`select sealed_client_secret as sealed from graph_connections where tenant_id = ${tenant.id}::uuid`);
    expect(stored.sealed).toMatch(/^v1\./);
    expect(stored.sealed).not.toContain(SECRET);
    const [audit] = await rows<{ after: unknown }>(database.db, sql`select after from audit_log where tenant_id = ${tenant.id}::uuid and action = 'graph.connect'`);
    expect(JSON.stringify(audit.after)).not.toContain(SECRET);
  });
});
