import { and, count, eq } from 'drizzle-orm';
import { recomputeSignInRisk, recomputeUserRisk } from '../../src/actions/rollups.js';
import type { Db } from '../../src/db/client.js';
import {
  auditLog,
  directoryUsers,
  familiarLocations,
  riskEvents,
  signIns,
  type EventStatus,
  type EvidenceItem,
  type NewSignIn,
  type RiskEventType,
  type RiskLevel,
} from '../../src/db/schema.js';

// Risky sign-ins written straight into the tables, so feedback tests do not depend on ingestion.

export interface SeedEvent {
  id?: string;
  type?: RiskEventType;
  level?: RiskLevel;
  status?: EventStatus;
  riskDetail?: string;
}

export interface SeedSignIn extends Partial<NewSignIn> {
  id: string;
  userId?: string;
  events: SeedEvent[];
  /** Given to every event of the sign-in. */
  evidence?: EvidenceItem[];
}

const DETAIL: Record<EventStatus, string> = {
  active: 'none',
  dismissedAsFixed: 'none',
  dismissedAsFalsePositive: 'adminConfirmedSigninSafe',
  dismissedAsIgnore: 'none',
  remediated: 'adminGeneratedTemporaryPassword',
};

export async function seedRiskySignIn(db: Db, tenantId: string, seed: SeedSignIn, at = new Date('2026-11-26T10:00:00Z')) {
  const { events, evidence, ...row } = seed;
  const userId = seed.userId ?? 'user-1';
  const upn = seed.userPrincipalName ?? `${userId}@contoso.example`;
  await db
    .insert(directoryUsers)
    .values({ tenantId, id: userId, userPrincipalName: upn, displayName: seed.userDisplayName ?? userId })
    .onConflictDoNothing();
  await db.insert(signIns).values({
    tenantId,
    createdDateTime: at,
    userPrincipalName: upn,
    ipAddress: '203.0.113.7',
    city: 'Lyon',
    countryOrRegion: 'FR',
    latitude: 45.76,
    longitude: 4.84,
    ...row,
    userId,
  });
  const [signIn] = await db.select().from(signIns).where(and(eq(signIns.tenantId, tenantId), eq(signIns.id, seed.id)));
  if (events.length === 0) return signIn;
  await db.insert(riskEvents).values(
    events.map((event, index) => {
      const status = event.status ?? 'active';
      return {
        tenantId,
        id: event.id ?? `${seed.id}-e${index + 1}`,
        riskEventType: event.type ?? (index === 0 ? 'unfamiliarFeatures' : 'anonymizedIPAddress'),
        riskLevel: event.level ?? 'medium',
        detectionTimingType: 'realtime' as const,
        activity: 'signin' as const,
        dedupeKey: seed.id,
        requestId: seed.id,
        userId,
        userPrincipalName: upn,
        ipAddress: signIn.ipAddress,
        city: signIn.city,
        state: signIn.state,
        countryOrRegion: signIn.countryOrRegion,
        latitude: signIn.latitude,
        longitude: signIn.longitude,
        activityDateTime: at,
        detectedDateTime: at,
        lastUpdatedDateTime: new Date(at.getTime() + index),
        status,
        riskDetail: event.riskDetail ?? DETAIL[status],
        closedAt: status === 'active' ? null : at,
        ...(evidence ? { evidence } : {}),
      };
    }),
  );
  await recomputeSignInRisk(db, tenantId, [seed.id]);
  await recomputeUserRisk(db, tenantId, [userId], at);
  return getSignIn(db, tenantId, seed.id);
}

export async function getSignIn(db: Db, tenantId: string, id: string) {
  const [row] = await db.select().from(signIns).where(and(eq(signIns.tenantId, tenantId), eq(signIns.id, id)));
  return row;
}

export function eventsOfSignIn(db: Db, tenantId: string, signInId: string) {
  return db
    .select()
    .from(riskEvents)
    .where(and(eq(riskEvents.tenantId, tenantId), eq(riskEvents.requestId, signInId)))
    .orderBy(riskEvents.id);
}

export async function getUser(db: Db, tenantId: string, id: string) {
  const [row] = await db.select().from(directoryUsers).where(and(eq(directoryUsers.tenantId, tenantId), eq(directoryUsers.id, id)));
  return row;
}

export async function auditCount(db: Db, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.tenantId, tenantId));
  return row.n;
}

export function auditOf(db: Db, tenantId: string, targetId: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.targetId, targetId)))
    .orderBy(auditLog.id);
}

export function familiarOf(db: Db, tenantId: string, userId: string) {
  return db
    .select()
    .from(familiarLocations)
    .where(and(eq(familiarLocations.tenantId, tenantId), eq(familiarLocations.userId, userId)));
}
