import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { csvCell } from '../../src/http/csv.js';
import { parseListFilters } from '../../src/http/list-filters.js';
import { csvCellSql, iterateRiskySignInIds, RISKY_SIGN_INS_EXPORT_SPEC } from '../../src/queries/risky-sign-in-export.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { HOSTILE_SHORT } from '../helpers/hostile.js';
import { get, signIn } from '../helpers/session.js';
import { NOW, ago, insertRisky, type RiskySpec } from './report-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let reader: string;
let other: string;
const LARGE = 5000;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  tenant = await seedTenant(database.db, 'premium_p1');
  reader = await signIn(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
  other = await signIn(app, (await seedAdmin(database.db, await seedTenant(database.db, 'premium_p1'))).email);
  const hostile: RiskySpec[] = [
    { id: 'formula', createdDateTime: ago(1), userDisplayName: '=HYPERLINK("http://evil.example","click")', city: '+cmd', appDisplayName: '@SUM(A1)', level: 'high', types: ['anonymizedIPAddress', 'unlikelyTravel'] },
    { id: 'quotes', createdDateTime: ago(2), userDisplayName: 'Smith, "Jo"\r\nNext', state: '-1' },
  ];
  // Many sign-ins share one second, so the keyset pages must break ties by id.
  const many: RiskySpec[] = Array.from({ length: LARGE }, (_, i) => ({
    id: `bulk-${String(i).padStart(5, '0')}`,
    createdDateTime: new Date(ago(5).getTime() - Math.floor(i / 7) * 1000),
    level: i % 3 === 0 ? 'high' : 'low',
    status: i % 2 === 0 ? 'active' : 'dismissedAsFixed',
    types: ['malwareInfectedIPAddress'],
  }));
  await insertRisky(database.db, tenant.id, [...hostile, ...many]);
});
afterAll(() => database.destroy());

function records(text: string): string[][] {
  return parse(text, { relaxColumnCount: false }) as string[][];
}

describe('the CSV download', () => {
  it('streams every matching row, with the header, a filename naming tenant, report and period', async () => {
    const res = await get(app, reader, '/security/risky-sign-ins/export.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${tenant.domain}-risky-sign-ins-2026-10-28-to-2026-11-27.csv"`);
    const rows = records(await res.text());
    // The contract's 13 columns first; what Entra recorded is appended after them.
    expect(rows[0].slice(0, 13)).toEqual(['Sign-in time', 'User', 'UPN', 'IP', 'City', 'State', 'Country', 'Risk level', 'Status', 'Risk event types', 'Result', 'App', 'Sign-in id']);
    expect(rows[0].slice(13)).toEqual(['Sign-in time (microseconds)', 'User agent', 'Correlation id', 'App id', 'Interactive', 'Conditional Access', 'Authentication requirement', 'Entra said: risk level during sign-in', 'Entra said: risk state', 'Truncated fields']);
    expect(rows.length - 1).toBe(LARGE + 2);
    const ids = rows.slice(1).map((row) => row[12]);
    expect(new Set(ids).size).toBe(LARGE + 2);
  });

  it('streams through compression when the client accepts gzip', async () => {
    const res = await get(app, reader, '/security/risky-sign-ins/export.csv', { 'Accept-Encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
    expect(records(text)).toHaveLength(LARGE + 3);
  });

  it('neutralises formulas and quotes commas, quotes and line breaks', async () => {
    const rows = records(await (await get(app, reader, '/security/risky-sign-ins/export.csv?sort=-time&limit=5')).text());
    const formula = rows.find((row) => row[12] === 'formula')!;
    expect(formula[1]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(formula[4]).toBe(`'+cmd`);
    expect(formula[11]).toBe(`'@SUM(A1)`);
    expect(formula[9]).toBe('anonymizedIPAddress;unlikelyTravel');
    const quotes = rows.find((row) => row[12] === 'quotes')!;
    expect(quotes[1]).toBe('Smith, "Jo"\r\nNext');
    expect(quotes[5]).toBe(`'-1`);
  });

  it('applies the list filters', async () => {
    const rows = records(await (await get(app, reader, '/security/risky-sign-ins/export.csv?level=high&status=active')).text());
    const expected = Array.from({ length: LARGE }, (_, i) => i).filter((i) => i % 3 === 0 && i % 2 === 0).length + 1;
    expect(rows.length - 1).toBe(expected);
    expect(rows.slice(1).every((row) => row[7] === 'high' && row[8] === 'active')).toBe(true);
  });

  it('answers a bad filter with 400 naming it, before any download starts', async () => {
    const res = await get(app, reader, '/security/risky-sign-ins/export.csv?level=severe');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid value for level');
  });

  it('gives another tenant only its own (empty) download', async () => {
    const rows = records(await (await get(app, other, '/security/risky-sign-ins/export.csv')).text());
    expect(rows).toHaveLength(1);
  });
});

describe('the download\'s pages', () => {
  const filtersOf = (query: string) => parseListFilters(new URLSearchParams(query), RISKY_SIGN_INS_EXPORT_SPEC, { edition: 'premium_p1', now: NOW });
  async function walk(query: string, batch: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of iterateRiskySignInIds(database.db, tenant.id, filtersOf(query), batch)) ids.push(...page);
    return ids;
  }

  it('meet exactly at any size, in every sort order: each row once, in the order of the whole', async () => {
    for (const sort of ['-time', 'time', '-level', 'level']) {
      const whole = await walk(`sort=${sort}`, LARGE * 2);
      expect(whole, sort).toHaveLength(LARGE + 2);
      // Pages of 13 and 97 split the runs of seven sign-ins that share a second; 1999 ends one inside a level.
      for (const batch of sort === '-time' ? [13, 1999] : [97, 1999]) {
        expect(await walk(`sort=${sort}`, batch), `${sort} by ${batch}`).toEqual(whole);
      }
    }
    expect((await walk('sort=-time', 13)).slice(0, 2)).toEqual(['formula', 'quotes']);
  });

  it('carry a row written during the download into a page not yet built', async () => {
    const pages = iterateRiskySignInIds(database.db, tenant.id, filtersOf('sort=-time'), 100);
    const first = await pages.next();
    expect(first.value).toHaveLength(100);
    // Older than every row, so it falls in the last page, which is not built yet.
    await insertRisky(database.db, tenant.id, [{ id: 'late-arrival', createdDateTime: new Date(ago(5).getTime() - 10_000_000), level: 'low' }]);
    const rest: string[] = [];
    for await (const page of pages) rest.push(...page);
    expect(rest.filter((id) => id === 'late-arrival')).toHaveLength(1);
    expect(rest.at(-1)).toBe('late-arrival');
    expect(new Set([...(first.value as string[]), ...rest]).size).toBe(LARGE + 3);
    await database.db.execute(sql`delete from sign_ins where tenant_id = ${tenant.id} and id = 'late-arrival'`);
  });
});

describe('the list over the same rows', () => {
  it('counts exactly up to 1,000 and then says 1,000+', async () => {
    const html = await (await get(app, reader, '/security/risky-sign-ins')).text();
    expect(html).toContain('1,000+</strong> risky sign-ins');
    const few = await (await get(app, reader, '/security/risky-sign-ins?type=anonymizedIPAddress')).text();
    expect(few).toContain('1</strong> risky sign-in<');
  });
});

describe('the JSON download', () => {
  it('is a Graph page of riskDetection, one per event, evidence in additionalInfo', async () => {
    const res = await get(app, reader, '/security/risky-sign-ins/export.json?level=high&range=24h');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/-risky-sign-ins-2026-11-26-to-2026-11-27\.json"$/);
    const body = (await res.json()) as { value: Record<string, unknown>[] };
    const formula = body.value.filter((d) => d.requestId === 'formula');
    expect(formula.map((d) => d.riskEventType).sort()).toEqual(['anonymizedIPAddress', 'unlikelyTravel']);
    const detection = formula[0];
    expect(detection).toMatchObject({
      riskLevel: 'high',
      riskState: 'atRisk',
      riskDetail: 'none',
      detectionTimingType: 'realtime',
      activity: 'signin',
      userPrincipalName: 'alice@contoso.com',
      ipAddress: '198.51.100.7',
      location: { city: '+cmd', countryOrRegion: 'PT', geoCoordinates: { latitude: 38.72, longitude: -9.14 } },
    });
    for (const key of ['id', 'activityDateTime', 'detectedDateTime', 'lastUpdatedDateTime', 'userId', 'userDisplayName', 'source']) expect(detection).toHaveProperty(key);
    expect(JSON.parse(detection.additionalInfo as string)).toEqual([{ Key: 'nearestFamiliarLocation', Value: 'Porto, PT (274 km)' }]);
  });

  it('streams one detection per event across every keyset page', async () => {
    const body = (await (await get(app, reader, '/security/risky-sign-ins/export.json')).json()) as { value: { id: string; riskState: string }[] };
    expect(body.value).toHaveLength(LARGE + 3);
    expect(new Set(body.value.map((d) => d.id)).size).toBe(LARGE + 3);
    expect(body.value.filter((d) => d.riskState === 'dismissed')).toHaveLength(LARGE / 2);
  });
});

describe('the CSV lines PostgreSQL builds', () => {
  it('escapes every hostile value byte for byte as csvCell does', async () => {
    const extra = ['', 'plain', '=1+2', '+cmd', '-1', '@SUM(A1)', '\tTab', '\rCR', 'a,b', 'say "hi"', 'line\nbreak', '=a,"b"', '"', "'", 'Zürich 😀', '\u001f=x'];
    // Text PostgreSQL can store: no NUL, no lone surrogate.
    const storable = (v: string) => !v.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v);
    const values = [...HOSTILE_SHORT.map((p) => p.value).filter(storable), ...extra];
    expect(values.length).toBeGreaterThan(30);
    for (const value of values) {
      // Against the value as it came back: PGlite's text decoding drops a leading BOM either way.
      const [row] = await rows<{ value: string; cell: string }>(database.db, sql`select ${value}::text as value, ${csvCellSql(sql`${value}::text`)} as cell`);
      expect(row.cell, JSON.stringify(value)).toBe(csvCell(row.value));
    }
    const [empty] = await rows<{ cell: string }>(database.db, sql`select ${csvCellSql(sql`null::text`)} as cell`);
    expect(empty.cell).toBe(csvCell(null));
  });

  it('writes every column of a sign-in with all of them set, and one with none, in the list order by level', async () => {
    const own = await seedTenant(database.db, 'premium_p1');
    const cookie = await signIn(app, (await seedAdmin(database.db, own, 'security_reader')).email);
    await insertRisky(database.db, own.id, [
      {
        id: 'full',
        createdDateTime: new Date('2026-11-27T10:00:00.123Z'),
        userDisplayName: '=Eve, "E"',
        userPrincipalName: 'eve@contoso.com',
        ipAddress: '2001:db8::1',
        state: 'Île',
        errorCode: 50126,
        level: 'low',
        status: 'dismissedAsFixed',
        types: ['unlikelyTravel', 'anonymizedIPAddress'],
        userAgent: 'Mozilla/5.0 ("X11")',
        correlationId: 'corr-1',
        appId: 'app-1',
        isInteractive: false,
        conditionalAccessStatus: 'failure',
        authenticationRequirement: 'multiFactorAuthentication',
        entraRiskLevelDuringSignIn: 'high',
        entraRiskState: 'atRisk',
        truncatedFields: ['userAgent', 'location.city'],
      },
      { id: 'bare', createdDateTime: new Date('2026-11-27T09:00:00Z'), userDisplayName: null, ipAddress: null, city: null, countryOrRegion: null, appDisplayName: null, isInteractive: true, level: 'high', types: [] },
    ]);
    // Below the millisecond, which the first column cuts and the microseconds column keeps.
    await database.db.execute(sql`update sign_ins set created_date_time = created_date_time + interval '876 microseconds' where tenant_id = ${own.id} and id = 'full'`);
    const text = await (await get(app, cookie, '/security/risky-sign-ins/export.csv?sort=-level')).text();
    expect(text.split('\r\n').slice(1)).toEqual([
      '2026-11-27T09:00:00.000Z,,alice@contoso.com,,,,,high,active,,success,,bare,2026-11-27T09:00:00.000000Z,,,,true,,,,,',
      `2026-11-27T10:00:00.123Z,"'=Eve, ""E""",eve@contoso.com,2001:db8::1,Lisbon,Île,PT,low,dismissedAsFixed,anonymizedIPAddress;unlikelyTravel,failure 50126,Office 365,full,2026-11-27T10:00:00.123876Z,"Mozilla/5.0 (""X11"")",corr-1,app-1,false,failure,multiFactorAuthentication,high,atRisk,userAgent;location.city`,
      '',
    ]);
    const ascending = records(await (await get(app, cookie, '/security/risky-sign-ins/export.csv?sort=level')).text());
    expect(ascending.slice(1).map((row) => row[12])).toEqual(['full', 'bare']);
  });
});
