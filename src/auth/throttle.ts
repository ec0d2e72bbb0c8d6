import { and, count, eq, gt, lt, max, type SQL } from 'drizzle-orm';
import { ActionError } from '../actions/errors.js';
import type { Queryable } from '../db/client.js';
import { loginAttempts } from '../db/schema.js';

// Login throttling (docs/security.md), kept in login_attempts so it holds across instances and
// restarts. Per account (email) and per connecting IP, over a sliding 15-minute window:
//   failures 1-5 are answered at once; once 5 failures are on record the next attempt must wait
//   30 s after the last failure, then 1, 2, 4, 8 min, capped at 15 min (30 s × 2^(n-5)).
// A success resets the account's count (failures before it no longer count); it does not reset the
// IP's, or one valid account would let an attacker wash a sprayed IP clean.

export const FREE_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
export const BASE_DELAY_MS = 30 * 1000;
export const MAX_DELAY_MS = 15 * 60 * 1000;
export const KEEP_ATTEMPTS_MS = 24 * 60 * 60 * 1000;

export function delayAfterFailures(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}

export type AttemptStart = { attemptId: number; retryAfterSeconds?: undefined } | { attemptId?: undefined; retryAfterSeconds: number };

/**
 * Starts an attempt. The row is written first, as a failure until proven otherwise, and only the
 * attempts before it are counted: parallel guesses cannot all slip through the same check.
 * Returns the wait in seconds instead when the account or the IP is throttled.
 */
export async function beginLoginAttempt(db: Queryable, email: string, ipAddress: string, now: Date): Promise<AttemptStart> {
  const key = email.slice(0, 320);
  const [row] = await db
    .insert(loginAttempts)
    .values({ email: key, ipAddress, succeeded: false, attemptedAt: now })
    .returning({ id: loginAttempts.id });
  const since = new Date(now.getTime() - WINDOW_MS);
  const [lastSuccess] = await db
    .select({ id: max(loginAttempts.id) })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, key), eq(loginAttempts.succeeded, true)));
  const account = await failuresBefore(db, row.id, since, and(eq(loginAttempts.email, key), gt(loginAttempts.id, lastSuccess?.id ?? 0)));
  const ip = await failuresBefore(db, row.id, since, eq(loginAttempts.ipAddress, ipAddress));
  const waitMs = Math.max(waitFor(account, now), waitFor(ip, now));
  if (waitMs <= 0) return { attemptId: row.id };
  await db.delete(loginAttempts).where(eq(loginAttempts.id, row.id));
  return { retryAfterSeconds: Math.ceil(waitMs / 1000) };
}

export async function succeedLoginAttempt(db: Queryable, attemptId: number): Promise<void> {
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** The password was right but a second factor is still to come: the attempt neither fails nor resets. */
export async function withdrawLoginAttempt(db: Queryable, attemptId: number): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.id, attemptId));
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;
let lastPrunedAt = 0;

/** At most once an hour per process, since it scans the table. */
export async function pruneLoginAttempts(db: Queryable, now: Date): Promise<void> {
  if (Math.abs(now.getTime() - lastPrunedAt) < PRUNE_EVERY_MS) return;
  lastPrunedAt = now.getTime();
  await db.delete(loginAttempts).where(lt(loginAttempts.attemptedAt, new Date(now.getTime() - KEEP_ATTEMPTS_MS)));
}

interface Failures {
  failures: number;
  lastAt: Date | null;
}

async function failuresBefore(db: Queryable, attemptId: number, since: Date, scope: SQL | undefined): Promise<Failures> {
  const [result] = await db
    .select({ failures: count(), lastAt: max(loginAttempts.attemptedAt) })
    .from(loginAttempts)
    .where(and(scope, eq(loginAttempts.succeeded, false), gt(loginAttempts.attemptedAt, since), lt(loginAttempts.id, attemptId)));
  return { failures: Number(result?.failures ?? 0), lastAt: result?.lastAt ? new Date(result.lastAt) : null };
}

function waitFor({ failures, lastAt }: Failures, now: Date): number {
  if (!lastAt) return 0;
  return lastAt.getTime() + delayAfterFailures(failures) - now.getTime();
}

/** Thrown where a throttled check sits inside an action; routes answer 429 with Retry-After. */
export class ThrottledError extends ActionError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, `Too many failed attempts. Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'} and try again.`);
  }
}
