import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import type { Edition } from '../db/schema.js';
import { rows } from '../db/client.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const RETENTION_DAYS: Record<Edition, number> = { free: 7, basic: 7, premium_p1: 30, premium_p2: 90 };

export const CLOSED_EVENT_RETENTION_DAYS = 90;

export interface RetentionResult {
  signIns: number;
  riskEvents: number;
  sessions: number;
  loginAttempts: number;
}

/** sign_in_ids and the profiles on directory users outlive the rows removed here, so nothing is re-judged. */
export async function runRetention(db: Db, now: Date): Promise<RetentionResult> {
  return db.transaction(async (tx) => {
    const signIns = await count(
      tx,
      sql`delete from sign_ins s using tenants t
           where s.tenant_id = t.id
             and s.created_date_time < ${now.toISOString()}::timestamptz - make_interval(days => case t.edition
                   when 'premium_p2' then ${RETENTION_DAYS.premium_p2}::int when 'premium_p1' then ${RETENTION_DAYS.premium_p1}::int
                   else ${RETENTION_DAYS.free}::int end)
         returning 1`,
    );
    const riskEvents = await count(
      tx,
      sql`delete from risk_events where status <> 'active' and closed_at is not null
            and closed_at < ${new Date(now.getTime() - CLOSED_EVENT_RETENTION_DAYS * DAY_MS).toISOString()}::timestamptz returning 1`,
    );
    const sessions = await count(
      tx,
      sql`delete from sessions where created_at < ${new Date(now.getTime() - 7 * DAY_MS).toISOString()}::timestamptz
            or last_verified_at < ${new Date(now.getTime() - 12 * 60 * 60 * 1000).toISOString()}::timestamptz returning 1`,
    );
    const loginAttempts = await count(
      tx,
      sql`delete from login_attempts where attempted_at < ${new Date(now.getTime() - DAY_MS).toISOString()}::timestamptz returning 1`,
    );
    return { signIns, riskEvents, sessions, loginAttempts };
  });
}

async function count(db: Tx, deletion: SQL): Promise<number> {
  const [result] = await rows<{ n: number }>(db, sql`with removed as (${deletion}) select count(*)::int as n from removed`);
  return result.n;
}
