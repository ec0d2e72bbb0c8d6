import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn as signInAs } from '../helpers/session.js';
import { HOUR, MINUTE, PLACES, signIn } from '../helpers/sign-ins.js';
import { apiGet, keyFor } from '../http/api-helpers.js';

// Issue 11, point 2: a tampered cursor is refused (400) or reads a position in the asker's own
// list; never another tenant's rows, never a 500. Two tenants hold sign-ins at the same times, so
// a cursor of one is a valid position in the other: their rows must still stay apart.

const SEED = Number(process.env.FC_SEED ?? 20261201);
const NOW = Date.parse('2026-11-27T12:00:00Z');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
const tenants: Record<'a' | 'b', { tenant: Tenant; cookie: string; key: string; cursors: Record<string, string> }> = {} as never;

/** Sign-ins (and impossible-travel events) with ids that say whose they are. */
function records(prefix: string) {
  return [0, 1, 2, 3, 4, 5].flatMap((i) => [
    signIn({ id: `${prefix}-${i}-home`, userId: `${prefix}-u${i}`, atMs: NOW - 10 * HOUR + i * MINUTE }),
    signIn({ id: `${prefix}-${i}-away`, userId: `${prefix}-u${i}`, atMs: NOW - 9 * HOUR + i * MINUTE, place: PLACES.tokyo, ipAddress: '198.51.100.9' }),
  ]);
}

const LISTS = ['/security/sign-ins?range=7d&limit=2', '/security/risky-sign-ins?range=7d&limit=2', '/security/risk-events/unlikelyTravel?range=7d&limit=2', '/security/users-at-risk?limit=2'];

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => new Date(NOW) });
  for (const prefix of ['a', 'b'] as const) {
    const tenant = await seedTenant(database.db, 'premium_p2');
    await ingestSignIns(database.db, tenant, records(prefix));
    const cookie = await signInAs(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
    const key = await keyFor(database.db, tenant);
    const cursors: Record<string, string> = {};
    for (const list of LISTS) {
      const html = await (await get(app, cookie, list)).text();
      const cursor = /[?&;]cursor=([^"&]+)/.exec(html)?.[1];
      expect(cursor, `${list} gives a next page`).toBeTruthy();
      expect(idsIn(html).filter((id) => id.startsWith(`${prefix}-`)).length, `${list} shows the tenant's rows`).toBeGreaterThan(0);
      cursors[list] = decodeURIComponent(cursor!);
    }
    const page = await (await apiGet(app, key, '/api/v1/risk-detections?$top=1')).json();
    cursors.api = new URL(page['@odata.nextLink']!).searchParams.get('$skiptoken')!;
    tenants[prefix] = { tenant, cookie, key, cursors };
  }
});
afterAll(() => database?.destroy());

/** A genuine cursor changed: a character replaced, cut, lengthened, re-encoded with other keys, or the other tenant's. */
function tamper(own: string, other: string) {
  return fc.oneof(
    fc.tuple(fc.nat(), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%.')).map(([i, c]) => {
      const at = i % own.length;
      return own.slice(0, at) + c + own.slice(at + 1);
    }),
    fc.nat().map((i) => own.slice(0, i % own.length)),
    fc.string({ maxLength: 20 }).map((s) => own + s),
    fc.record({ s: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('sign-ins', 'risky-sign-ins', 'audit', 'time')), k: fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.bigInt().map(String), fc.integer()), { maxLength: 4 }) }).map((o) => Buffer.from(JSON.stringify(o)).toString('base64url')),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.constant(other),
  );
}

const idsIn = (html: string) => [...html.matchAll(/id="sign-in-([^"]+)"|href="\/security\/users\/([^"/?]+)"/g)].map((m) => m[1] ?? m[2]);

describe('a tampered cursor', () => {
  it.each(LISTS)('%s: 400, or a page of the asker’s own rows', async (list) => {
    const { cookie, cursors } = tenants.a;
    await fc.assert(
      fc.asyncProperty(tamper(cursors[list], tenants.b.cursors[list]), async (cursor) => {
        const res = await get(app, cookie, `${list}&${new URLSearchParams({ cursor })}`);
        const html = await res.text();
        expect([200, 400], `${cursor} -> ${res.status}`).toContain(res.status);
        if (res.status === 400) expect(html).toContain('cursor');
        for (const id of idsIn(html)) expect(id, `${cursor}: a row of tenant b`).not.toMatch(/^b-/);
      }),
      { numRuns: 50, seed: SEED },
    );
  });

  it('as the API $skiptoken: 400, or a page of the asker’s own detections', async () => {
    const { key, cursors } = tenants.a;
    await fc.assert(
      fc.asyncProperty(tamper(cursors.api, tenants.b.cursors.api), async (token) => {
        const res = await apiGet(app, key, `/api/v1/risk-detections?$top=2&${new URLSearchParams({ $skiptoken: token })}`);
        const body = await res.json();
        expect([200, 400], `${token} -> ${res.status}`).toContain(res.status);
        if (res.status === 400) expect(body.error.message).toContain('$skiptoken');
        else for (const row of body.value) expect(String(row.userId), token).toMatch(/^a-/);
      }),
      { numRuns: 80, seed: SEED },
    );
  });

  it("structurally broken cursors are refused with 400 naming the cursor", async () => {
    const { cookie } = tenants.a;
    for (const cursor of ['x', '!!!', Buffer.from('{"s":"nope","k":[]}').toString('base64url'), Buffer.from('[1,2]').toString('base64url'), 'A'.repeat(600)]) {
      for (const list of LISTS) {
        const res = await get(app, cookie, `${list}&${new URLSearchParams({ cursor })}`);
        expect(res.status, `${list} ${cursor}`).toBe(400);
        expect(await res.text()).toContain('cursor');
      }
    }
  });
});
