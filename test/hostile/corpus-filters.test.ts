import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { AUDIT_PARAMS } from '../../src/http/audit-filters.js';
import { RISK_EVENTS_SPEC, RISK_EVENT_TYPE_SPEC } from '../../src/queries/risk-events.js';
import { RISKY_SIGN_INS_EXPORT_SPEC } from '../../src/queries/risky-sign-in-export.js';
import { RISKY_SIGN_INS_SPEC } from '../../src/queries/risky-sign-ins.js';
import { SIGN_INS_SPEC } from '../../src/queries/sign-ins.js';
import { USERS_AT_RISK_SPEC } from '../../src/queries/users-at-risk.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { expectEscaped, HOSTILE_SHORT, type Payload } from '../helpers/hostile.js';
import { get, signIn as signInAs } from '../helpers/session.js';
import { HOUR, PLACES, signIn } from '../helpers/sign-ins.js';
import { apiGet, keyFor } from '../http/api-helpers.js';

// Issue 11, point 1: each payload of the hostile corpus in every filter parameter of every list and
// export, and in the path of every page that takes an id: never a 500; a 400 naming the parameter,
// or the page with the value shown escaped.

const NOW = Date.parse('2026-11-27T12:00:00Z');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let cookie: string;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => new Date(NOW) });
  tenant = await seedTenant(database.db, 'premium_p2');
  await ingestSignIns(database.db, tenant, [
    signIn({ id: 'f-home', userId: 'u-f', atMs: NOW - 3 * HOUR }),
    signIn({ id: 'f-away', userId: 'u-f', atMs: NOW - 2 * HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.9' }),
  ]);
  key = await keyFor(database.db, tenant);
  cookie = await signInAs(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
});
afterAll(() => database?.destroy());

/** Every list and download of the console with the query parameters it reads. */
const LISTS: { path: string; params: readonly string[]; html: boolean }[] = [
  { path: '/security/sign-ins', params: SIGN_INS_SPEC.params, html: true },
  { path: '/security/risky-sign-ins', params: [...RISKY_SIGN_INS_SPEC.params, 'feedback', 'updated', 'skipped'], html: true },
  { path: '/security/risky-sign-ins/export.csv', params: RISKY_SIGN_INS_EXPORT_SPEC.params, html: false },
  { path: '/security/risky-sign-ins/export.json', params: RISKY_SIGN_INS_EXPORT_SPEC.params, html: false },
  { path: '/security/risk-events', params: RISK_EVENTS_SPEC.params, html: true },
  { path: '/security/risk-events/export.csv', params: RISK_EVENTS_SPEC.params, html: false },
  { path: '/security/risk-events/unlikelyTravel', params: RISK_EVENT_TYPE_SPEC.params, html: true },
  { path: '/security/users-at-risk', params: USERS_AT_RISK_SPEC.params, html: true },
  { path: '/audit', params: AUDIT_PARAMS, html: true },
  { path: '/security/users/u-f', params: ['done'], html: true },
  { path: '/security/sign-ins/f-away', params: ['back'], html: true },
  { path: '/settings/ip-lists', params: ['ip'], html: true },
  { path: '/settings/leaked-credentials', params: ['cursor', 'done', 'removed'], html: true },
  { path: '/settings/directory', params: ['done', 'received'], html: true },
  { path: '/settings/account', params: ['done', 'required'], html: true },
  { path: '/settings/trusted-locations', params: ['done', 'added'], html: true },
  { path: '/login', params: ['next'], html: true },
];

const API_LISTS: { path: string; params: readonly string[] }[] = [
  { path: '/api/v1/risk-detections', params: ['since', 'until', 'riskEventType', 'riskState', 'userPrincipalName', '$top', '$skiptoken'] },
  { path: '/api/v1/risky-users', params: ['since', 'until', 'riskEventType', 'riskState', 'userPrincipalName', '$top', '$skiptoken'] },
  { path: '/api/v1/risk-detections/delta', params: ['$top', '$skiptoken', '$deltatoken'] },
];

/** Beyond the corpus, what only a query string carries: a NUL (PostgreSQL text cannot hold it), a newline, a lone %. */
const FILTER_VALUES: readonly Payload[] = [
  ...HOSTILE_SHORT,
  { name: 'NUL', value: 'a\u0000b', kind: 'unicode' },
  { name: 'newline', value: 'a\r\nSet-Cookie: x=1', kind: 'unicode' },
  { name: 'percent', value: '100%', kind: 'unicode' },
];

const HEADERS: Record<string, string>[] = [{}, { 'HX-Request': 'true' }];

async function expectSafeAnswer(res: Response, where: string, parameter: string, html: boolean) {
  expect([200, 400], `${where} -> ${res.status}`).toContain(res.status);
  const text = await res.text();
  if (res.status === 400) expect(text, where).toContain(parameter);
  if (html && (res.headers.get('content-type') ?? '').includes('text/html')) expectEscaped(text, where);
  if (res.status === 200 && where.includes('.json')) expect(() => JSON.parse(text), where).not.toThrow();
}

/** A path segment; a lone surrogate has no UTF-8 form, so it goes as the bytes a careless encoder would write (ED A0 80). */
function pathSegment(value: string): string {
  return [...value].map((char) => (/^[\uD800-\uDFFF]$/.test(char) ? `%${[0xed, 0xa0 | ((char.charCodeAt(0) >> 6) & 0x1f), 0x80 | (char.charCodeAt(0) & 0x3f)].map((b) => b.toString(16).toUpperCase()).join('%')}` : encodeURIComponent(char))).join('');
}

/** Percent-encodings no decoder accepts, in a path and a query. */
const BAD_ESCAPES = ['%', '%ZZ', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '%E2%80%AE'];

describe('hostile values in filter parameters', () => {
  it.each(LISTS.map((l) => [l.path, l] as const))('%s answers 200 or a 400 naming the parameter, and echoes nothing unescaped', async (_, list) => {
    for (const param of list.params) {
      for (const payload of FILTER_VALUES) {
        for (const headers of list.html ? HEADERS : [{}]) {
          const query = new URLSearchParams({ range: '7d', [param]: payload.value });
          if (list.path === '/login' || list.path.startsWith('/settings') || list.path.startsWith('/security/users/') || list.path.startsWith('/security/sign-ins/')) query.delete('range');
          const path = `${list.path}?${query}`;
          const res = list.path === '/login' ? await app.request(`http://localhost${path}`, { headers }) : await get(app, cookie, path, headers);
          await expectSafeAnswer(res, `${path} (${payload.name}) ${JSON.stringify(headers)}`, param, list.html);
        }
      }
    }
  });

  it.each(API_LISTS.map((l) => [l.path, l] as const))('%s answers 200 or a 400 naming the parameter', async (_, list) => {
    for (const param of list.params) {
      for (const payload of FILTER_VALUES) {
        const path = `${list.path}?${new URLSearchParams({ [param]: payload.value })}`;
        const res = await apiGet(app, key, path);
        expect([200, 400], `${path} (${payload.name}) -> ${res.status}`).toContain(res.status);
        const body = JSON.parse(await res.text());
        if (res.status === 400) expect(body.error.message, path).toContain(param);
      }
    }
  });

  it('in the path of a page that takes an id: 404 or the page, never a 500', async () => {
    const paths = (value: string) => {
      const v = pathSegment(value);
      return [`/security/users/${v}`, `/security/sign-ins/${v}`, `/security/risk-events/${v}`, `/security/risk-events/unlikelyTravel/${v}`, `/security/users/${v}/dismiss`, `/security/policies/${v}`, `/settings/webhooks/${v}`, `/settings/trusted-locations/${v}`];
    };
    for (const payload of HOSTILE_SHORT) {
      for (const path of paths(payload.value)) {
        for (const headers of HEADERS) {
          const res = await get(app, cookie, path, headers);
          const where = `${path} (${payload.name}) ${JSON.stringify(headers)}`;
          expect([200, 400, 404], `${where} -> ${res.status}`).toContain(res.status);
          expectEscaped(await res.text(), where);
        }
      }
      const api = await apiGet(app, key, `/api/v1/risk/users/${pathSegment(payload.value)}`);
      expect([200, 400, 404], `risk of ${payload.name} -> ${api.status}`).toContain(api.status);
    }
  });

  it('with broken percent-encoding in a path or a query: 400 or 404, never a 500', async () => {
    for (const bad of BAD_ESCAPES) {
      for (const path of [`/security/users/${bad}`, `/security/sign-ins/${bad}`, `/security/risky-sign-ins?user=${bad}`, `/security/sign-ins?app=${bad}&range=7d`, `/audit?actor=${bad}`, `/security/sign-ins/f-away?back=${bad}`]) {
        const res = await get(app, cookie, path);
        expect([200, 400, 404], `${path} -> ${res.status}`).toContain(res.status);
        expectEscaped(await res.text(), path);
      }
      const api = await apiGet(app, key, `/api/v1/risky-users?userPrincipalName=${bad}`);
      expect([200, 400], `api ${bad} -> ${api.status}`).toContain(api.status);
    }
  });
});
