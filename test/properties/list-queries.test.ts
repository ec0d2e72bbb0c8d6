import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionError } from '../../src/actions/errors.js';
import { FilterError, MAX_LIMIT, parseListFilters, type ListSpec } from '../../src/http/list-filters.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { parseApiListParams } from '../../src/http/api-list-params.js';
import { AUDIT_PARAMS, parseAuditFilters } from '../../src/http/audit-filters.js';
import { RISK_EVENTS_SPEC, RISK_EVENT_TYPE_SPEC } from '../../src/queries/risk-events.js';
import { RISKY_SIGN_INS_EXPORT_SPEC } from '../../src/queries/risky-sign-in-export.js';
import { RISKY_SIGN_INS_SPEC } from '../../src/queries/risky-sign-ins.js';
import { SIGN_INS_SPEC } from '../../src/queries/sign-ins.js';
import { USERS_AT_RISK_SPEC } from '../../src/queries/users-at-risk.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { ORIGIN, signIn as signInAs } from '../helpers/session.js';
import { HOUR, PLACES, signIn } from '../helpers/sign-ins.js';
import { keyFor } from '../http/api-helpers.js';

// Issue 11, point 2: every list's query-string parser, for any input, gives a valid filter or a
// 400 naming a parameter; through the app, any query string is answered 200 or 400, never 500.

const NOW = new Date('2026-11-27T12:00:00Z');
const SEED = Number(process.env.FC_SEED ?? 20261201);

const SPECS: Record<string, ListSpec> = {
  'sign-ins': SIGN_INS_SPEC,
  'risky-sign-ins': RISKY_SIGN_INS_SPEC,
  'risky-sign-ins export': RISKY_SIGN_INS_EXPORT_SPEC,
  'risk-events': RISK_EVENTS_SPEC,
  'risk-event type': RISK_EVENT_TYPE_SPEC,
  'users-at-risk': USERS_AT_RISK_SPEC,
};

const NAMES = [...new Set([...Object.values(SPECS).flatMap((s) => s.params), ...AUDIT_PARAMS, 'since', 'until', 'riskEventType', 'riskState', 'userPrincipalName', '$top', '$skiptoken', '$deltatoken'])];
const GOOD_VALUES = ['7d', '24h', '90d', '-time', 'time', '-level', 'high', 'medium', 'atRisk', 'active', 'all', 'unlikelyTravel', 'dismissed', '1', '50', '200', '201', '0', '-1', '2026-11-20', '2026-11-20T08:00Z', '2026-11-27T12:00:00+14:00', '2026-02-30', '10.0.0.0/8', '::1/129', 'US', 'success', 'failure', 'user,time', 'riskEvent', 'latest', ''];

/** A value a person, a bookmark or an attacker might put in a query: a list's own words, or any text at all. */
const value = fc.oneof(fc.constantFrom(...GOOD_VALUES), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', minLength: 190, maxLength: 260 }));
const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
const query = fc.array(fc.tuple(name, value), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs));

describe('the list parsers, for any query', () => {
  it.each(Object.entries(SPECS))('%s: a valid filter or a FilterError naming one of its parameters', (_, spec) => {
    fc.assert(
      fc.property(query, fc.constantFrom('free', 'premium_p1', 'premium_p2') as fc.Arbitrary<'free' | 'premium_p1' | 'premium_p2'>, (q, edition) => {
        try {
          const filters = parseListFilters(q, spec, { edition, now: NOW });
          expect(filters.limit).toBeGreaterThanOrEqual(1);
          expect(filters.limit).toBeLessThanOrEqual(MAX_LIMIT);
          expect(spec.sorts).toContain(filters.sort);
          if (filters.period) expect(filters.period.from.getTime()).toBeLessThanOrEqual(filters.period.to.getTime());
          if (spec.params.includes('range')) expect(filters.period).not.toBeNull();
          for (const column of filters.columns) expect(spec.columns?.all).toContain(column);
          if (filters.user !== null) expect(filters.user.length).toBeLessThanOrEqual(200);
        } catch (error) {
          if (!(error instanceof FilterError)) throw error;
          expect([...spec.params, 'sort', 'limit']).toContain(error.parameter);
          expect(error.message).toContain(error.parameter);
        }
      }),
      { numRuns: 200, seed: SEED, endOnFailure: true },
    );
  });

  it('the audit log: valid filters or a FilterError naming its parameter', () => {
    fc.assert(
      fc.property(query, (q) => {
        try {
          const filters = parseAuditFilters(q);
          expect(filters.limit).toBeGreaterThanOrEqual(1);
          expect(filters.limit).toBeLessThanOrEqual(200);
        } catch (error) {
          if (!(error instanceof FilterError)) throw error;
          expect(AUDIT_PARAMS).toContain(error.parameter);
        }
      }),
      { numRuns: 200, seed: SEED, endOnFailure: true },
    );
  });

  it("the API's lists: valid parameters or a 400 naming the parameter", () => {
    fc.assert(
      fc.property(query, (q) => {
        try {
          const params = parseApiListParams(Object.fromEntries(q));
          expect(params.top).toBeGreaterThanOrEqual(1);
          if (params.since && params.until) expect(params.since.getTime()).toBeLessThanOrEqual(params.until.getTime());
        } catch (error) {
          if (!(error instanceof ActionError)) throw error;
          expect(error.status).toBe(400);
          expect(error.message).toMatch(/since|until|riskEventType|riskState|userPrincipalName|\$top/);
        }
      }),
      { numRuns: 200, seed: SEED, endOnFailure: true },
    );
  });
});

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let cookie: string;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  const tenant = await seedTenant(database.db, 'premium_p2');
  await ingestSignIns(database.db, tenant, [
    signIn({ id: 'q-home', atMs: NOW.getTime() - 3 * HOUR }),
    signIn({ id: 'q-away', atMs: NOW.getTime() - 2 * HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.9' }),
  ]);
  cookie = await signInAs(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
  key = await keyFor(database.db, tenant);
});
afterAll(() => database?.destroy());

const PAGES = [
  '/security/sign-ins',
  '/security/risky-sign-ins',
  '/security/risky-sign-ins/export.csv',
  '/security/risky-sign-ins/export.json',
  '/security/risk-events',
  '/security/risk-events/export.csv',
  '/security/risk-events/unlikelyTravel',
  '/security/users-at-risk',
  '/audit',
];
const API = ['/api/v1/risk-detections', '/api/v1/risky-users', '/api/v1/risk-detections/delta'];

/** The query as a browser would send it, or raw bytes after the "?" (percent signs and all). */
const search = fc.oneof(
  query.map((q) => q.toString()),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }),
);

describe('any query string through the app', () => {
  it('every list, download and API list answers 200 or 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PAGES, ...API), search, fc.boolean(), async (path, qs, htmx) => {
        const api = path.startsWith('/api/');
        const headers: Record<string, string> = api ? { Authorization: `Bearer ${key}` } : { Cookie: cookie, ...(htmx ? { 'HX-Request': 'true' } : {}) };
        const res = await app.request(`${ORIGIN}${path}?${qs}`, { headers });
        const body = await res.text();
        // Over 8 KB of query string is refused whole (414), before any parser sees it.
        const allowed = Buffer.byteLength(new URL(`${ORIGIN}${path}?${qs}`).search) - 1 > 8 * 1024 ? [414] : [200, 400];
        expect(allowed, `${path}?${qs.slice(0, 300)} -> ${res.status}: ${body.slice(0, 200)}`).toContain(res.status);
        if (res.status === 400 && api) expect(JSON.parse(body).error.message).toBeTruthy();
        if (res.status === 200 && (path.endsWith('.json') || api)) expect(() => JSON.parse(body)).not.toThrow();
      }),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );
  });
});
