import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { riskEvents, type EvidenceItem } from '../../src/db/schema.js';
import { seedRiskySignIn, type SeedSignIn } from '../helpers/feedback-fixtures.js';

// Premium blade tests: risky sign-ins with one event each, at a chosen time, optionally with evidence.

export const DAY = 86_400_000;

export async function seedEvent(db: Db, tenantId: string, seed: SeedSignIn & { evidence?: EvidenceItem[] }, at: Date) {
  const { evidence, ...signIn } = seed;
  const row = await seedRiskySignIn(db, tenantId, signIn, at);
  if (evidence) await db.update(riskEvents).set({ evidence }).where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.requestId, seed.id)));
  return row;
}

export async function getEvent(db: Db, tenantId: string, id: string) {
  const [row] = await db.select().from(riskEvents).where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.id, id)));
  return row;
}
