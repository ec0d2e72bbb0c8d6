import { and, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { signIns } from '../db/schema.js';
import type { Actor } from './audit-record.js';
import { applyFeedback, lockRiskySignIns, lockSignInEvents, type FeedbackResult } from './feedback.js';
import type { FeedbackAction } from './event-status.js';

export const BULK_CHUNK = 500;

export interface BulkFeedbackInput {
  tenantId: string;
  signInIds?: readonly string[];
  /** "All matching the filter": a condition on sign_ins, e.g. the list's filters. */
  filterSql?: SQL;
  action: FeedbackAction;
  actor: Actor;
  now: Date;
  chunkSize?: number;
}

export interface BulkFeedbackResult extends FeedbackResult {
  notFound: number;
}

/**
 * Feedback on many risky sign-ins, one transaction per chunk so a large selection neither holds
 * locks for long nor is lost entirely on a failure. Sign-ins none of whose events allow the action
 * are skipped; there is no version check, as the admin chose the rows by id or by filter.
 */
export async function giveBulkFeedback(db: Db, input: BulkFeedbackInput): Promise<BulkFeedbackResult> {
  const total: BulkFeedbackResult = { changed: 0, skipped: 0, notFound: 0 };
  const size = input.chunkSize ?? BULK_CHUNK;
  const add = (part: BulkFeedbackResult) => {
    total.changed += part.changed;
    total.skipped += part.skipped;
    total.notFound += part.notFound;
  };
  if (input.signInIds) {
    const ids = [...new Set(input.signInIds)];
    for (let start = 0; start < ids.length; start += size) add(await feedbackChunk(db, input, ids.slice(start, start + size)));
  }
  if (input.filterSql) {
    for await (const ids of matchingChunks(db, input.tenantId, input.filterSql, size)) add(await feedbackChunk(db, input, ids));
  }
  return total;
}

/** Changed and skipped count sign-ins: one is changed when at least one of its events changed. */
function feedbackChunk(db: Db, input: BulkFeedbackInput, ids: string[]): Promise<BulkFeedbackResult> {
  const { tenantId, action, actor, now } = input;
  return db.transaction(async (tx) => {
    const found = await lockRiskySignIns(tx, tenantId, ids);
    const events = await lockSignInEvents(tx, tenantId, found.map((signIn) => signIn.id));
    const changed = await applyFeedback(tx, tenantId, events, action, actor, now);
    const changedSignIns = new Set(changed.map((event) => event.requestId)).size;
    return { changed: changedSignIns, skipped: found.length - changedSignIns, notFound: ids.length - found.length };
  });
}

/**
 * The ids of the risky sign-ins matching the filter, newest first, a chunk at a time. Keyset
 * pagination, so rows the previous chunk changed (and that may no longer match) do not shift it.
 */
async function* matchingChunks(db: Db, tenantId: string, filterSql: SQL, size: number): AsyncGenerator<string[]> {
  // The time as text keeps PostgreSQL's microseconds, which a JS Date would round.
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const keyset: SQL | undefined = after
      ? sql`(${signIns.createdDateTime}, ${signIns.id}) < (${after.at}::timestamptz, ${after.id})`
      : undefined;
    const page = await db
      .select({ id: signIns.id, at: sql<string>`${signIns.createdDateTime}::text` })
      .from(signIns)
      .where(and(eq(signIns.tenantId, tenantId), isNotNull(signIns.riskLevel), filterSql, keyset))
      .orderBy(desc(signIns.createdDateTime), desc(signIns.id))
      .limit(size);
    if (page.length === 0) return;
    yield page.map((row) => row.id);
    if (page.length < size) return;
    after = page[page.length - 1];
  }
}
