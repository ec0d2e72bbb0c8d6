import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { importIpList } from '../../src/lists/ip-lists.js';
import type { Tenant } from '../../src/db/schema.js';
import type { SignInRecord } from '../../src/ingest/types.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { toAzureMonitor, toPortalCsv, toSentinel } from '../helpers/dialects.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { expectEscaped, HOSTILE_SMALL, injections, ONE_MB, storedForm, type Payload } from '../helpers/hostile.js';
import { get, signIn as signInAs } from '../helpers/session.js';
import { HOUR, PLACES, signIn, toGraph } from '../helpers/sign-ins.js';
import { apiGet, apiPost, keyFor } from '../http/api-helpers.js';

// Issue 11, point 1: every payload of the hostile corpus through every text field of an imported
// sign-in, in every dialect the importer reads, through POST /api/v1/sign-ins; then every page,
// fragment and export that shows those sign-ins: no 500, nothing unescaped, CSV neutralised, JSON valid.

const NOW = Date.parse('2026-11-27T12:00:00Z');
const AWAY_IP = '198.51.100.7';
const DIALECTS = ['graph', 'sentinel', 'azure-monitor', 'portal-csv'] as const;
type Dialect = (typeof DIALECTS)[number];

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  // A malware address for the Tokyo sign-ins, so the portal's CSV (no coordinates, no travel) makes risky sign-ins too.
  await importIpList(database.db, { kind: 'malware', name: 'hostile corpus', entries: [`${AWAY_IP}/32`] });
  app = buildTestApp(database, { now: () => new Date(NOW) });
});
afterAll(() => database?.destroy());

/** The Graph fields past the core ones (kept for the detail view), each set to the payload. */
const EXTRA_FIELDS = ['userAgent', 'correlationId', 'appId', 'conditionalAccessStatus', 'authenticationRequirement', 'riskLevelDuringSignIn', 'riskState'] as const;

/** A user's three sign-ins with every text field the payload: Seattle, Tokyo an hour later (impossible travel), and a failure. */
function hostileSignIns(n: number, dialect: Dialect, value: string): SignInRecord[] {
  const text = {
    userId: `h-${dialect}-${n}`,
    userPrincipalName: `${value}@contoso.com`,
    userDisplayName: value,
    appDisplayName: value,
    clientAppUsed: value,
    browser: value,
    operatingSystem: value,
  };
  const id = (suffix: string) => `h-${dialect}-${n}-${suffix}`;
  return [
    signIn({ ...text, id: id('home'), atMs: NOW - 3 * HOUR, place: { ...PLACES.seattle, city: value, state: value } }),
    signIn({ ...text, id: id('away'), atMs: NOW - 2 * HOUR, ipAddress: AWAY_IP, place: { ...PLACES.tokyo, city: value, state: value } }),
    signIn({ ...text, id: id('fail'), atMs: NOW - HOUR, errorCode: 50126, failureReason: value, place: { ...PLACES.tokyo, city: value, state: value } }),
  ];
}

function withExtras(graph: Record<string, unknown>, value: string): Record<string, unknown> {
  return { ...graph, ...Object.fromEntries(EXTRA_FIELDS.map((field) => [field, value])) };
}

/** The batch in the dialect's own layout, every text field it has carrying the payload. */
function body(dialect: Dialect, records: SignInRecord[], value: string): string {
  switch (dialect) {
    case 'graph':
      return JSON.stringify({ value: records.map((r) => withExtras(toGraph(r), value)) });
    case 'sentinel':
      return JSON.stringify(
        records.map((r) => ({ ...toSentinel(r), UserAgent: value, CorrelationId: value, ConditionalAccessStatus: value, AuthenticationRequirement: value, RiskLevelDuringSignIn: value, RiskState: value, Identity: value })),
      );
    case 'azure-monitor':
      return JSON.stringify({ records: records.map((r) => ({ ...toAzureMonitor(r), identity: value, properties: withExtras(toGraph(r), value) })) });
    case 'portal-csv':
      return toPortalCsv(records).replaceAll('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/120.0.0.0', value.includes('"') || value.includes(',') ? `"${value.replaceAll('"', '""')}"` : value);
  }
}

interface Outcome {
  payload: Payload;
  dialect: Dialect;
  status: number;
  answer: { inserted?: number; truncated?: number; error?: { message: string; field?: string } };
}

const seeded = new Map<Dialect, { tenant: Tenant; cookie: string; key: string; outcomes: Outcome[] }>();

async function seedDialect(dialect: Dialect) {
  const tenant = await seedTenant(database.db, 'premium_p2');
  const key = await keyFor(database.db, tenant);
  const cookie = await signInAs(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
  const outcomes: Outcome[] = [];
  for (const [n, payload] of HOSTILE_SMALL.entries()) {
    const res = await apiPost(app, key, '/api/v1/sign-ins', body(dialect, hostileSignIns(n, dialect, payload.value), payload.value));
    outcomes.push({ payload, dialect, status: res.status, answer: (await res.json()) as Outcome['answer'] });
  }
  seeded.set(dialect, { tenant, cookie, key, outcomes });
  return seeded.get(dialect)!;
}

/** Everything the tenant's admins can open that shows imported text: lists, blades, details, audit; each as a page and as an htmx fragment. */
async function pagesOf(tenant: Tenant): Promise<string[]> {
  const signIns = await rows<{ id: string; user_id: string }>(database.db, sql`select id, user_id from sign_ins where tenant_id = ${tenant.id} order by id`);
  const events = await rows<{ id: string; risk_event_type: string }>(database.db, sql`select id, risk_event_type from risk_events where tenant_id = ${tenant.id} order by id`);
  const users = [...new Set(signIns.map((s) => s.user_id))];
  return [
    '/security/sign-ins?range=7d&limit=200',
    '/security/sign-ins?range=7d&limit=200&result=failure',
    '/security/risky-sign-ins?range=7d&limit=200',
    '/security/risk-events?range=7d',
    '/security/users-at-risk?limit=200',
    '/audit?limit=200',
    ...[...new Set(events.map((e) => e.risk_event_type))].map((type) => `/security/risk-events/${type}?range=7d&limit=200`),
    ...events.map((e) => `/security/risk-events/${e.risk_event_type}/${encodeURIComponent(e.id)}`),
    ...users.map((u) => `/security/users/${encodeURIComponent(u)}`),
    ...signIns.map((s) => `/security/sign-ins/${encodeURIComponent(s.id)}?back=${encodeURIComponent('/security/sign-ins?range=7d')}`),
  ];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

describe('the check for markup', () => {
  it.each(HOSTILE_SMALL.filter((p) => p.kind === 'markup' || p.kind === 'attribute').map((p) => [p.name, p] as const))('finds %s when a page shows it unescaped', (_, payload) => {
    const page = `<main><td>${payload.value}</td><span title="${payload.value}">x</span><input value='${payload.value}'><b class=${payload.value}>x</b></main>`;
    expect(injections(page, [])).not.toEqual([]);
    expect(injections(`<main><td>${escapeHtml(payload.value)}</td><span title="${escapeHtml(payload.value)}">x</span></main>`, HOSTILE_SMALL)).toEqual([]);
  });
});

describe.each(DIALECTS)('the hostile corpus in %s', (dialect) => {
  it('is stored (cut and marked when too long) or refused naming the field, never a 500', async () => {
    const { tenant, outcomes } = await seedDialect(dialect);
    for (const outcome of outcomes) {
      const where = `${dialect}: ${outcome.payload.name} -> ${outcome.status} ${JSON.stringify(outcome.answer).slice(0, 300)}`;
      expect(outcome.status, where).toBe(200);
      expect(outcome.answer.inserted, where).toBe(3);
      if (outcome.payload.kind === 'long') expect(outcome.answer.truncated, where).toBe(3);
    }
    const [{ count }] = await rows<{ count: number }>(database.db, sql`select count(*)::int as count from sign_ins where tenant_id = ${tenant.id}`);
    expect(count).toBe(HOSTILE_SMALL.length * 3);
    for (const [n, payload] of HOSTILE_SMALL.entries()) {
      // Compared in SQL: PGlite's text decoder drops a leading U+FEFF when it reads a value back.
      // JSON dialects carry the text exactly; the CSV reader may trim a cell's white space.
      const expected = storedForm(payload.value);
      const accepted = dialect === 'portal-csv' ? [expected, storedForm(payload.value.trim())] : [expected, expected];
      // The portal's Location column is "City, State, CC": a comma inside a city cannot survive it.
      const cityKept = !(dialect === 'portal-csv' && payload.value.includes(','));
      const [row] = await rows<{ name: boolean; city: boolean; truncated: string | null }>(
        database.db,
        sql`select user_display_name in (${accepted[0]}, ${accepted[1]}) as name, city in (${accepted[0]}, ${accepted[1]}) as city,
                   array_to_string(truncated_fields, ',') as truncated
              from sign_ins where tenant_id = ${tenant.id} and id = ${`h-${dialect}-${n}-away`}`,
      );
      expect(row?.name, `${payload.name}: display name`).toBe(true);
      if (cityKept) expect(row.city, `${payload.name}: city`).toBe(true);
      if (payload.kind === 'long') expect(row.truncated, payload.name).toContain('userDisplayName');
    }
  });

  it('shows on no page or fragment as markup', async () => {
    const { tenant, cookie } = seeded.get(dialect) ?? (await seedDialect(dialect));
    const paths = await pagesOf(tenant);
    expect(paths.length).toBeGreaterThan(HOSTILE_SMALL.length * 3);
    for (const path of paths) {
      for (const headers of [{}, { 'HX-Request': 'true' }] as Record<string, string>[]) {
        const res = await get(app, cookie, path, headers);
        const where = `${path} ${JSON.stringify(headers)}`;
        expect(res.status, where).toBe(200);
        expectEscaped(await res.text(), where);
      }
    }
    // The text is shown, escaped, not dropped: the detail of each Tokyo sign-in names its user.
    for (const [n, payload] of HOSTILE_SMALL.entries()) {
      if (payload.kind !== 'markup' && payload.kind !== 'attribute') continue;
      const html = await (await get(app, cookie, `/security/sign-ins/h-${dialect}-${n}-away`)).text();
      expect(html, payload.name).toContain(escapeHtml(payload.value).slice(0, 40));
    }
  });

  it('exports CSV with every formula neutralised and JSON that parses', async () => {
    const { tenant, cookie, key } = seeded.get(dialect) ?? (await seedDialect(dialect));
    for (const path of ['/security/risky-sign-ins/export.csv?range=7d', '/security/risk-events/export.csv?range=7d']) {
      const res = await get(app, cookie, path);
      expect(res.status, path).toBe(200);
      const table = parse(await res.text(), { relax_column_count: false }) as string[][];
      expect(table.length, path).toBeGreaterThan(1);
      for (const line of table.slice(1)) for (const cell of line) expect(cell, `${path}: ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@\t\r]/);
      if (!path.startsWith('/security/risky-sign-ins/')) continue;
      // Each formula payload is in the file, behind its apostrophe (the CSV reader trims a leading tab or CR).
      const cells = new Set(table.flat());
      const formulas = HOSTILE_SMALL.filter((p) => p.kind === 'formula' && !(dialect === 'portal-csv' && /^\s/.test(p.value)));
      for (const payload of formulas) expect(cells.has(`'${payload.value}`), `${path}: ${payload.name}`).toBe(true);
    }
    const json = await get(app, cookie, '/security/risky-sign-ins/export.json?range=7d');
    expect(json.status).toBe(200);
    const page = JSON.parse(await json.text()) as { value: { userDisplayName: string }[] };
    expect(page.value.length).toBeGreaterThan(0);
    expect(page.value.map((v) => v.userDisplayName)).toContain(storedForm(HOSTILE_SMALL[0].value));
    for (const path of ['/api/v1/risk-detections?$top=1000', '/api/v1/risky-users?$top=1000']) {
      const res = await apiGet(app, key, path);
      expect(res.status, path).toBe(200);
      expect(JSON.parse(await res.text()).value.length, path).toBeGreaterThan(0);
    }
    expect(tenant.id).toBeTruthy();
  });
});

describe('a 1 MB string in a field', () => {
  it.each(DIALECTS)('is stored cut to 1,024 characters and marked, in %s', async (dialect) => {
    const tenant = await seedTenant(database.db, 'premium_p2');
    const key = await keyFor(database.db, tenant);
    const records = hostileSignIns(0, dialect, 'ok').slice(0, 1).map((r) => ({ ...r, userDisplayName: ONE_MB }));
    const res = await apiPost(app, key, '/api/v1/sign-ins', body(dialect, records, 'ok'));
    const answer = await res.json();
    expect(res.status, JSON.stringify(answer).slice(0, 300)).toBe(200);
    expect(answer).toMatchObject({ inserted: 1, truncated: 1 });
    const [row] = await rows<{ user_display_name: string; truncated: string }>(database.db, sql`select user_display_name, array_to_string(truncated_fields, ',') as truncated from sign_ins where tenant_id = ${tenant.id}`);
    expect(row.user_display_name).toBe(storedForm(ONE_MB));
    expect(row.truncated).toContain('userDisplayName');
    const cookie = await signInAs(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
    for (const path of ['/security/sign-ins?range=7d', `/security/sign-ins/${records[0].id}`, '/security/risky-sign-ins?range=7d']) {
      const page = await get(app, cookie, path);
      expect(page.status, path).toBe(200);
      expectEscaped(await page.text(), path);
    }
  });
});

describe('a country that is no ISO code', () => {
  it.each(HOSTILE_SMALL.filter((p) => p.kind === 'markup').map((p) => [p.name, p] as const))('refuses the batch with a 400 naming the field (%s)', async (_, payload) => {
    const tenant = await seedTenant(database.db, 'premium_p2');
    const key = await keyFor(database.db, tenant);
    const graph = toGraph(signIn());
    (graph.location as Record<string, unknown>).countryOrRegion = payload.value;
    const res = await apiPost(app, key, '/api/v1/sign-ins', [graph]);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.error.message).toMatch(/location\.countryOrRegion/);
    // The message quotes at most 64 characters of the bad value.
    expect(answer.error.message.length).toBeLessThan(200);
  });
});
