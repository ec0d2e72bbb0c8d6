import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '../actions/audit-record.js';
import { rows, type Queryable } from '../db/client.js';
import type { EvidenceItem, RiskEventType } from '../db/schema.js';
import { RISK_EVENT_KINDS } from '../detection/catalog.js';
import { enqueueRiskDetections } from '../webhooks/outbox.js';
import { auditInsert, recordAuditInBulk } from './audit-bulk.js';
import { chunk, iso, jsonParam } from './sql.js';

/** A risk event to store; it carries its own copy of the sign-in's time, IP and place, which outlive the sign-in's retention. */
export interface NewRiskEventRow {
  riskEventType: RiskEventType;
  dedupeKey: string;
  requestId: string | null;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  ipAddress: string | null;
  city: string | null;
  state: string | null;
  countryOrRegion: string | null;
  latitude: number | null;
  longitude: number | null;
  activityDateTime: Date;
  evidence: EvidenceItem[];
}

/** A risk event of the user rather than of a sign-in: no request, address or place. */
export function userActivityEvent(
  user: { id: string; userPrincipalName: string; displayName: string | null },
  event: { riskEventType: RiskEventType; dedupeKey: string; evidence: EvidenceItem[] },
  activityDateTime: Date,
): NewRiskEventRow {
  return {
    ...event,
    requestId: null,
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    ipAddress: null,
    city: null,
    state: null,
    countryOrRegion: null,
    latitude: null,
    longitude: null,
    activityDateTime,
  };
}

export interface CreatedRiskEvent {
  id: string;
  riskEventType: RiskEventType;
  userId: string;
  requestId: string | null;
}

/** Event ids are derived from the tenant, type and dedupe key, so the same detection always has the same id. */
export function riskEventId(tenantId: string, riskEventType: RiskEventType, dedupeKey: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${riskEventType}\u0000${dedupeKey}`).digest('hex');
}

/**
 * Stores new risk events and answers those created (a detection already stored is left as it is).
 * `audit` is the actor whose `riskEvent.create` entries the same statement writes for the events it
 * created, or null when the caller audits them (auditCreatedEvents).
 */
export async function insertRiskEvents(db: Queryable, tenantId: string, events: NewRiskEventRow[], now: Date, audit: Actor | null): Promise<CreatedRiskEvent[]> {
  const created: CreatedRiskEvent[] = [];
  for (const part of chunk(events, 5000)) {
    const payload = part.map((event) => {
      const kind = RISK_EVENT_KINDS[event.riskEventType];
      return {
        id: riskEventId(tenantId, event.riskEventType, event.dedupeKey),
        type: event.riskEventType,
        level: kind.riskLevel,
        timing: kind.detectionTimingType,
        activity: kind.activity,
        dedupe: event.dedupeKey,
        request: event.requestId,
        user_id: event.userId,
        upn: event.userPrincipalName,
        name: event.userDisplayName,
        ip: event.ipAddress,
        city: event.city,
        state: event.state,
        country: event.countryOrRegion,
        lat: event.latitude,
        lon: event.longitude,
        at: iso(event.activityDateTime),
        detail: event.riskEventType === 'adminConfirmedUserCompromised' ? 'adminConfirmedUserCompromised' : 'none',
        evidence: event.evidence,
      };
    });
    const inserted = await rows<CreatedRiskEvent>(
      db,
      sql`with created as (insert into risk_events (tenant_id, id, risk_event_type, risk_level, detection_timing_type, activity, dedupe_key, request_id,
            user_id, user_principal_name, user_display_name, ip_address, city, state, country_or_region, latitude, longitude,
            activity_date_time, detected_date_time, last_updated_date_time, status, risk_detail, evidence)
          select ${tenantId}::uuid, x.id, x.type, x.level, x.timing, x.activity, x.dedupe, x.request, x.user_id, x.upn, x.name,
            x.ip::inet, x.city, x.state, x.country, x.lat, x.lon, x.at, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz,
            'active', x.detail, x.evidence
          from json_to_recordset(${jsonParam(payload)}) as x(id text, type text, level text, timing text, activity text, dedupe text,
            request text, user_id text, upn text, name text, ip text, city text, state text, country text, lat float8, lon float8,
            at timestamptz, detail text, evidence jsonb)
          on conflict (tenant_id, risk_event_type, dedupe_key) do nothing
          returning id, risk_event_type, user_id, request_id)
          ${audit ? sql`, audited as (${auditInsert(audit, now, createdEventEntries(tenantId))})` : sql``}
          select id, risk_event_type as "riskEventType", user_id as "userId", request_id as "requestId" from created`,
    );
    created.push(...inserted);
  }
  return created;
}

/** The audit entries of the events in the `created` CTE: the same as auditCreatedEvents writes. */
const createdEventEntries = (tenantId: string) =>
  sql`select ${tenantId}::uuid as tenant_id, 'riskEvent.create' as action, 'riskEvent' as target_type, id as target_id, null::jsonb as before,
        jsonb_build_object('riskEventType', risk_event_type, 'status', 'active', 'userId', user_id, 'requestId', request_id) as after
      from created`;

/** One audit entry per created event and its riskDetection.created webhooks, in the same transaction. */
export async function auditCreatedEvents(db: Queryable, tenantId: string, actor: Actor, events: CreatedRiskEvent[], now: Date): Promise<void> {
  // Independent (the audit log, the outbox), sent together: postgres.js pipelines them.
  await Promise.all([
    recordAuditInBulk(
      db,
      actor,
      events.map((event) => ({
        tenantId,
        action: 'riskEvent.create',
        targetType: 'riskEvent',
        targetId: event.id,
        after: { riskEventType: event.riskEventType, status: 'active', userId: event.userId, requestId: event.requestId },
      })),
      now,
    ),
    enqueueRiskDetections(db, tenantId, 'riskDetection.created', events.map((event) => event.id), now),
  ]);
}
