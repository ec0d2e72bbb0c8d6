import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { riskEvents } from '../../src/db/schema.js';

export const DAY = 86_400_000;

export async function getEvent(db: Db, tenantId: string, id: string) {
  const [row] = await db.select().from(riskEvents).where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.id, id)));
  return row;
}
