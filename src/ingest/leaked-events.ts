import { sql } from 'drizzle-orm';
import type { Actor } from '../actions/audit-record.js';
import { rows, type Queryable } from '../db/client.js';
import { matchLeakedCredentials, type LeakCandidate } from '../detection/leaked.js';
import { insertRiskEvents, userActivityEvent, type CreatedRiskEvent } from './events.js';
import { jsonParam, tenantParam } from './sql.js';

export interface LeakUser extends LeakCandidate {
  displayName: string | null;
}

/**
 * leakedCredentials for these users against the tenant's leak entries: once per user per entry
 * (the dedupe key), so judging again creates nothing new. `audit` as insertRiskEvents takes it.
 */
export async function detectLeakedCredentials(
  db: Queryable,
  tenantId: string,
  users: LeakUser[],
  now: Date,
  options: { audit: Actor | null; activityAt?: (userId: string) => Date },
): Promise<CreatedRiskEvent[]> {
  const activityAt = options.activityAt ?? (() => now);
  if (users.length === 0) return [];
  const values = [...new Set(users.flatMap((user) => [user.userPrincipalName, user.mail]).filter((v): v is string => !!v).map((v) => v.toLowerCase()))];
  const entries = await rows<{ value: string; source: string }>(
    db,
    sql`select e.value, e.source from json_array_elements_text(${jsonParam(values)}) as k(value)
        join leak_list_entries e on e.tenant_id = ${tenantParam(tenantId)} and e.value = k.value`,
  );
  if (entries.length === 0) return [];
  const sourceOf = new Map(entries.map((entry) => [entry.value, entry.source]));
  const byId = new Map(users.map((user) => [user.id, user]));
  const events = matchLeakedCredentials(users, entries.map((entry) => entry.value)).map(({ userId, entry }) =>
    userActivityEvent(
      byId.get(userId)!,
      {
        riskEventType: 'leakedCredentials',
        dedupeKey: `${userId}:${entry}`,
        evidence: [
          { key: 'list', value: sourceOf.get(entry) ?? 'leaked credentials' },
          { key: 'matchedEntry', value: entry },
        ],
      },
      activityAt(userId),
    ),
  );
  return insertRiskEvents(db, tenantId, events, now, options.audit);
}
