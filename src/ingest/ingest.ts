import { SYSTEM, type Actor } from '../actions/audit-record.js';
import type { Db, Queryable } from '../db/client.js';
import type { Tenant } from '../db/schema.js';
import { highestLevel } from '../detection/catalog.js';
import { compareByTimeAndId, detect, type DetectionOutput, type Verdict } from '../detection/engine.js';
import type { DetectionSignIn } from '../detection/types.js';
import { detectLeakedCredentials } from './leaked-events.js';
import { recordAuditInBulk } from './audit-bulk.js';
import { loadDetectionInput } from './context.js';
import { lockTenantForIngestion } from './locks.js';
import { insertRiskEvents, type CreatedRiskEvent, type NewRiskEventRow } from './events.js';
import { enqueueRiskDetections } from '../webhooks/outbox.js';
import { refreshUserRisk } from '../actions/rollups.js';
import { detectionSettingsOf } from './settings.js';
import { insertSignIns, rememberSignInIds, updateProfiles, upsertDirectoryUsers, upsertFamiliarLocations } from './store.js';
import type { SignInRecord } from './types.js';
import { noSkips, skippedTotal, type SkipCounts } from './dialects/shape.js';

export interface IngestOptions {
  /** When detection happens (detectedDateTime); defaults to now. */
  now?: Date;
  actor?: Actor;
  /** Records of the same input that were not user sign-ins: counted in `received` and `skipped`. */
  skipped?: SkipCounts;
}

export interface IngestResult {
  received: number;
  inserted: number;
  duplicates: number;
  /** Risk events the batch created. */
  riskDetections: number;
  /** Records that are not user sign-ins (service principals, managed identities, other logs), by kind. */
  skipped: SkipCounts;
  /** Sign-ins stored with at least one field cut to the text limit. */
  truncated: number;
}

/**
 * Ingests one batch in one transaction (docs/import-formats.md, docs/detection.md): drops duplicates (first one
 * wins), creates or renames directory users, judges the new sign-ins in (time, id) order against
 * the history before each, and stores sign-ins, risk events, profiles and rollups with their audit.
 */
export async function ingestSignIns(db: Db, tenant: Tenant, records: SignInRecord[], options: IngestOptions = {}): Promise<IngestResult> {
  const now = options.now ?? new Date();
  const actor = options.actor ?? SYSTEM;
  const unique = firstOfEachId(records);
  return db.transaction(async (tx) => {
    await lockTenantForIngestion(tx, tenant.id);
    const remembered = unique.length > 0 ? await rememberSignInIds(tx, tenant.id, unique) : new Set<string>();
    const fresh = sortedByTimeAndId(unique.filter((record) => remembered.has(record.id)));
    const skipped = { ...(options.skipped ?? noSkips()) };
    const result = { received: records.length + skippedTotal(skipped), inserted: fresh.length, duplicates: records.length - fresh.length, riskDetections: 0, skipped,
      truncated: fresh.filter((record) => record.truncated?.length).length };
    if (fresh.length === 0) return result;

    const users = latestUsers(fresh);
    const createdUsers = await upsertDirectoryUsers(tx, tenant.id, users);
    // The users' audit first (the log reads users before their detections), sent with the detector's reads.
    const [, input] = await Promise.all([
      auditCreatedUsers(tx, tenant.id, actor, createdUsers, now),
      loadDetectionInput(tx, tenant.id, detectionSettingsOf(tenant.detectionSettings), fresh.map(detectionSignInOf)),
    ]);
    const created = await storeVerdicts(tx, tenant.id, fresh, detect(input), now, actor);

    const firstSeen = new Map<string, Date>();
    for (const record of fresh) if (!firstSeen.has(record.userId)) firstSeen.set(record.userId, record.createdDateTime);
    const isCreated = new Set(createdUsers);
    const newUsers = users.filter((user) => isCreated.has(user.id)).map((user) => ({ ...user, mail: null }));
    created.push(...(await detectLeakedCredentials(tx, tenant.id, newUsers, now, { audit: actor, activityAt: (userId) => firstSeen.get(userId) ?? now })));

    await enqueueRiskDetections(tx, tenant.id, 'riskDetection.created', created.map((event) => event.id), now);
    await refreshUserRisk(tx, tenant.id, created.map((event) => event.userId), now, actor);
    return { ...result, riskDetections: created.length };
  });
}

/**
 * Stores the judged sign-ins, their risk events (each audited as `actor`'s), and what their users'
 * profiles learned; answers the events created. Each write's first chunk (5,000 rows) is sent before
 * this returns its promise, so for a batch that fits one chunk (an evaluation's one sign-in) a
 * statement the caller sends next runs after all of them; later chunks go out as earlier ones answer.
 */
export async function storeVerdicts(tx: Queryable, tenantId: string, fresh: SignInRecord[], output: DetectionOutput, now: Date, actor: Actor): Promise<CreatedRiskEvent[]> {
  const byId = new Map(fresh.map((record) => [record.id, record]));
  // Independent writes, sent together: postgres.js pipelines them on the connection.
  const [, created] = await Promise.all([
    insertSignIns(tx, tenantId, output.verdicts.map((verdict) => storedOf(verdict, byId.get(verdict.signIn.id)!)), now),
    insertRiskEvents(tx, tenantId, output.verdicts.flatMap((verdict) => eventRowsOf(verdict, byId.get(verdict.signIn.id)!)), now, actor),
    updateProfiles(tx, tenantId, output.profiles),
    upsertFamiliarLocations(tx, tenantId, output.learned),
  ]);
  return created;
}

/** Sorts on keys computed once per record rather than once per comparison. */
function sortedByTimeAndId(records: SignInRecord[]): SignInRecord[] {
  const keyed = records.map((record) => ({ at: record.createdDateTime.getTime(), id: record.id, record }));
  return keyed.sort(compareByTimeAndId).map((key) => key.record);
}

function firstOfEachId(records: SignInRecord[]): SignInRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => !seen.has(record.id) && seen.add(record.id));
}

/** Each user of the batch, named as in their latest sign-in of it. */
function latestUsers(sorted: SignInRecord[]): { id: string; userPrincipalName: string; displayName: string | null }[] {
  const users = new Map<string, { id: string; userPrincipalName: string; displayName: string | null }>();
  for (const record of sorted) users.set(record.userId, { id: record.userId, userPrincipalName: record.userPrincipalName, displayName: record.userDisplayName });
  return [...users.values()];
}

/** What the pure rules see of a sign-in. */
export function detectionSignInOf(record: SignInRecord): DetectionSignIn {
  return {
    id: record.id,
    at: record.createdDateTime.getTime(),
    userId: record.userId,
    userPrincipalName: record.userPrincipalName,
    ipAddress: record.ipAddress,
    errorCode: record.errorCode,
    city: record.city,
    state: record.state,
    countryOrRegion: record.countryOrRegion,
    latitude: record.latitude,
    longitude: record.longitude,
  };
}

function storedOf(verdict: Verdict, record: SignInRecord) {
  return {
    record,
    clean: verdict.clean,
    riskLevel: highestLevel(verdict.events.map((event) => event.riskLevel)),
    riskEventTypes: verdict.events.map((event) => event.riskEventType),
  };
}

function eventRowsOf(verdict: Verdict, record: SignInRecord): NewRiskEventRow[] {
  return verdict.events.map((event) => ({
    riskEventType: event.riskEventType,
    dedupeKey: record.id,
    requestId: record.id,
    userId: record.userId,
    userPrincipalName: record.userPrincipalName,
    userDisplayName: record.userDisplayName,
    ipAddress: record.ipAddress,
    city: record.city,
    state: record.state,
    countryOrRegion: record.countryOrRegion,
    latitude: record.latitude,
    longitude: record.longitude,
    activityDateTime: record.createdDateTime,
    evidence: event.evidence,
  }));
}

/** The `user.create` audit entries of the users ingestion created; sent at once. */
export function auditCreatedUsers(db: Queryable, tenantId: string, actor: Actor, userIds: string[], now: Date): Promise<void> {
  return recordAuditInBulk(db, actor, userIds.map((userId) => ({ tenantId, action: 'user.create', targetType: 'user', targetId: userId })), now);
}
