import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ParseError } from '../../src/ingest/errors.js';
import { parseSignIns } from '../../src/ingest/parse.js';
import { validateSignIn } from '../../src/ingest/validate.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { toSentinel } from '../helpers/dialects.js';
import { seedTenant } from '../helpers/fixtures.js';
import { signIn, toGraph } from '../helpers/sign-ins.js';
import { apiPost, keyFor } from '../http/api-helpers.js';

// Issue 11, point 2: any mutation of a valid sign-in (a field dropped, of the wrong type, a huge or
// odd string, an odd date) is stored or refused with a ParseError / 400 naming the field; nothing
// else is ever thrown, and a refused batch leaves nothing behind.

const SEED = Number(process.env.FC_SEED ?? 20261201);

/** The paths of a Graph signIn's fields, nested ones dotted. */
const FIELDS = [
  'id', 'createdDateTime', 'userId', 'userPrincipalName', 'userDisplayName', 'appDisplayName', 'clientAppUsed', 'ipAddress',
  'status', 'status.errorCode', 'status.failureReason', 'location', 'location.city', 'location.state', 'location.countryOrRegion',
  'location.geoCoordinates', 'location.geoCoordinates.latitude', 'location.geoCoordinates.longitude', 'deviceDetail',
  'deviceDetail.browser', 'deviceDetail.operatingSystem', 'isInteractive', 'userAgent', 'riskState',
];

const ODD_DATES = ['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.9999999Z', '2026-01-01', '2026-01-01T25:00:00Z', '2026-01-01T00:00:00+99:99', '1970-01-01T00:00:00Z', 'yesterday', '', '2026-01-01T00:00:00.1234567-08:00'];

/** What a field may become: gone, another type, a huge or odd string, an odd date. */
const replacement = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ unit: 'binary', minLength: 1000, maxLength: 3000 }),
  fc.constantFrom(...ODD_DATES),
  fc.constantFrom('198.51.100.300', '::g', '10.0.0.1/8', 'US', 'us', 'XX', '\u0000', '\uD800', ' ', '-0', 'NaN', '1e400'),
);

const mutation = fc.array(fc.tuple(fc.constantFrom(...FIELDS), replacement), { minLength: 1, maxLength: 4 });

function mutate(record: Record<string, unknown>, changes: [string, unknown][]): Record<string, unknown> {
  const copy = structuredClone(record);
  for (const [path, value] of changes) {
    const parts = path.split('.');
    let target = copy as Record<string, unknown>;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        target = {};
        break;
      }
      target = next as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    if (value === undefined) delete target[last];
    else target[last] = value;
  }
  return copy;
}

describe('a mutated sign-in, parsed', () => {
  it('is a record or a ParseError naming the field, never anything else', () => {
    fc.assert(
      fc.property(mutation, (changes) => {
        const raw = mutate({ ...toGraph(signIn()), userAgent: 'Mozilla/5.0', isInteractive: true, riskState: 'none' }, changes);
        try {
          const record = validateSignIn(raw, { index: 0 });
          expect(record.createdDateTime.getTime()).not.toBeNaN();
          expect(record.id).toMatch(/^\S+$/);
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
          expect(error.field).toBeTruthy();
          expect(error.message).toContain(error.field);
        }
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('as a Sentinel row: records or a ParseError naming the field', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...Object.keys(toSentinel(signIn()))), replacement), { minLength: 1, maxLength: 4 }), (changes) => {
        const raw = mutate(toSentinel(signIn()), changes);
        try {
          parseSignIns(JSON.stringify([raw]));
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
          expect(error.field).toBeTruthy();
        }
      }),
      { numRuns: 150, seed: SEED },
    );
  });
});

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database);
  tenant = await seedTenant(database.db, 'premium_p2');
  key = await keyFor(database.db, tenant);
});
afterAll(() => database?.destroy());

describe('a mutated sign-in, posted to the API', () => {
  it('is stored, or refused with a 400 naming the field and nothing of the batch stored', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (changes) => {
        n += 1;
        const good = toGraph(signIn({ id: `m-good-${n}` }));
        const bad = mutate({ ...toGraph(signIn({ id: `m-${n}` })), userAgent: 'Mozilla/5.0' }, changes);
        const res = await apiPost(app, key, '/api/v1/sign-ins', [good, bad]);
        const body = await res.json();
        expect([200, 400], `${JSON.stringify(changes).slice(0, 300)} -> ${res.status} ${JSON.stringify(body).slice(0, 300)}`).toContain(res.status);
        const [{ count }] = await rows<{ count: number }>(database.db, sql`select count(*)::int as count from sign_ins where tenant_id = ${tenant.id} and id = ${`m-good-${n}`}`);
        if (res.status === 400) {
          expect(body.error.field).toBeTruthy();
          expect(body.error.index).toBe(1);
          expect(count, 'a refused batch stores nothing').toBe(0);
        } else {
          expect(body.received).toBe(2);
          expect(count).toBe(1);
        }
      }),
      { numRuns: 60, seed: SEED, endOnFailure: true },
    );
  });
});
