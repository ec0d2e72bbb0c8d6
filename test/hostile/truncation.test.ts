import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { cutText, MAX_TEXT, MAX_TEXT_BYTES, validateSignIn } from '../../src/ingest/validate.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, signIn as signInAs } from '../helpers/session.js';
import { DAY, HOUR, PLACES, T0, signIn, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from '../http/api-helpers.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => new Date(T0 + DAY) });
});
afterAll(() => database.destroy());

const codePoints = (text: string) => [...text].length;
// 10,000 characters, with a four-byte emoji (a surrogate pair in JavaScript) straddling the cut.
const LONG_NAME = `${'A'.repeat(MAX_TEXT - 2)}😀${'B'.repeat(10_000 - MAX_TEXT + 1)}`;

/** alice signs in from Seattle, then an hour later from Tokyo under a 10 KB display name: impossible travel. */
function hostileTravel() {
  const home = toGraph(signIn({ atMs: T0 }));
  const away = toGraph(signIn({ atMs: T0 + HOUR, place: PLACES.tokyo, ipAddress: '198.51.100.9', userDisplayName: LONG_NAME }));
  (away.deviceDetail as Record<string, unknown>).browser = `Mozilla/5.0 ${'x'.repeat(20_000)}`;
  return { records: [home, away], awayId: away.id as string };
}

async function storedSignIn(tenant: Tenant, id: string) {
  const [row] = await rows<{ user_display_name: string; browser: string; truncated: string | null }>(
    database.db,
    sql`select user_display_name, browser, array_to_string(truncated_fields, ',') as truncated from sign_ins where tenant_id = ${tenant.id} and id = ${id}`,
  );
  return row;
}

describe('over-long text in imported sign-ins', () => {
  it('is cut at a character boundary with a visible ellipsis, and longer input is never refused for its length', () => {
    const cut = cutText(LONG_NAME);
    expect(codePoints(cut)).toBe(MAX_TEXT);
    expect(cut.endsWith('A😀…') || cut.endsWith('A…')).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    // Within both limits (700 characters, 1,400 bytes): kept whole.
    expect(cutText('é'.repeat(700))).toBe('é'.repeat(700));
    // 1,024 emoji are within the limit in characters but 4,096 bytes, more than an index entry holds:
    // cut to MAX_TEXT_BYTES, never splitting a pair.
    const emoji = cutText('😀'.repeat(MAX_TEXT));
    expect(emoji).toBe(`${'😀'.repeat(383)}…`);
    expect(Buffer.byteLength(emoji)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
  });

  it('replaces a lone surrogate, which PostgreSQL cannot store, rather than refusing the record', () => {
    const record = validateSignIn({ ...toGraph(signIn()), userDisplayName: 'bad \uD800 half' }, { index: 0 });
    expect(record.userDisplayName).toBe('bad \uFFFD half');
  });

  it('still refuses text with a NUL character, naming the record and field', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    const res = await apiPost(app, key, '/api/v1/sign-ins', [toGraph(signIn()), { ...toGraph(signIn()), appDisplayName: 'a\u0000b' }]);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^record 1 \(id [^)]+\): appDisplayName: contains a NUL character$/);
  });

  it('through the API: stores the batch, cuts and marks each long field, counts it, and judges the sign-ins', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    const { records, awayId } = hostileTravel();
    const res = await apiPost(app, key, '/api/v1/sign-ins', records);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, inserted: 2, duplicates: 0, riskDetections: 1, skipped: { servicePrincipal: 0, managedIdentity: 0, otherLog: 0 }, truncated: 1 });
    const row = await storedSignIn(tenant, awayId);
    expect(codePoints(row.user_display_name)).toBe(MAX_TEXT);
    expect(row.user_display_name.endsWith('…')).toBe(true);
    expect(row.browser.startsWith('Mozilla/5.0 xxx')).toBe(true);
    expect(row.truncated).toBe('userDisplayName,deviceDetail.browser');
    const [event] = await rows<{ risk_event_type: string }>(database.db, sql`select risk_event_type from risk_events where tenant_id = ${tenant.id} and request_id = ${awayId}`);
    expect(event.risk_event_type).toBe('unlikelyTravel');
  });

  it('shows the marker in the sign-in log, the risky sign-ins list and the CSV export', async () => {
    const tenant = await seedTenant(database.db);
    const key = await keyFor(database.db, tenant);
    const { records, awayId } = hostileTravel();
    expect((await apiPost(app, key, '/api/v1/sign-ins', records)).status).toBe(200);
    const cookie = await signInAs(app, (await seedAdmin(database.db, tenant, 'security_reader')).email);
    for (const path of ['/security/sign-ins?range=90d', '/security/risky-sign-ins?range=30d']) {
      const html = await (await get(app, cookie, path)).text();
      const row = html.slice(html.indexOf(`id="sign-in-${awayId}"`));
      expect(row, path).toContain('Cut on import: userDisplayName, deviceDetail.browser');
    }
    const csv = parse(await (await get(app, cookie, '/security/risky-sign-ins/export.csv?range=30d')).text()) as string[][];
    const column = csv[0].indexOf('Truncated fields');
    expect(csv.find((line) => line.includes(awayId))?.[column]).toBe('userDisplayName;deviceDetail.browser');
  });
});
