import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import type { DetectionSettings, EvidenceItem, RiskEventType } from '../db/schema.js';
import type { Verdict } from '../detection/engine.js';
import { DetectorReplay, RecentFailures } from '../detection/replay.js';
import type { DetectionSignIn } from '../detection/types.js';
import { loadListMatches, loadTrustedMatches } from '../ingest/load.js';
import { epochMs } from '../ingest/sql.js';

// The replay preview of /settings/detection: the tenant's retained sign-ins, read in (time, id)
// order by keyset in bounded chunks, judged twice by the pure detector — with the saved thresholds
// and with the draft — and compared per sign-in.

export const REPLAY_CHUNK = 5000;
const EXAMPLES = 5;

/** The types the detector raises on a sign-in (the others come from leak lists and admins). */
export const SIGN_IN_RISK_EVENT_TYPES: readonly RiskEventType[] = [
  'anonymizedIPAddress',
  'malwareInfectedIPAddress',
  'suspiciousIPAddress',
  'unlikelyTravel',
  'unfamiliarFeatures',
];

export interface ReplayExample {
  signInId: string;
  at: Date;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  riskEventType: RiskEventType;
  evidence: EvidenceItem[];
}

export interface ReplayResult {
  signIns: number;
  from: Date | null;
  to: Date | null;
  types: { riskEventType: RiskEventType; now: number; draft: number }[];
  gained: ReplayExample[];
  lost: ReplayExample[];
}

interface Row {
  id: string;
  ts: string;
  at: number;
  user_id: string;
  upn: string;
  ip: string | null;
  error_code: number;
  city: string | null;
  state: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
}

/** NULLS FIRST makes the ORDER BY the exact backward walk of sign_ins_time_idx (DESC NULLS LAST), so each chunk is an index range, not a sort. */
async function readChunk(db: Queryable, tenantId: string, after: { ts: string; id: string } | null, size: number): Promise<Row[]> {
  const from = after ? sql`and (created_date_time, id) > (${after.ts}::timestamptz, ${after.id})` : sql``;
  return rows<Row>(
    db,
    sql`select id, created_date_time::text as ts, ${epochMs(sql`created_date_time`)} as at, user_id, user_principal_name as upn,
          host(ip_address) as ip, error_code, city, state, country_or_region as country,
          latitude as lat, longitude as lon
        from sign_ins where tenant_id = ${tenantId}::uuid ${from}
        order by created_date_time nulls first, id nulls first limit ${size}`,
  );
}

const signInOf = (row: Row): DetectionSignIn => ({
  id: row.id,
  at: row.at,
  userId: row.user_id,
  userPrincipalName: row.upn,
  ipAddress: row.ip,
  errorCode: row.error_code,
  city: row.city,
  state: row.state,
  countryOrRegion: row.country,
  latitude: row.lat,
  longitude: row.lon,
});

function keepLatest(examples: ReplayExample[], example: ReplayExample): void {
  examples.unshift(example);
  if (examples.length > EXAMPLES) examples.pop();
}

/** Replays every retained sign-in of the tenant with both sets of thresholds, holding one chunk in memory at a time. */
export async function replayDetection(
  db: Queryable,
  tenantId: string,
  current: DetectionSettings,
  draft: DetectionSettings,
  chunkSize = REPLAY_CHUNK,
): Promise<ReplayResult> {
  const now = new DetectorReplay(current);
  const next = new DetectorReplay(draft);
  const failures = new RecentFailures(Math.max(current.sprayWindowMinutes, draft.sprayWindowMinutes) * 60_000);
  const counts = new Map(SIGN_IN_RISK_EVENT_TYPES.map((type) => [type, { now: 0, draft: 0 }]));
  const result: ReplayResult = { signIns: 0, from: null, to: null, types: [], gained: [], lost: [] };
  // The next chunk is read while this one is judged: at most two chunks are in memory.
  let pending = readChunk(db, tenantId, null, chunkSize);
  for (;;) {
    const chunk = await pending;
    if (chunk.length === 0) break;
    const last = chunk[chunk.length - 1];
    pending = chunk.length < chunkSize ? Promise.resolve([]) : readChunk(db, tenantId, { ts: last.ts, id: last.id }, chunkSize);
    // Awaited on the next turn; this only keeps a failure there from being reported as unhandled meanwhile.
    pending.catch(() => {});
    const signIns = chunk.map(signInOf);
    const ips = [...new Set(signIns.filter((s) => s.errorCode === 0 && s.ipAddress !== null).map((s) => s.ipAddress!))];
    const [listMatches, trusted] = ips.length === 0 ? [new Map(), new Map()] : await Promise.all([loadListMatches(db, ips), loadTrustedMatches(db, tenantId, ips)]);
    const recent = failures.before(signIns[0].at);
    const before = now.judge(signIns, { listMatches, trusted }, recent);
    const with_ = next.judge(signIns, { listMatches, trusted }, recent);
    failures.remember(signIns);
    compare(chunk, before, with_, counts, result);
    result.signIns += chunk.length;
    result.from ??= new Date(chunk[0].at);
    result.to = new Date(last.at);
  }
  await nameExamples(db, tenantId, [...result.gained, ...result.lost]);
  result.types = SIGN_IN_RISK_EVENT_TYPES.map((riskEventType) => ({ riskEventType, ...counts.get(riskEventType)! }));
  return result;
}

/** Display names are read for the few examples only, not for every replayed row. */
async function nameExamples(db: Queryable, tenantId: string, examples: ReplayExample[]): Promise<void> {
  if (examples.length === 0) return;
  const found = await rows<{ id: string; display_name: string | null }>(
    db,
    sql`select id, display_name from directory_users
        where tenant_id = ${tenantId}::uuid and id in (${sql.join([...new Set(examples.map((e) => e.userId))].map((id) => sql`${id}`), sql`, `)})`,
  );
  const names = new Map(found.map((row) => [row.id, row.display_name]));
  for (const example of examples) example.userDisplayName = names.get(example.userId) ?? null;
}

/** Verdicts come back in the chunk's (time, id) order from both detectors, so they pair up by position. */
function compare(chunk: Row[], before: Verdict[], after: Verdict[], counts: Map<RiskEventType, { now: number; draft: number }>, result: ReplayResult): void {
  const byId = new Map(chunk.map((row) => [row.id, row]));
  for (let i = 0; i < before.length; i++) {
    const a = before[i].events;
    const b = after[i].events;
    if (a.length === 0 && b.length === 0) continue;
    for (const event of a) counts.get(event.riskEventType)!.now++;
    for (const event of b) counts.get(event.riskEventType)!.draft++;
    const row = byId.get(before[i].signIn.id)!;
    const example = (type: RiskEventType, evidence: EvidenceItem[]): ReplayExample => ({
      signInId: row.id,
      at: new Date(row.at),
      userId: row.user_id,
      userPrincipalName: row.upn,
      userDisplayName: null,
      riskEventType: type,
      evidence,
    });
    for (const event of b) if (!a.some((e) => e.riskEventType === event.riskEventType)) keepLatest(result.gained, example(event.riskEventType, event.evidence));
    for (const event of a) if (!b.some((e) => e.riskEventType === event.riskEventType)) keepLatest(result.lost, example(event.riskEventType, event.evidence));
  }
}
