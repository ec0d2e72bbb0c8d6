import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import postgres from 'postgres';

// What the benchmarks write: synthetic sign-ins to import, a COPY of them for the baseline, and
// risky rows for a real export. Shared by bench/run.ts and the alternating tools (import.ts, export.ts).

/** Synthetic users in a handful of cities, some from an unlisted far city: realistic judging work. */
export function writeSignIns(file: string, count: number, prefix: string): Promise<void> {
  const cities = [
    ['Seattle', 'WA', 'US', 47.61, -122.33], ['London', 'England', 'GB', 51.51, -0.13], ['Berlin', 'Berlin', 'DE', 52.52, 13.4],
    ['Mumbai', 'MH', 'IN', 19.08, 72.88], ['Tokyo', 'Tokyo', 'JP', 35.68, 139.69], ['Sydney', 'NSW', 'AU', -33.87, 151.21],
  ] as const;
  const out = createWriteStream(file);
  const start = Date.now() - 60 * 24 * 3600 * 1000;
  return new Promise((resolve, reject) => {
    out.on('error', reject);
    let i = 0;
    const write = () => {
      let ok = true;
      while (i < count && ok) {
        const user = i % 5000;
        const city = cities[(user + (i % 97 === 0 ? 3 : 0)) % cities.length];
        const record = {
          id: `${prefix}${i.toString(16).padStart(10, '0')}`,
          createdDateTime: new Date(start + i * 20_000).toISOString(),
          userId: `u${user}`,
          userPrincipalName: `user${user}@bench.example.com`,
          userDisplayName: `User ${user}`,
          appDisplayName: 'Office 365',
          clientAppUsed: 'Browser',
          ipAddress: `100.${(user >> 8) & 255}.${user & 255}.${(i % 7) + 1}`,
          status: { errorCode: i % 50 === 0 ? 50126 : 0 },
          location: { city: city[0], state: city[1], countryOrRegion: city[2], geoCoordinates: { latitude: city[3], longitude: city[4] } },
          deviceDetail: { browser: 'Edge 120', operatingSystem: 'Windows 11' },
        };
        ok = out.write(`${JSON.stringify(record)}\n`);
        i += 1;
      }
      if (i < count) out.once('drain', write);
      else out.end(resolve);
    };
    write();
  });
}

/** A raw COPY of the database's sign_ins into a table with the same indexes: the import's baseline. */
export async function measureCopy(url: string): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const file = join(tmpdir(), `riskdesk-bench-copy-${process.pid}.tsv`);
  // A connection of its own: after a COPY out, postgres.js never finished a COPY in on the same one.
  const out = postgres(url, { max: 1, onnotice: () => {} });
  await pipeline(await out`copy sign_ins to stdout`.readable(), createWriteStream(file));
  await out.end();
  const db = postgres(url, { max: 1, onnotice: () => {} });
  await db.unsafe('create table bench_copy (like sign_ins including all)');
  const start = performance.now();
  const copyIn = await db`copy bench_copy from stdin`.writable();
  for await (const part of createReadStream(file)) if (!copyIn.write(part)) await once(copyIn, 'drain');
  copyIn.end();
  await finished(copyIn);
  const seconds = (performance.now() - start) / 1000;
  const [{ n }] = await db<{ n: number }[]>`select count(*)::int as n from bench_copy`;
  await db.unsafe('drop table bench_copy');
  await db.end();
  rmSync(file);
  return { rows: n, seconds, rowsPerSecond: n / seconds };
}

/**
 * `count` risky sign-ins for Contoso, generated in SQL (the demo has only a few dozen), for a real
 * export: 5,000 users, one a half second back from now, levels in turn.
 */
export async function addExportRows(databaseUrl: string, count: number): Promise<void> {
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await db.unsafe(`
    insert into sign_ins (tenant_id, id, created_date_time, user_id, user_principal_name, user_display_name, app_display_name,
      ip_address, city, state, country_or_region, latitude, longitude, error_code, risk_level, risk_event_types)
    select t.id, 'bench-export-' || g, now() - g * interval '500 milliseconds', 'bench-u' || (g % 5000),
      'export.user' || (g % 5000) || '@contoso.com', 'Export User ' || (g % 5000), 'Office 365',
      ('10.' || ((g >> 16) & 255) || '.' || ((g >> 8) & 255) || '.' || (g & 255))::inet, 'Berlin', 'Berlin', 'DE', 52.52, 13.4, 0,
      (array['low', 'medium', 'high'])[1 + g % 3], array['unfamiliarFeatures']
    from tenants t, generate_series(1, ${count}) g where t.domain = 'contoso.com'`);
  await db.unsafe('analyze sign_ins');
  await db.end();
}

/**
 * COUNT risk events for Contoso in the last 30 days, written in SQL: the demo raises few (89 for
 * 200,000 sign-ins), where a tenant whose identity provider raises thousands a day has tens of
 * thousands a month. Six types in turn, the demo's users in turn, a tenth closed; then the table is
 * vacuumed and analyzed, as autovacuum would soon do, so reads can come from the indexes alone.
 */
export async function addRiskEvents(databaseUrl: string, count: number): Promise<void> {
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await db.unsafe(`
    with tenant as (select id from tenants where domain = 'contoso.com'),
    users as (select user_id, max(user_principal_name) as upn, max(user_display_name) as display_name, row_number() over (order by user_id) as n
      from sign_ins where tenant_id = (select id from tenant) group by user_id),
    user_count as (select count(*) as n from users)
    insert into risk_events (tenant_id, id, risk_event_type, risk_level, detection_timing_type, activity, dedupe_key, request_id,
      user_id, user_principal_name, user_display_name, ip_address, city, state, country_or_region,
      activity_date_time, detected_date_time, last_updated_date_time, status, risk_detail, closed_at)
    select (select id from tenant), 'bench-event-' || g,
      (array['unfamiliarFeatures', 'unlikelyTravel', 'anonymizedIPAddress', 'malwareInfectedIPAddress', 'suspiciousIPAddress', 'leakedCredentials'])[1 + g % 6],
      (array['low', 'medium', 'high'])[1 + g % 3], 'realtime', 'signin', 'bench-event-' || g, 'bench-event-' || g,
      users.user_id, users.upn, users.display_name, ('198.51.100.' || (1 + g % 250))::inet, 'Seattle', 'Washington', 'US',
      now() - (g % 2592000) * interval '1 second', now() - (g % 2592000) * interval '1 second', now(),
      case when g % 10 = 0 then 'dismissedAsFixed' else 'active' end, 'none',
      case when g % 10 = 0 then now() end
    from generate_series(1, ${count}) g join users on users.n = 1 + g % (select n from user_count)`);
  await db.unsafe('vacuum analyze risk_events');
  await db.end();
}
