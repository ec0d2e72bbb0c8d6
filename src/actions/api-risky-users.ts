import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { URL_SAFE_ID, URL_SAFE_ID_RULE } from '../db/ids.js';
import { directoryUsers } from '../db/schema.js';
import type { Actor } from './audit-record.js';
import { ActionError } from './errors.js';
import { idList } from './rollups.js';
import { closeAllActive, confirmLockedUserCompromised, lockUserAndActiveEvents, recordUserPasswordChange, type UserActionInput } from './user-risk.js';

// POST /api/v1/risky-users/{dismiss,confirmCompromised,passwordChanged}: the user blade's actions
// for many users at once, all or nothing, without the page's version check.

export const RISKY_USER_ACTIONS = ['dismiss', 'confirmCompromised', 'passwordChanged'] as const;
export type RiskyUserAction = (typeof RISKY_USER_ACTIONS)[number];
export const MAX_USER_IDS = 1000;

const APPLY: Record<RiskyUserAction, (tx: Tx, input: UserActionInput) => Promise<unknown>> = {
  // A user without active events has nothing to dismiss: that is not an error for a batch.
  dismiss: async (tx, input) => {
    const { events } = await lockUserAndActiveEvents(tx, input);
    return closeAllActive(tx, input, events, 'dismissAll');
  },
  confirmCompromised: async (tx, input) => {
    const { user } = await lockUserAndActiveEvents(tx, input);
    return confirmLockedUserCompromised(tx, user, input);
  },
  passwordChanged: recordUserPasswordChange,
};

export function parseUserIds(body: unknown): string[] {
  const ids = typeof body === 'object' && body !== null ? (body as { userIds?: unknown }).userIds : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_USER_IDS) throw new ActionError(400, `userIds must be an array of 1 to ${MAX_USER_IDS} user ids`);
  ids.forEach((id, index) => {
    if (typeof id !== 'string' || !URL_SAFE_ID.test(id)) throw new ActionError(400, `userIds[${index}] ${URL_SAFE_ID_RULE}`);
  });
  return [...new Set(ids as string[])].sort();
}

export function applyToRiskyUsers(db: Db, input: { tenantId: string; userIds: string[]; action: RiskyUserAction; actor: Actor; now: Date }): Promise<void> {
  const { tenantId, userIds, actor, now } = input;
  return db.transaction(async (tx) => {
    const found = await tx
      .select({ id: directoryUsers.id })
      .from(directoryUsers)
      .where(and(eq(directoryUsers.tenantId, tenantId), sql`${directoryUsers.id} = any(${idList(userIds)})`));
    const known = new Set(found.map((user) => user.id));
    const unknown = userIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new ActionError(404, `Unknown userIds: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''}.`);
    // In id order, so two batches over the same users lock them in the same order.
    for (const userId of userIds) await APPLY[input.action](tx, { tenantId, userId, version: null, actor, now });
  });
}
