import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { graphConnections, tenants, type Tenant } from '../db/schema.js';

/** Tenants whose scheduled Graph pull is due: never tried yet, or their interval has passed since the last try. */
export async function listTenantsDueForGraphPull(db: Queryable, now: Date): Promise<Tenant[]> {
  const due = await db
    .select({ tenant: tenants })
    .from(graphConnections)
    .innerJoin(tenants, sql`${tenants.id} = ${graphConnections.tenantId}`)
    .where(
      sql`${graphConnections.scheduleMinutes} is not null and (
        (${graphConnections.lastPulledAt} is null and ${graphConnections.lastError} is null)
        or greatest(${graphConnections.lastPulledAt}, ${graphConnections.updatedAt}) + make_interval(mins => ${graphConnections.scheduleMinutes}) <= ${now.toISOString()}::timestamptz)`,
    )
    .orderBy(tenants.domain);
  return due.map((row) => row.tenant);
}
