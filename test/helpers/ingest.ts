import { sql } from 'drizzle-orm';
import { createTenant } from '../../src/actions/tenants.js';
import { rows, type Db } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';

let tenants = 0;

/** A fresh tenant with its own domain, so one database serves many scenarios. */
export async function freshTenant(db: Db, edition = 'premium_p2'): Promise<Tenant> {
  tenants++;
  return createTenant(db, { name: `Tenant ${tenants}`, domain: `t${tenants}-${Date.now().toString(36)}.example.com`, edition });
}

export interface EventSummary {
  riskEventType: string;
  requestId: string | null;
  userId: string;
  evidence: unknown;
}

/** A tenant's risk events in a stable order, without ids or detection times. */
export async function eventsOf(db: Db, tenantId: string): Promise<EventSummary[]> {
  return rows<EventSummary>(
    db,
    sql`select risk_event_type as "riskEventType", request_id as "requestId", user_id as "userId", evidence
        from risk_events where tenant_id = ${tenantId}::uuid order by request_id collate "C", risk_event_type collate "C", user_id collate "C"`,
  ).then((found) => found.map((event) => ({ ...event, evidence: typeof event.evidence === 'string' ? JSON.parse(event.evidence) : event.evidence })));
}

export async function countRows(db: Db, table: string, tenantId: string): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId}::uuid`);
  return row.n;
}
