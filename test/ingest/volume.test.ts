import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { readSignInFile } from '../../src/ingest/read-file.js';
import { createTestDatabase } from '../helpers/db.js';
import { freshTenant } from '../helpers/ingest.js';
import { PLACES, T0 } from '../helpers/sign-ins.js';

const COUNT = 100_000;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'riskdesk-volume-'));
});
afterAll(async () => {
  await database.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** 100k sign-ins of 1,000 users, each every 8 hours 20 minutes from home, and twice from far away. */
async function writeNdjson(path: string): Promise<void> {
  const out = createWriteStream(path);
  const places = [PLACES.seattle, PLACES.london, PLACES.tokyo, PLACES.paris];
  for (let i = 0; i < COUNT; i++) {
    const user = i % 1000;
    const away = Math.floor(i / 1000) % 50 === 7;
    const place = places[(user + (away ? 1 : 0)) % places.length];
    const line = JSON.stringify({
      id: `v${i}`,
      createdDateTime: new Date(T0 + i * 30_000).toISOString(),
      userId: `user-${user}`,
      userPrincipalName: `user${user}@contoso.com`,
      ipAddress: `10.${user >> 8}.${user & 255}.1`,
      status: { errorCode: 0 },
      location: { city: place.city, countryOrRegion: place.countryOrRegion, geoCoordinates: { latitude: place.latitude, longitude: place.longitude } },
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

it('imports 100,000 sign-ins from a streamed NDJSON file in bounded batches', async () => {
  const path = join(dir, 'volume.ndjson');
  await writeNdjson(path);
  const tenant = await freshTenant(database.db);
  const started = performance.now();
  const total = { received: 0, inserted: 0, riskDetections: 0 };
  for await (const batch of readSignInFile(path, 10_000)) {
    expect(batch.records.length).toBeLessThanOrEqual(10_000);
    const result = await ingestSignIns(database.db, tenant, batch.records, { skipped: batch.skipped });
    total.received += result.received;
    total.inserted += result.inserted;
    total.riskDetections += result.riskDetections;
  }
  const seconds = (performance.now() - started) / 1000;
  console.info(`100k sign-ins on ${database.driver}: ${seconds.toFixed(1)} s, ${Math.round(COUNT / seconds)} sign-ins/s`);
  expect(total).toMatchObject({ received: COUNT, inserted: COUNT });
  const [stored] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from sign_ins where tenant_id = ${tenant.id}::uuid`);
  expect(stored.n).toBe(COUNT);
  expect(total.riskDetections).toBeGreaterThanOrEqual(2000);
}, 180_000);
