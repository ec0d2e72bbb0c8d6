import { recordAudit, type Actor } from '../actions/audit-record.js';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { ActionError } from '../actions/errors.js';
import type { Db } from '../db/client.js';
import { URL_SAFE_ID, URL_SAFE_ID_RULE } from '../db/ids.js';
import type { Tenant } from '../db/schema.js';
import { auditCreatedEvents } from '../ingest/events.js';
import { lockTenantForIngestion } from '../ingest/locks.js';
import { graphRecordsOf } from '../ingest/parse.js';
import { refreshUserRisk } from '../actions/rollups.js';
import { chunk } from '../ingest/sql.js';
import { upsertDirectoryUsers } from '../ingest/store.js';
import { detectLeakedCredentials, type LeakUser } from '../ingest/leaked-events.js';

/** Graph user objects (id, userPrincipalName, displayName, mail) from a JSON array, a Graph page, NDJSON or CSV with a header row. */
export function parseDirectoryUsers(text: string): LeakUser[] {
  const seen = new Map<string, number>();
  return usersOf(text).map((value, index) => {
    const user = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const text = (key: string, required: boolean) => {
      const field = user[key];
      if (field === undefined || field === null || field === '') {
        if (required) throw new ActionError(400, `user ${index}: ${key}: is required`);
        return null;
      }
      if (typeof field !== 'string' || field.includes('\u0000') || field.length > 1024) throw new ActionError(400, `user ${index}: ${key}: must be text without NUL`);
      return field;
    };
    const id = text('id', true)!;
    if (!URL_SAFE_ID.test(id)) throw new ActionError(400, `user ${index}: id: ${URL_SAFE_ID_RULE}`);
    // One upsert statement cannot touch a row twice, and which copy should win is not ours to guess.
    if (seen.has(id)) throw new ActionError(400, `user ${index}: id: "${id}" appears twice (first as user ${seen.get(id)})`);
    seen.set(id, index);
    return { id, userPrincipalName: text('userPrincipalName', true)!, displayName: text('displayName', false), mail: text('mail', false) };
  });
}

function usersOf(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const first = text.trimStart();
    return first.startsWith('{') || first.startsWith('[') ? ndjsonUsersOf(text) : csvUsersOf(text);
  }
  return Array.isArray(parsed) || Array.isArray((parsed as { value?: unknown })?.value) ? graphRecordsOf(parsed) : [parsed];
}

function csvUsersOf(text: string): unknown[] {
  let records: Record<string, string>[];
  try {
    records = parseCsvSync(text, { columns: (header: string[]) => header.map((name) => name.trim()), skip_empty_lines: true, bom: true });
  } catch (error) {
    throw new ActionError(400, `not a JSON array, a Graph page, NDJSON or CSV with a header row (CSV: ${(error as Error).message})`);
  }
  if (records.length > 0 && !('id' in records[0] && 'userPrincipalName' in records[0])) {
    throw new ActionError(400, 'CSV: the header row must name the columns id and userPrincipalName (displayName and mail are optional)');
  }
  return records;
}

function ndjsonUsersOf(text: string): unknown[] {
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line)];
    } catch {
      throw new ActionError(400, `line ${i + 1}: not valid JSON; expected a JSON array, a Graph page {"value": [...]} or one user object a line`);
    }
  });
}

/** Creates or updates directory users; users seen for the first time are judged against the leak list. */
export async function importDirectoryUsers(db: Db, tenant: Tenant, users: LeakUser[], actor: Actor, now = new Date()) {
  return db.transaction(async (tx) => {
    await lockTenantForIngestion(tx, tenant.id);
    const created = new Set(await upsertDirectoryUsers(tx, tenant.id, users));
    for (const part of chunk([...created], 2000)) {
      await recordAudit(tx, actor, part.map((userId) => ({ tenantId: tenant.id, action: 'user.create', targetType: 'user', targetId: userId })), now);
    }
    const events = await detectLeakedCredentials(tx, tenant.id, users.filter((user) => created.has(user.id)), now, { audit: null });
    await auditCreatedEvents(tx, tenant.id, actor, events, now);
    await refreshUserRisk(tx, tenant.id, events.map((event) => event.userId), now, actor);
    return { received: users.length, created: created.size, riskDetections: events.length };
  });
}
