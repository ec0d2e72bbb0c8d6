import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { importIpList } from '../../src/lists/ip-lists.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { MINUTE, T0, signIn } from '../helpers/sign-ins.js';
import { apiGet, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let key: string;
const DETECTED = [new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z')];

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
  await importIpList(database.db, { kind: 'anonymous', name: 'api-lists-tor', entries: ['203.0.113.0/24'] });
  tenant = await seedTenant(database.db);
  key = await keyFor(database.db, tenant);
  // 23 anonymous sign-ins of 5 users, in two batches detected a day apart.
  const records = Array.from({ length: 23 }, (_, i) =>
    signIn({ id: `list-${String(i).padStart(2, '0')}`, atMs: T0 + i * MINUTE, ipAddress: `203.0.113.${i + 1}`, userId: `u-${i % 5}`, userPrincipalName: `user${i % 5}@contoso.com` }),
  );
  await ingestSignIns(database.db, tenant, records.slice(0, 12), { now: DETECTED[0] });
  await ingestSignIns(database.db, tenant, records.slice(12), { now: DETECTED[1] });
});
afterAll(() => database.destroy());

async function walk(path: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const res = await apiGet(app, key, next);
    expect(res.status).toBe(200);
    const body = await res.json();
    ids.push(...body.value.map((row: { id: string }) => row.id));
    next = body['@odata.nextLink'];
    pages++;
  }
  return { ids, pages };
}

describe('GET /api/v1/risk-detections', () => {
  it('pages through every detection via @odata.nextLink, none lost or repeated', async () => {
    const all = await (await apiGet(app, key, '/api/v1/risk-detections?$top=1000')).json();
    expect(all['@odata.nextLink']).toBeUndefined();
    expect(all.value.length).toBeGreaterThanOrEqual(23);
    const { ids, pages } = await walk('/api/v1/risk-detections?$top=7');
    expect(pages).toBe(Math.ceil(all.value.length / 7));
    expect(ids).toEqual(all.value.map((row: { id: string }) => row.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the filters in the nextLink', async () => {
    const { ids } = await walk('/api/v1/risk-detections?$top=2&userPrincipalName=USER1@contoso.com');
    const body = await (await apiGet(app, key, '/api/v1/risk-detections?userPrincipalName=user1@contoso.com')).json();
    expect(ids.length).toBeGreaterThan(2);
    expect(ids).toEqual(body.value.map((row: { id: string }) => row.id));
    for (const row of body.value) expect(row.userPrincipalName).toBe('user1@contoso.com');
  });

  it('filters by since and until on detectedDateTime, riskEventType and riskState', async () => {
    const second = await (await apiGet(app, key, `/api/v1/risk-detections?since=${DETECTED[1].toISOString()}&$top=1000`)).json();
    expect(second.value.length).toBeGreaterThan(0);
    for (const row of second.value) expect(row.detectedDateTime).toBe(DETECTED[1].toISOString());
    const first = await (await apiGet(app, key, `/api/v1/risk-detections?until=${DETECTED[0].toISOString()}&$top=1000`)).json();
    for (const row of first.value) expect(row.detectedDateTime).toBe(DETECTED[0].toISOString());
    const anonymous = await (await apiGet(app, key, '/api/v1/risk-detections?riskEventType=anonymizedIPAddress&$top=1000')).json();
    expect(anonymous.value).toHaveLength(23);
    const atRisk = await (await apiGet(app, key, '/api/v1/risk-detections?riskState=atRisk&$top=1000')).json();
    expect(atRisk.value.length).toBeGreaterThanOrEqual(23);
    expect((await (await apiGet(app, key, '/api/v1/risk-detections?riskState=remediated')).json()).value).toEqual([]);
  });

  it.each(['0', '1001', 'ten', '-1'])('answers $top=%s with a JSON 400', async (top) => {
    const res = await apiGet(app, key, `/api/v1/risk-detections?$top=${top}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('$top');
  });

  it('answers bad filters and a forged $skiptoken with a JSON 400', async () => {
    for (const query of ['since=yesterday', 'riskEventType=nope', 'riskState=maybe', '$skiptoken=garbage']) {
      const res = await apiGet(app, key, `/api/v1/risk-detections?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code, query).toBe('badRequest');
    }
  });
});

describe('GET /api/v1/risky-users', () => {
  it('lists the users at risk in Graph riskyUser shape, across pages', async () => {
    const { ids } = await walk('/api/v1/risky-users?$top=2');
    expect([...ids].sort()).toEqual(['u-0', 'u-1', 'u-2', 'u-3', 'u-4']);
    const body = await (await apiGet(app, key, '/api/v1/risky-users?userPrincipalName=user3@contoso.com')).json();
    expect(body.value).toHaveLength(1);
    expect(Object.keys(body.value[0]).sort()).toEqual(
      ['id', 'isDeleted', 'isProcessing', 'riskDetail', 'riskLastUpdatedDateTime', 'riskLevel', 'riskState', 'userDisplayName', 'userPrincipalName'].sort(),
    );
    expect(body.value[0]).toMatchObject({ id: 'u-3', riskState: 'atRisk', isDeleted: false, isProcessing: false });
  });

  it('filters by riskState, riskEventType and riskLastUpdatedDateTime', async () => {
    expect((await (await apiGet(app, key, '/api/v1/risky-users?riskState=atRisk')).json()).value).toHaveLength(5);
    expect((await (await apiGet(app, key, '/api/v1/risky-users?riskState=remediated')).json()).value).toHaveLength(0);
    expect((await (await apiGet(app, key, '/api/v1/risky-users?riskEventType=anonymizedIPAddress')).json()).value).toHaveLength(5);
    expect((await (await apiGet(app, key, '/api/v1/risky-users?riskEventType=unlikelyTravel')).json()).value).toHaveLength(0);
    expect((await (await apiGet(app, key, '/api/v1/risky-users?since=2030-01-01T00:00:00Z')).json()).value).toHaveLength(0);
  });
});
