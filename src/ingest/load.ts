import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import { CREDENTIAL_FAILURE_CODES } from '../detection/catalog.js';
import type { CleanSignIn, CredentialFailure, FamiliarLocation, ListMatch, TrustedMatch, UserProfile } from '../detection/types.js';
import { epochMs, iso, jsonParam, tenantParam } from './sql.js';

interface ProfileRow {
  id: string;
  last_clean_sign_in_id: string | null;
  last_clean_at: number | null;
  last_clean_city: string | null;
  last_clean_state: string | null;
  last_clean_country: string | null;
  last_clean_latitude: number | null;
  last_clean_longitude: number | null;
  first_clean_at: number | null;
  clean_count: number;
}

// The batch's ids are joined as a set rather than tested with `in (select json_array_elements_text(...))`:
// for a tenant the statistics do not know yet, PostgreSQL planned that as a semi join re-reading the
// whole array for every row of the tenant (1.2 s for 1,000 ids against 5,000 users, 3 ms joined).
// Each list of ids is distinct, so the join adds no duplicate rows.
// The tenant is tenantParam (sql.ts), so each id is one probe of the index that fits whatever the statistics say.

export async function loadProfiles(db: Queryable, tenantId: string, userIds: string[]): Promise<Map<string, UserProfile>> {
  const found = await rows<ProfileRow>(
    db,
    sql`select u.id, u.last_clean_sign_in_id, ${epochMs(sql`u.last_clean_at`)} as last_clean_at, u.last_clean_city, u.last_clean_state,
          u.last_clean_country, u.last_clean_latitude, u.last_clean_longitude, ${epochMs(sql`u.first_clean_at`)} as first_clean_at, u.clean_count
        from json_array_elements_text(${jsonParam(userIds)}) as k(id) join directory_users u on u.tenant_id = ${tenantParam(tenantId)} and u.id = k.id`,
  );
  return new Map(
    found.map((row) => [
      row.id,
      {
        lastClean:
          row.last_clean_sign_in_id === null || row.last_clean_at === null
            ? null
            : {
                id: row.last_clean_sign_in_id,
                at: row.last_clean_at,
                city: row.last_clean_city,
                state: row.last_clean_state,
                countryOrRegion: row.last_clean_country,
                latitude: row.last_clean_latitude,
                longitude: row.last_clean_longitude,
              },
        firstCleanAt: row.first_clean_at,
        cleanCount: row.clean_count,
      },
    ]),
  );
}

export async function loadFamiliarLocations(db: Queryable, tenantId: string, userIds: string[]): Promise<Map<string, FamiliarLocation[]>> {
  const found = await rows<{ user_id: string; country: string; city: string; lat: number | null; lon: number | null; first: number; last: number; source: 'clean' | 'feedback' }>(
    db,
    sql`select f.user_id, f.country_or_region as country, f.city, f.latitude as lat, f.longitude as lon,
          ${epochMs(sql`f.first_seen_at`)} as first, ${epochMs(sql`f.last_seen_at`)} as last, f.source
        from json_array_elements_text(${jsonParam(userIds)}) as k(id) join familiar_locations f on f.tenant_id = ${tenantParam(tenantId)} and f.user_id = k.id`,
  );
  const byUser = new Map<string, FamiliarLocation[]>();
  for (const row of found) {
    pushTo(byUser, row.user_id, { countryOrRegion: row.country, city: row.city, latitude: row.lat, longitude: row.lon, firstSeenAt: row.first, lastSeenAt: row.last, source: row.source });
  }
  return byUser;
}

interface CleanRow {
  user_id: string;
  id: string;
  at: number;
  city: string | null;
  state: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
}

const cleanOf = (row: CleanRow): CleanSignIn => ({
  id: row.id,
  at: row.at,
  city: row.city,
  state: row.state,
  countryOrRegion: row.country,
  latitude: row.lat,
  longitude: row.lon,
});

/** For late arrivals: each user's stored clean sign-ins at or after `since` (replayed), and the last one with coordinates before it. */
export async function loadCleanHistory(
  db: Queryable,
  tenantId: string,
  since: Map<string, number>,
): Promise<{ replay: Map<string, CleanSignIn[]>; lastBefore: Map<string, CleanSignIn> }> {
  const wanted = jsonParam([...since].map(([user_id, at]) => ({ user_id, at: iso(at) })));
  const columns = sql`s.id, ${epochMs(sql`s.created_date_time`)} as at, s.city, s.state, s.country_or_region as country, s.latitude as lat, s.longitude as lon`;
  // Both reads sent together: postgres.js pipelines them.
  const [later, before] = await Promise.all([
    rows<CleanRow>(
      db,
      sql`select x.user_id, ${columns} from json_to_recordset(${wanted}) as x(user_id text, at timestamptz)
          join sign_ins s on s.tenant_id = ${tenantParam(tenantId)} and s.user_id = x.user_id and s.clean and s.created_date_time >= x.at`,
    ),
    rows<CleanRow>(
      db,
      sql`select x.user_id, l.* from json_to_recordset(${wanted}) as x(user_id text, at timestamptz)
          cross join lateral (
            select ${columns} from sign_ins s
            where s.tenant_id = ${tenantParam(tenantId)} and s.user_id = x.user_id and s.clean and s.created_date_time < x.at
              and s.latitude is not null
            order by s.created_date_time desc, s.id collate "C" desc limit 1
          ) l`,
    ),
  ]);
  const replay = new Map<string, CleanSignIn[]>();
  for (const row of later) pushTo(replay, row.user_id, cleanOf(row));
  return { replay, lastBefore: new Map(before.map((row) => [row.user_id, cleanOf(row)])) };
}

export async function loadListMatches(db: Queryable, ips: string[]): Promise<Map<string, ListMatch[]>> {
  const found = await rows<{ ip: string; kind: 'anonymous' | 'malware'; list: string; entry: string }>(
    db,
    sql`select k.ip, l.kind, l.name as list, e.cidr::text as entry
        from (select distinct value as ip from json_array_elements_text(${jsonParam(ips)})) k
        join ip_list_entries e on k.ip::inet <<= e.cidr
        join ip_lists l on l.id = e.list_id
        order by k.ip, l.kind, l.name, e.cidr`,
  );
  const byIp = new Map<string, ListMatch[]>();
  for (const row of found) pushTo(byIp, row.ip, { kind: row.kind, list: row.list, entry: row.entry });
  return byIp;
}

export async function loadTrustedMatches(db: Queryable, tenantId: string, ips: string[]): Promise<Map<string, TrustedMatch>> {
  const found = await rows<{ ip: string; name: string; entry: string }>(
    db,
    sql`select distinct on (k.ip) k.ip, t.name, t.cidr::text as entry
        from (select distinct value as ip from json_array_elements_text(${jsonParam(ips)})) k
        join trusted_locations t on t.tenant_id = ${tenantParam(tenantId)} and k.ip::inet <<= t.cidr
        order by k.ip, t.name, t.cidr`,
  );
  return new Map(found.map((row) => [row.ip, { name: row.name, entry: row.entry }]));
}

/**
 * Per IP, a lateral subquery the planner cannot flatten (`offset 0`), so each IP is one probe of
 * sign_ins_failures_ip_idx (tenant, IP, time). As a plain join it chose by statistics: when the
 * window was newer than the last ANALYZE (sign-ins arriving at IdP speed) it expected nothing there
 * and scanned the tenant's whole window by time, 4-11 ms for one IP when the last hour held
 * 3,600-30,000 sign-ins, growing with the tenant's rate (0.03 ms now).
 */
export async function loadCredentialFailures(
  db: Queryable,
  tenantId: string,
  ips: string[],
  from: number,
  to: number,
): Promise<Map<string, CredentialFailure[]>> {
  const found = await rows<{ ip: string; id: string; at: number; upn: string }>(
    db,
    sql`select k.ip, f.id, f.at, f.upn
        from (select distinct value as ip from json_array_elements_text(${jsonParam(ips)})) k
        cross join lateral (
          select s.id, ${epochMs(sql`s.created_date_time`)} as at, lower(s.user_principal_name) as upn from sign_ins s
          where s.tenant_id = ${tenantParam(tenantId)} and s.ip_address = k.ip::inet
            and s.error_code in (${sql.raw(CREDENTIAL_FAILURE_CODES.join(', '))})
            and s.created_date_time >= ${iso(from)}::timestamptz and s.created_date_time <= ${iso(to)}::timestamptz
          offset 0
        ) f`,
  );
  const byIp = new Map<string, CredentialFailure[]>();
  for (const row of found) pushTo(byIp, row.ip, { id: row.id, at: row.at, upn: row.upn });
  return byIp;
}

export async function loadUsersWithCleanSince(db: Queryable, tenantId: string, since: Map<string, number>): Promise<Set<string>> {
  const found = await rows<{ user_id: string }>(db, usersWithCleanSince(tenantId, since));
  return new Set(found.map((row) => row.user_id));
}

/** The statement loadUsersWithCleanSince runs; exported so a test can EXPLAIN it. */
export function usersWithCleanSince(tenantId: string, since: Map<string, number>) {
  const wanted = jsonParam([...since].map(([user_id, at]) => ({ user_id, at: iso(at) })));
  return sql`select x.user_id from json_to_recordset(${wanted}) as x(user_id text, at timestamptz)
      where exists (
        select 1 from sign_ins s
        where s.tenant_id = ${tenantParam(tenantId)} and s.user_id = x.user_id and s.created_date_time >= x.at and s.clean
      )`;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
