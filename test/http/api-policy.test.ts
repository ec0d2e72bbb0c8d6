import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskLevel, Tenant } from '../../src/db/schema.js';
import { decide, type Policy } from '../../src/queries/api-policy.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { apiGet, keyFor } from './api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
});
afterAll(() => database.destroy());

function policy(overrides: Partial<Policy> = {}): Policy {
  return {
    tenantId: 't',
    kind: 'userRisk',
    enabled: true,
    includeAll: true,
    includeUpns: [],
    excludeUpns: [],
    threshold: 'medium',
    control: 'block',
    version: 1,
    updatedAt: new Date(),
    ...overrides,
  };
}

describe('the policy decision', () => {
  it('allows without a policy, or with a disabled one', () => {
    expect(decide(null, 'a@x.com', 'high')).toBe('allow');
    expect(decide(policy({ enabled: false }), 'a@x.com', 'high')).toBe('allow');
  });

  it.each<[RiskLevel | 'none', string]>([
    ['none', 'allow'],
    ['low', 'allow'],
    ['medium', 'block'],
    ['high', 'block'],
  ])('at threshold medium, a %s user gets %s', (level, expected) => {
    expect(decide(policy(), 'a@x.com', level)).toBe(expected);
  });

  it('answers each control', () => {
    for (const control of ['block', 'requirePasswordChange', 'requireMfa'] as const) expect(decide(policy({ control }), 'a@x.com', 'high')).toBe(control);
  });

  it('applies only to included users, minus the excluded, ignoring case', () => {
    const listed = policy({ includeAll: false, includeUpns: ['A@x.com'], excludeUpns: [] });
    expect(decide(listed, 'a@X.com', 'high')).toBe('block');
    expect(decide(listed, 'b@x.com', 'high')).toBe('allow');
    expect(decide(policy({ excludeUpns: ['b@x.com'] }), 'B@x.com', 'high')).toBe('allow');
    expect(decide(policy({ includeAll: false, includeUpns: ['a@x.com'], excludeUpns: ['a@x.com'] }), 'a@x.com', 'high')).toBe('allow');
  });
});

describe('GET /api/v1/risk/users/:upn', () => {
  let tenant: Tenant;
  let key: string;

  beforeAll(async () => {
    tenant = await seedTenant(database.db);
    key = await keyFor(database.db, tenant);
    await database.db.execute(sql`
      insert into directory_users (tenant_id, id, user_principal_name, risk_level, risk_state, risk_last_updated_at) values
        (${tenant.id}, 'u-high', 'high@contoso.com', 'high', 'atRisk', now()),
        (${tenant.id}, 'u-low', 'low@contoso.com', 'low', 'atRisk', now()),
        (${tenant.id}, 'u-vip', 'vip@contoso.com', 'high', 'atRisk', now())`);
  });

  it('allows everyone while the tenant has no user risk policy', async () => {
    const res = await apiGet(app, key, '/api/v1/risk/users/high@contoso.com');
    expect(await res.json()).toEqual({ userPrincipalName: 'high@contoso.com', riskLevel: 'high', riskState: 'atRisk', decision: 'allow' });
  });

  it("applies the policy's threshold, control and exclusions", async () => {
    await database.db.execute(sql`
      insert into policies (tenant_id, kind, enabled, include_all, exclude_upns, threshold, control)
      values (${tenant.id}, 'userRisk', true, true, array['vip@contoso.com'], 'medium', 'requirePasswordChange')`);
    expect((await (await apiGet(app, key, '/api/v1/risk/users/HIGH@contoso.com')).json()).decision).toBe('requirePasswordChange');
    expect((await (await apiGet(app, key, '/api/v1/risk/users/low@contoso.com')).json()).decision).toBe('allow');
    expect((await (await apiGet(app, key, '/api/v1/risk/users/vip%40contoso.com')).json()).decision).toBe('allow');
  });

  it('answers an unknown user with no risk and allow', async () => {
    const res = await apiGet(app, key, '/api/v1/risk/users/nobody@contoso.com');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userPrincipalName: 'nobody@contoso.com', riskLevel: 'none', riskState: 'none', decision: 'allow' });
  });

  // The key's validation and the decision's reads go out together (routes/api/risk.ts): the reads
  // name the key's tenant, and their answer is used only once the key is valid.
  it("answers another tenant's key with that tenant's view, never this tenant's users", async () => {
    const other = await seedTenant(database.db);
    const res = await apiGet(app, await keyFor(database.db, other), '/api/v1/risk/users/high@contoso.com');
    expect(await res.json()).toEqual({ userPrincipalName: 'high@contoso.com', riskLevel: 'none', riskState: 'none', decision: 'allow' });
  });

  it("refuses a real key's id with a wrong secret, a revoked key and no key with a 401 that tells nothing of the user", async () => {
    const [id] = key.split('.');
    const wrong = `${id}.${'a'.repeat(24)}`;
    const revoked = await keyFor(database.db, tenant, 'revoked');
    await database.db.execute(sql`update api_keys set revoked_at = now() where id = ${revoked.split('.')[0].slice('rdk_'.length)}`);
    for (const attempt of [wrong, revoked, null, 'rdk_short.key']) {
      const res = await apiGet(app, attempt, '/api/v1/risk/users/high@contoso.com');
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="riskdesk"');
      const text = JSON.stringify(await res.json());
      expect(text).toContain('unauthenticated');
      expect(text).not.toMatch(/high|atRisk|decision/);
    }
  });

  it('checks the key before the user principal name: 401 for a bad key, 400 for a good one', async () => {
    const long = `${'x'.repeat(321)}@contoso.com`;
    expect((await apiGet(app, null, `/api/v1/risk/users/${long}`)).status).toBe(401);
    const res = await apiGet(app, key, `/api/v1/risk/users/${long}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'badRequest' });
  });
});
