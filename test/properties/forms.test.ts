import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, ORIGIN, signIn as signInAs } from '../helpers/session.js';
import { HOUR, MINUTE, PLACES, signIn } from '../helpers/sign-ins.js';

// Issue 11, point 2: the form parsers of every POST (feedback, bulk feedback, event status,
// policies, the settings forms). Starting from each form as the page renders it, fields are
// dropped, changed to odd values, repeated or added: the answer is the normal one or a 4xx, never
// a 5xx, and a refused submission changes nothing in the database (not half a change).

const SEED = Number(process.env.FC_SEED ?? 20261201);
const NOW = Date.parse('2026-11-27T12:00:00Z');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let cookie: string;

interface Form {
  page: string;
  action: string;
  fields: [string, string][];
}

/** The POST forms of a page, with the values they would send (first option of a select, checked boxes). */
function formsOf(page: string, html: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = match[1];
    if (!/method="post"/i.test(attrs)) continue;
    const action = /action="([^"]+)"/.exec(attrs)?.[1]?.replaceAll('&amp;', '&');
    if (!action) continue;
    const fields: [string, string][] = [];
    for (const input of match[2].matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
      const name = /name="([^"]+)"/.exec(input[2])?.[1];
      if (!name) continue;
      const value = /value="([^"]*)"/.exec(input[2])?.[1] ?? '';
      if (/type="(checkbox|radio)"/.test(input[2]) && !/\bchecked\b/.test(input[2])) continue;
      if (input[1] === 'select') {
        const options = /<select\b[^>]*name="[^"]+"[^>]*>([\s\S]*?)<\/select>/.exec(match[2].slice(input.index))?.[1] ?? '';
        fields.push([name, /value="([^"]*)"/.exec(options)?.[1] ?? '']);
      } else fields.push([name, value.replaceAll('&amp;', '&').replaceAll('&quot;', '"')]);
    }
    forms.push({ page, action, fields });
  }
  return forms;
}

// Left out: forms that end the session or change the signed-in admin's own sign-in, and those that call out to a webhook receiver.
const SKIP = /^\/(logout|settings\/account\/(password|two-factor))|\/(test|redeliver)$/;

const PAGES = [
  '/security/risky-sign-ins?range=7d',
  '/security/users/f-u0/dismiss',
  '/security/users/f-u0/confirm-compromised',
  '/security/users/f-u0/reset-password',
  '/security/policies/user-risk',
  '/security/policies/sign-in-risk',
  '/settings/detection',
  '/settings/trusted-locations',
  '/settings/admins',
  '/settings/api-keys',
  '/settings/webhooks',
  '/settings/account',
  '/settings/leaked-credentials',
];

let forms: Form[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => new Date(NOW) });
  tenant = await seedTenant(database.db, 'premium_p2');
  await ingestSignIns(
    database.db,
    tenant,
    [0, 1, 2].flatMap((i) => [
      signIn({ id: `f-${i}-home`, userId: `f-u${i}`, atMs: NOW - 5 * HOUR + i * MINUTE }),
      signIn({ id: `f-${i}-away`, userId: `f-u${i}`, atMs: NOW - 4 * HOUR + i * MINUTE, place: PLACES.tokyo, ipAddress: '198.51.100.9' }),
    ]),
  );
  cookie = await signInAs(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
  const [event] = await rows<{ id: string; risk_event_type: string }>(database.db, sql`select id, risk_event_type from risk_events where tenant_id = ${tenant.id} limit 1`);
  for (const page of [...PAGES, `/security/risk-events/${event.risk_event_type}/${event.id}`]) {
    const res = await get(app, cookie, page);
    expect(res.status, page).toBe(200);
    forms.push(...formsOf(page, await res.text()));
  }
  forms = forms.filter((form) => !SKIP.test(form.action.split('?')[0]));
});
afterAll(() => database?.destroy());

/** A digest of every table but the session and throttling bookkeeping: what a refused POST must leave as it was. */
async function digest(): Promise<Record<string, string>> {
  const tables = await rows<{ table_name: string }>(database.db, sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('sessions', 'login_attempts', '__drizzle_migrations') order by 1`);
  const union = sql.join(
    tables.map((t) => sql`select ${t.table_name} as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as hash from ${sql.identifier(t.table_name)} x`),
    sql` union all `,
  );
  const result = await rows<{ name: string; hash: string }>(database.db, union);
  return Object.fromEntries(result.map((r) => [r.name, r.hash]));
}

const odd = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e9', '99999999999999999999', 'NaN', 'true', 'null', '[]', '{}', '<b>x</b>', "'; drop table sign_ins; --", '\u0000', '\uFEFF', 'http://127.0.0.1:5432/', 'javascript:alert(1)', '/security/../../etc', '//evil.example', 'all', 'dismiss', 'confirmSafe', 'confirmCompromised', 'high', 'medium', 'low'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 2000, maxLength: 5000 }),
);

type Change = { kind: 'drop' | 'set' | 'repeat'; at: number; value: string } | { kind: 'add'; name: string; value: string };
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'set' as const, 'repeat' as const), at: fc.nat(), value: odd }),
  fc.record({ kind: fc.constant('add' as const), name: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('version', 'action', 'returnTo', 'ids', 'all', 'status', 'role', 'email', 'url', 'name', 'cidr', 'timezone', '_method')), value: odd }),
);

function apply(fields: [string, string][], changes: Change[]): [string, string][] {
  const out = fields.map(([n, v]) => [n, v] as [string, string]);
  for (const c of changes) {
    if (c.kind === 'add') out.push([c.name, c.value]);
    else if (out.length > 0) {
      const i = c.at % out.length;
      if (c.kind === 'drop') out.splice(i, 1);
      else if (c.kind === 'set') out[i] = [out[i][0], c.value];
      else out.push([out[i][0], c.value]);
    }
  }
  return out;
}

describe('any body sent to a POST form', () => {
  it('found the forms to try', () => {
    const actions = forms.map((f) => f.action.split('?')[0]);
    for (const expected of ['/feedback', '/security/risky-sign-ins/bulk-feedback', '/status', '/security/policies/user-risk', '/settings/detection', '/settings/trusted-locations', '/settings/admins', '/settings/api-keys', '/settings/webhooks', '/settings/account/timezone']) {
      expect(actions.some((a) => a.includes(expected)), expected).toBe(true);
    }
  });

  it('is answered normally or with a 4xx, never a 5xx, and a refusal changes nothing', async () => {
    const seen = new Map<string, Set<number>>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(change, { maxLength: 4 }), fc.boolean(), async (pick, changes, htmx) => {
        const form = forms[pick % forms.length];
        const fields = apply(form.fields, changes);
        const before = await digest();
        const res = await app.request(`${ORIGIN}${form.action}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, Cookie: cookie, ...(htmx ? { 'HX-Request': 'true' } : {}) },
          body: new URLSearchParams(fields),
        });
        const where = `${form.action} ${JSON.stringify(fields).slice(0, 400)} -> ${res.status}`;
        expect(res.status, where).toBeLessThan(500);
        const action = form.action.replace(/\/[^/]*-\d[^/]*\//g, '/:id/');
        seen.set(action, (seen.get(action) ?? new Set()).add(res.status));
        await res.arrayBuffer();
        if (res.status >= 400) expect(await digest(), `${where}: a refused POST changed the database`).toEqual(before);
      }),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );
    // Both kinds of answer happened: the bodies were not all refused before any parser (say, by the same-origin check).
    const statuses = [...seen.values()].flatMap((s) => [...s]);
    expect(statuses.some((s) => s < 400), JSON.stringify([...seen].map(([a, s]) => [a, [...s]]))).toBe(true);
    expect(statuses.some((s) => s >= 400 && s !== 403)).toBe(true);
  });
});
