import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const COVERAGE_DAYS = 7;

export interface TrustedLocationRow {
  id: string;
  name: string;
  version: number;
  createdAt: Date;
  ranges: string[];
  /** Sign-ins of the last COVERAGE_DAYS days from an IP inside any of its ranges. */
  signIns: number;
}

/** The tenant's trusted locations by name, each with its ranges and how many recent sign-ins it covers. */
export async function listTrustedLocations(db: Queryable, tenantId: string, now: Date, id?: string): Promise<TrustedLocationRow[]> {
  const since = new Date(now.getTime() - COVERAGE_DAYS * 86_400_000).toISOString();
  const one = id === undefined ? sql`` : sql`and n.id = ${id}::uuid`;
  const found = await rows<Omit<TrustedLocationRow, 'signIns' | 'createdAt'> & { signIns: number | string; createdAt: Date | string }>(
    db,
    // The join reads the sign-ins of the window by the time index and probes each IP against the
    // ranges' gist index (0001_ip_range_indexes); distinct so overlapping ranges count a sign-in once.
    sql`select n.id, n.name, n.version, n.created_at as "createdAt",
          coalesce((select array_agg(t.cidr::text order by t.cidr) from trusted_locations t where t.tenant_id = n.tenant_id and t.name = n.name), '{}') as ranges,
          coalesce(c.n, 0) as "signIns"
        from trusted_location_names n
        left join (
          select t.name, count(distinct s.id) as n
          from sign_ins s join trusted_locations t on t.tenant_id = s.tenant_id and s.ip_address <<= t.cidr
          where s.tenant_id = ${tenantId}::uuid and s.created_date_time >= ${since}::timestamptz
          group by t.name
        ) c on c.name = n.name
        where n.tenant_id = ${tenantId}::uuid ${one}
        order by n.name`,
  );
  return found.map((row) => ({ ...row, createdAt: new Date(row.createdAt), signIns: Number(row.signIns) }));
}

export async function getTrustedLocation(db: Queryable, tenantId: string, id: string, now: Date): Promise<TrustedLocationRow | null> {
  if (!UUID.test(id)) return null;
  const [location] = await listTrustedLocations(db, tenantId, now, id);
  return location ?? null;
}
