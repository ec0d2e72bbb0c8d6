import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { delayAfterFailures, FREE_FAILURES, MAX_DELAY_MS, WINDOW_MS } from '../../src/auth/throttle.js';
import type { Admin, Tenant } from '../../src/db/schema.js';
import { postLogin } from './auth-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let tenant: Tenant;
const SECOND = 1000;

beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await seedTenant(database.db, 'free');
});
afterAll(() => database.destroy());

let octet = 0;
function freshAddress() {
  octet += 1;
  return `203.0.113.${octet}`;
}

async function freshAdmin(): Promise<Admin> {
  return seedAdmin(database.db, tenant, 'security_reader');
}

describe('the delay schedule', () => {
  it('lets 5 failures through, then waits 30 s, doubling up to 15 minutes', () => {
    expect([0, 1, 4].map(delayAfterFailures)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 20].map((n) => delayAfterFailures(n) / SECOND)).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });
});

describe('throttling per account', () => {
  it('answers the first 5 failures at once, then 429 with Retry-After, even for the right password', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await freshAdmin();
    for (let i = 1; i <= FREE_FAILURES; i++) {
      const res = await postLogin(app, { email: admin.email, password: `wrong-${i}` }, { ip: freshAddress() });
      expect(res.status, `failure ${i}`).toBe(401);
    }
    const blocked = await postLogin(app, { email: admin.email }, { ip: freshAddress() });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('30');
    const html = await blocked.text();
    expect(html).toContain('Too many failed sign-ins');
    expect(html).not.toMatch(/password is|email is|unknown/i);
    expect(blocked.headers.get('set-cookie')).toBeNull();

    clock.advance(29 * SECOND);
    expect((await postLogin(app, { email: admin.email }, { ip: freshAddress() })).headers.get('retry-after')).toBe('1');
    clock.advance(SECOND);
    expect((await postLogin(app, { email: admin.email }, { ip: freshAddress() })).status).toBe(303);
  });

  it('grows the delay with each further failure', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await freshAdmin();
    for (let i = 0; i < FREE_FAILURES; i++) await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() });
    const waits: string[] = [];
    for (let i = 0; i < 3; i++) {
      const blocked = await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() });
      expect(blocked.status).toBe(429);
      const wait = Number(blocked.headers.get('retry-after'));
      waits.push(String(wait));
      clock.advance(wait * SECOND);
      expect((await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() })).status).toBe(401);
    }
    expect(waits).toEqual(['30', '60', '120']);
  });

  it('treats an unknown email exactly like a known one', async () => {
    const app = buildTestApp(database, { now: testClock().now });
    for (let i = 0; i < FREE_FAILURES; i++) await postLogin(app, { email: 'ghost@nowhere.example', password: 'wrong-password' }, { ip: freshAddress() });
    const res = await postLogin(app, { email: 'ghost@nowhere.example', password: 'wrong-password' }, { ip: freshAddress() });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
  });

  it('resets the account after a success', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await freshAdmin();
    for (let i = 0; i < FREE_FAILURES - 1; i++) await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() });
    expect((await postLogin(app, { email: admin.email }, { ip: freshAddress() })).status).toBe(303);
    for (let i = 1; i <= FREE_FAILURES; i++) {
      expect((await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() })).status, `failure ${i} after the reset`).toBe(401);
    }
    expect((await postLogin(app, { email: admin.email }, { ip: freshAddress() })).status).toBe(429);
  });

  it('forgets failures older than 15 minutes', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await freshAdmin();
    for (let i = 0; i < FREE_FAILURES; i++) await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() });
    clock.advance(WINDOW_MS + SECOND);
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect((await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() })).status).toBe(401);
    }
  });

  it('never asks for more than 15 minutes', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const admin = await freshAdmin();
    for (let i = 0; i < 12; i++) {
      const res = await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() });
      const wait = Number(res.headers.get('retry-after') ?? 0);
      expect(wait * SECOND).toBeLessThanOrEqual(MAX_DELAY_MS);
      if (res.status === 429) {
        clock.advance(wait * SECOND);
        await postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() });
      }
    }
  });

  it('holds across app instances sharing the database (as after a restart)', async () => {
    const clock = testClock();
    const admin = await freshAdmin();
    for (let i = 0; i < FREE_FAILURES; i++) {
      await postLogin(buildTestApp(database, { now: clock.now }), { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() });
    }
    expect((await postLogin(buildTestApp(database, { now: clock.now }), { email: admin.email }, { ip: freshAddress() })).status).toBe(429);
  });

  it('lets only 5 of many parallel guesses be checked', async () => {
    const app = buildTestApp(database, { now: testClock().now });
    const admin = await freshAdmin();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => postLogin(app, { email: admin.email, password: 'wrong-password' }, { ip: freshAddress() })),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(FREE_FAILURES);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(12 - FREE_FAILURES);
  });
});

describe('throttling per IP address', () => {
  it('slows an address that fails across many accounts, and a success elsewhere does not clear it', async () => {
    const clock = testClock();
    const app = buildTestApp(database, { now: clock.now });
    const sprayer = freshAddress();
    const victim = await freshAdmin();
    for (let i = 0; i < FREE_FAILURES; i++) {
      const res = await postLogin(app, { email: `user${i}@${tenant.domain}`, password: 'Winter2026!' }, { ip: sprayer });
      expect(res.status).toBe(401);
    }
    expect((await postLogin(app, { email: victim.email, password: 'Winter2026!' }, { ip: sprayer })).status).toBe(429);
    // The same account from another address is not slowed: only the address is.
    expect((await postLogin(app, { email: victim.email }, { ip: freshAddress() })).status).toBe(303);
    const still = await postLogin(app, { email: victim.email }, { ip: sprayer });
    expect(still.status).toBe(429);
    expect(Number(still.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('uses the connecting address, not X-Forwarded-For', async () => {
    const app = buildTestApp(database, { now: testClock().now });
    const address = freshAddress();
    for (let i = 0; i < FREE_FAILURES; i++) {
      await postLogin(app, { email: `other${i}@${tenant.domain}`, password: 'wrong-password' }, { ip: address, headers: { 'X-Forwarded-For': `192.0.2.${i}` } });
    }
    const res = await postLogin(app, { email: `other9@${tenant.domain}`, password: 'wrong-password' }, { ip: address, headers: { 'X-Forwarded-For': '192.0.2.99' } });
    expect(res.status).toBe(429);
  });
});
