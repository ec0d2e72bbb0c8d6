import { sql } from 'drizzle-orm';
import { rows, send, type Queryable } from '../db/client.js';
import type { RiskEventType, RiskLevel } from '../db/schema.js';
import type { FamiliarLocation, UserProfile } from '../detection/types.js';
import { chunk, executeInChunks, iso, jsonParam, tenantParam } from './sql.js';
import type { SignInRecord } from './types.js';

export interface StoredSignIn {
  record: SignInRecord;
  clean: boolean;
  riskLevel: RiskLevel | null;
  riskEventTypes: RiskEventType[];
}

/** The sign-in's time as the source gave it, to the microsecond PostgreSQL keeps (a Date stops at the millisecond). */
export function exactTime(record: SignInRecord): string {
  const ms = iso(record.createdDateTime);
  return record.microseconds ? `${ms.slice(0, -1)}${String(record.microseconds).padStart(3, '0')}Z` : ms;
}

/**
 * Remembers the batch's ids past retention and answers those not seen before: the duplicate check
 * and the insert in one statement (`on conflict do nothing returning`), so ids travel once.
 */
export async function rememberSignInIds(db: Queryable, tenantId: string, records: SignInRecord[]): Promise<Set<string>> {
  const answers = await executeInChunks(records, 10_000, (part) => {
    const payload = part.map((record) => ({ id: record.id, at: exactTime(record) }));
    return rows<{ id: string }>(
      db,
      sql`insert into sign_in_ids (tenant_id, id, created_date_time)
          select ${tenantId}::uuid, x.id, x.at from json_to_recordset(${jsonParam(payload)}) as x(id text, at timestamptz)
          on conflict (tenant_id, id) do nothing
          returning id`,
    );
  });
  return new Set(answers.flat().map((row) => row.id));
}

/** Stores sign-ins with their risk summary; their ids are already remembered (rememberSignInIds). */
export async function insertSignIns(db: Queryable, tenantId: string, signIns: StoredSignIn[], now: Date): Promise<void> {
  await executeInChunks(signIns, 5000, (part) => {
    const payload = part.map(({ record: r, clean, riskLevel, riskEventTypes }) => ({
      id: r.id,
      at: exactTime(r),
      user_id: r.userId,
      upn: r.userPrincipalName,
      name: r.userDisplayName,
      app: r.appDisplayName,
      client: r.clientAppUsed,
      ip: r.ipAddress,
      code: r.errorCode,
      reason: r.failureReason,
      city: r.city,
      state: r.state,
      country: r.countryOrRegion,
      lat: r.latitude,
      lon: r.longitude,
      browser: r.browser,
      os: r.operatingSystem,
      ua: r.userAgent ?? null,
      corr: r.correlationId ?? null,
      app_id: r.appId ?? null,
      interactive: r.isInteractive ?? null,
      ca: r.conditionalAccessStatus ?? null,
      auth: r.authenticationRequirement ?? null,
      entra_level: r.riskLevelDuringSignIn ?? null,
      entra_state: r.riskState ?? null,
      cut: r.truncated ?? null,
      clean,
      level: riskLevel,
      types: riskLevel === null ? null : `{${riskEventTypes.join(',')}}`,
    }));
    return send(db.execute(
      sql`insert into sign_ins (tenant_id, id, created_date_time, user_id, user_principal_name, user_display_name, app_display_name,
            client_app_used, ip_address, error_code, failure_reason, city, state, country_or_region, latitude, longitude, browser,
            operating_system, user_agent, correlation_id, app_id, is_interactive, conditional_access_status, authentication_requirement,
            entra_risk_level_during_sign_in, entra_risk_state, truncated_fields, clean, risk_level, risk_event_types, risk_status, risk_updated_at)
          select ${tenantId}::uuid, x.id, x.at, x.user_id, x.upn, x.name, x.app, x.client, x.ip::inet, x.code, x.reason, x.city, x.state,
            x.country, x.lat, x.lon, x.browser, x.os, x.ua, x.corr, x.app_id, x.interactive, x.ca, x.auth, x.entra_level, x.entra_state, x.cut,
            x.clean, x.level, x.types::text[],
            case when x.level is null then null else 'active' end,
            case when x.level is null then null else ${now.toISOString()}::timestamptz end
          from json_to_recordset(${jsonParam(payload)}) as x(id text, at timestamptz, user_id text, upn text, name text, app text,
            client text, ip text, code int, reason text, city text, state text, country text, lat float8, lon float8, browser text,
            os text, ua text, corr text, app_id text, interactive boolean, ca text, auth text, entra_level text, entra_state text, cut text[],
            clean boolean, level text, types text)`,
    ));
  });
}

/** A known user takes the name of their latest sign-in; a missing display name or mail keeps the one stored. */
const RENAME_ON_CONFLICT = sql`on conflict (tenant_id, id) do update set
    user_principal_name = excluded.user_principal_name,
    display_name = coalesce(excluded.display_name, directory_users.display_name),
    mail = coalesce(excluded.mail, directory_users.mail)
  where directory_users.user_principal_name is distinct from excluded.user_principal_name
     or (excluded.display_name is not null and directory_users.display_name is distinct from excluded.display_name)
     or (excluded.mail is not null and directory_users.mail is distinct from excluded.mail)`;

/**
 * rememberSignInIds and upsertDirectoryUsers for one sign-in in one statement: its user is created or
 * renamed only when the sign-in is new. Answers whether it is new and whether its user was created.
 */
export async function rememberSignInAndUser(db: Queryable, tenantId: string, record: SignInRecord): Promise<{ fresh: boolean; createdUser: boolean }> {
  const [answer] = await rows<{ fresh: boolean; created_user: boolean }>(
    db,
    sql`with remembered as (
          insert into sign_in_ids (tenant_id, id, created_date_time) values (${tenantId}::uuid, ${record.id}, ${exactTime(record)}::timestamptz)
          on conflict (tenant_id, id) do nothing
          returning id
        ), upserted as (
          insert into directory_users (tenant_id, id, user_principal_name, display_name, mail)
          select ${tenantId}::uuid, ${record.userId}, ${record.userPrincipalName}, ${record.userDisplayName}, null::text from remembered
          ${RENAME_ON_CONFLICT}
          returning (xmax::text = '0') as inserted
        )
        select exists (select 1 from remembered) as fresh, coalesce((select inserted from upserted), false) as created_user`,
  );
  return { fresh: answer.fresh, createdUser: answer.created_user };
}

/**
 * Creates users first seen in this batch and renames known ones; answers the ids of those created.
 * Users are named as in their latest sign-in of the batch.
 */
export async function upsertDirectoryUsers(
  db: Queryable,
  tenantId: string,
  users: { id: string; userPrincipalName: string; displayName: string | null; mail?: string | null }[],
): Promise<string[]> {
  const created: string[] = [];
  for (const part of chunk(users, 5000)) {
    const payload = part.map((user) => ({ id: user.id, upn: user.userPrincipalName, name: user.displayName, mail: user.mail ?? null }));
    // Users stored under these names already are left out before the insert: on a conflict
    // PostgreSQL locks the row even when the update's condition then skips it, a write per known user
    // of every batch (11 ms a batch of 1,000 through the API); the probe only reads.
    const found = await rows<{ id: string; inserted: boolean }>(
      db,
      sql`insert into directory_users (tenant_id, id, user_principal_name, display_name, mail)
          select ${tenantId}::uuid, x.id, x.upn, x.name, x.mail from json_to_recordset(${jsonParam(payload)}) as x(id text, upn text, name text, mail text)
          where not exists (
            select 1 from directory_users d
            where d.tenant_id = ${tenantParam(tenantId)} and d.id = x.id and d.user_principal_name = x.upn
              and (x.name is null or d.display_name = x.name) and (x.mail is null or d.mail = x.mail)
          )
          ${RENAME_ON_CONFLICT}
          returning id, (xmax::text = '0') as inserted`,
    );
    created.push(...found.filter((row) => row.inserted).map((row) => row.id));
  }
  return created;
}

export async function updateProfiles(db: Queryable, tenantId: string, profiles: Map<string, UserProfile>): Promise<void> {
  const payload = [...profiles].map(([userId, p]) => ({
    user_id: userId,
    id: p.lastClean?.id ?? null,
    at: p.lastClean ? iso(p.lastClean.at) : null,
    city: p.lastClean?.city ?? null,
    state: p.lastClean?.state ?? null,
    country: p.lastClean?.countryOrRegion ?? null,
    lat: p.lastClean?.latitude ?? null,
    lon: p.lastClean?.longitude ?? null,
    first: p.firstCleanAt === null ? null : iso(p.firstCleanAt),
    count: p.cleanCount,
  }));
  for (const part of chunk(payload, 5000)) {
    await send(db.execute(
      sql`update directory_users u set last_clean_sign_in_id = x.id, last_clean_at = x.at, last_clean_city = x.city,
            last_clean_state = x.state, last_clean_country = x.country, last_clean_latitude = x.lat, last_clean_longitude = x.lon,
            first_clean_at = x.first, clean_count = x.count
          from json_to_recordset(${jsonParam(part)}) as x(user_id text, id text, at timestamptz, city text, state text, country text,
            lat float8, lon float8, first timestamptz, count int)
          where u.tenant_id = ${tenantParam(tenantId)} and u.id = x.user_id`,
    ));
  }
}

/** Adds or widens familiar locations; a location taught by feedback stays marked so. */
export async function upsertFamiliarLocations(db: Queryable, tenantId: string, learned: Map<string, FamiliarLocation[]>): Promise<void> {
  const payload = [...learned].flatMap(([userId, locations]) =>
    locations.map((l) => ({
      user_id: userId,
      country: l.countryOrRegion,
      city: l.city,
      lat: l.latitude,
      lon: l.longitude,
      source: l.source,
      first: iso(l.firstSeenAt),
      last: iso(l.lastSeenAt),
    })),
  );
  for (const part of chunk(payload, 5000)) {
    await send(db.execute(
      sql`insert into familiar_locations (tenant_id, user_id, country_or_region, city, latitude, longitude, source, first_seen_at, last_seen_at)
          select ${tenantId}::uuid, x.user_id, x.country, x.city, x.lat, x.lon, x.source, x.first, x.last
          from json_to_recordset(${jsonParam(part)}) as x(user_id text, country text, city text, lat float8, lon float8, source text,
            first timestamptz, last timestamptz)
          on conflict (tenant_id, user_id, country_or_region, city) do update set
            latitude = coalesce(excluded.latitude, familiar_locations.latitude),
            longitude = coalesce(excluded.longitude, familiar_locations.longitude),
            first_seen_at = least(familiar_locations.first_seen_at, excluded.first_seen_at),
            last_seen_at = greatest(familiar_locations.last_seen_at, excluded.last_seen_at)`,
    ));
  }
}
