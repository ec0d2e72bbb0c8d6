import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddressOf, NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from '../../src/auth/client-address.js';
import { FREE_FAILURES } from '../../src/auth/throttle.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedTenant } from '../helpers/fixtures.js';
import { ORIGIN } from '../helpers/session.js';
import { HOUR, PLACES, T0, signIn, toGraph } from '../helpers/sign-ins.js';
import { keyFor } from '../http/api-helpers.js';
import { fromAddress, postLogin } from '../http/auth-helpers.js';

const proxies = (text: string) => parseTrustedProxies(text) as TrustedProxies;
const PROXIES = proxies('10.0.0.0/8, fd00::/8 192.0.2.10');

describe('the client address', () => {
  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddressOf('198.51.100.7', '1.2.3.4', NO_TRUSTED_PROXIES)).toBe('198.51.100.7');
    expect(clientAddressOf('10.0.0.1', '1.2.3.4', NO_TRUSTED_PROXIES)).toBe('10.0.0.1');
  });

  it('is the TCP peer when the peer is not a trusted proxy, even if the header is spoofed to look proxied', () => {
    expect(clientAddressOf('198.51.100.7', '203.0.113.5, 10.0.0.1', PROXIES)).toBe('198.51.100.7');
  });

  it('behind trusted proxies, is the right-most address that is not one of them; addresses the client wrote to the left are ignored', () => {
    expect(clientAddressOf('10.0.0.1', '203.0.113.5', PROXIES)).toBe('203.0.113.5');
    expect(clientAddressOf('10.0.0.1', 'spoofed-by-client, 6.6.6.6, 203.0.113.5, 10.1.2.3', PROXIES)).toBe('203.0.113.5');
    expect(clientAddressOf('::ffff:10.0.0.1', '2001:db8::1, fd00::2', PROXIES)).toBe('2001:db8::1');
    expect(clientAddressOf('192.0.2.10', ' 198.51.100.1 ', PROXIES)).toBe('198.51.100.1');
  });

  it('stops at the last address a trusted proxy vouched for when the chain holds garbage, or is only proxies', () => {
    expect(clientAddressOf('10.0.0.1', '203.0.113.5, not-an-ip', PROXIES)).toBe('10.0.0.1');
    expect(clientAddressOf('10.0.0.1', 'garbage, 10.0.0.2', PROXIES)).toBe('10.0.0.2');
    expect(clientAddressOf('10.0.0.1', '10.0.0.3, 10.0.0.2', PROXIES)).toBe('10.0.0.3');
    expect(clientAddressOf('10.0.0.1', undefined, PROXIES)).toBe('10.0.0.1');
  });

  it('TRUSTED_PROXIES is validated at start with a message naming the bad entry', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,::1' }).trustedProxies.entries).toEqual(['10.0.0.0/8', '::1']);
    expect(loadConfig({}).trustedProxies.entries).toEqual([]);
    for (const bad of ['10.0.0.0/33', 'proxy.example.com', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x']) {
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(`"${bad}" is not an IP address or CIDR range`);
    }
  });
});

describe('through the app', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let tenant: Tenant;
  beforeAll(async () => {
    database = await createTestDatabase();
    tenant = await seedTenant(database.db, 'free');
  });
  afterAll(() => database.destroy());

  const app = (trusted: string) => buildTestApp(database, { now: testClock().now, config: { trustedProxies: proxies(trusted) } });
  const fail = (target: ReturnType<typeof app>, i: number, ip: string, forwardedFor: string) =>
    postLogin(target, { email: `spray${i}-${ip}@${tenant.domain}`, password: 'wrong' }, { ip, headers: { 'X-Forwarded-For': forwardedFor } });

  it('throttles each client behind a trusted proxy on its own, however it spoofs the left of the header', async () => {
    const behindProxy = app('10.0.0.0/8');
    for (let i = 0; i < FREE_FAILURES; i++) expect((await fail(behindProxy, i, '10.0.0.1', `192.0.2.${i}, 203.0.113.77`)).status).toBe(401);
    expect((await fail(behindProxy, 99, '10.0.0.1', '192.0.2.200, 203.0.113.77')).status).toBe(429);
    // Another client through the same proxy keeps its own bucket.
    expect((await fail(behindProxy, 100, '10.0.0.1', '203.0.113.78')).status).toBe(401);
  });

  it('does not let an untrusted peer pick a fresh address per guess with a spoofed header', async () => {
    const behindProxy = app('10.0.0.0/8');
    for (let i = 0; i < FREE_FAILURES; i++) await fail(behindProxy, i, '198.51.100.50', `10.0.0.9, 203.0.113.${i}`);
    expect((await fail(behindProxy, 99, '198.51.100.50', '203.0.113.250')).status).toBe(429);
  });

  it('records the client address in the audit log of a change made through a trusted proxy', async () => {
    const premium = await seedTenant(database.db, 'premium_p2');
    const key = await keyFor(database.db, premium);
    const body = JSON.stringify([toGraph(signIn({ atMs: T0 })), toGraph(signIn({ atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.9' }))]);
    const res = await app('10.0.0.0/8').request(
      `${ORIGIN}/api/v1/sign-ins`,
      { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'X-Forwarded-For': '6.6.6.6, 203.0.113.44' }, body },
      fromAddress('10.0.0.1'),
    );
    expect(res.status).toBe(200);
    const audit = await rows<{ address: string | null }>(database.db, sql`select host(client_address) as address from audit_log where tenant_id = ${premium.id} and actor_type = 'apiKey'`);
    expect(audit.length).toBeGreaterThan(0);
    expect(new Set(audit.map((row) => row.address))).toEqual(new Set(['203.0.113.44']));
  });
});
