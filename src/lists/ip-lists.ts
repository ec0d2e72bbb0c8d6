import { sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../actions/audit-record.js';
import { ActionError } from '../actions/errors.js';
import { rows, type Db, type Queryable } from '../db/client.js';
import type { Tenant } from '../db/schema.js';
import { chunk, jsonParam } from '../ingest/sql.js';

export interface ListImportResult {
  list: string;
  entries: number;
  added: number;
  removed: number;
}

export const GLOBAL_LIST_KINDS = ['anonymous', 'malware'] as const;
export type GlobalListKind = (typeof GLOBAL_LIST_KINDS)[number];

/** Imports a global anonymous or malware list: appends idempotently, or with `replace` makes the list exactly these entries. */
export async function importIpList(
  db: Db,
  input: { kind: string; name: string; entries: string[]; replace?: boolean },
): Promise<ListImportResult> {
  if (!(GLOBAL_LIST_KINDS as readonly string[]).includes(input.kind)) throw new ActionError(400, `kind must be anonymous, malware or trusted, got "${input.kind}"`);
  const name = requireName(input.name);
  return db.transaction(async (tx) => {
    const [list] = await rows<{ id: string }>(
      tx,
      sql`insert into ip_lists (kind, name) values (${input.kind}, ${name})
          on conflict (kind, name) do update set updated_at = now() returning id`,
    );
    const removed = input.replace ? await countRows(tx, sql`delete from ip_list_entries where list_id = ${list.id}::uuid returning 1`) : 0;
    let added = 0;
    for (const part of chunk(input.entries, 10_000)) {
      added += await countRows(
        tx,
        sql`insert into ip_list_entries (list_id, cidr)
            select ${list.id}::uuid, network(value::inet) from json_array_elements_text(${jsonParam(part)})
            on conflict do nothing returning 1`,
      );
    }
    return { list: `${input.kind}/${name}`, entries: input.entries.length, added, removed };
  });
}

export async function importTrustedLocation(
  db: Db,
  tenant: Tenant,
  input: { name: string; entries: string[]; replace?: boolean },
  actor: Actor,
): Promise<ListImportResult> {
  const name = requireName(input.name);
  return db.transaction(async (tx) => {
    await rows(
      tx,
      sql`insert into trusted_location_names (tenant_id, name) values (${tenant.id}::uuid, ${name})
          on conflict (tenant_id, name) do update set version = trusted_location_names.version + 1`,
    );
    const { added, removed } = await writeTrustedRanges(tx, tenant.id, name, input.entries, !!input.replace);
    await recordAudit(tx, actor, [
      { tenantId: tenant.id, action: 'trustedLocation.import', targetType: 'trustedLocation', targetId: name, after: { added, removed, replace: !!input.replace } },
    ]);
    return { list: `trusted/${name}`, entries: input.entries.length, added, removed };
  });
}

/** Adds ranges to the trusted location of this name, or with `replace` makes them exactly these; inside the caller's transaction. */
export async function writeTrustedRanges(tx: Queryable, tenantId: string, name: string, entries: string[], replace: boolean) {
  const removed = replace ? await countRows(tx, sql`delete from trusted_locations where tenant_id = ${tenantId}::uuid and name = ${name} returning 1`) : 0;
  let added = 0;
  for (const part of chunk(entries, 10_000)) {
    added += await countRows(
      tx,
      sql`insert into trusted_locations (tenant_id, name, cidr)
          select ${tenantId}::uuid, ${name}, network(value::inet) from json_array_elements_text(${jsonParam(part)})
          on conflict do nothing returning 1`,
    );
  }
  return { added, removed };
}

export function requireName(value: string | undefined, missing = '--name NAME is required'): string {
  const name = value?.trim() ?? '';
  if (!name) throw new ActionError(400, missing);
  if (name.length > 200 || name.includes('\u0000')) throw new ActionError(400, 'name must be at most 200 characters, without NUL');
  return name;
}

async function countRows(db: Queryable, query: ReturnType<typeof sql>): Promise<number> {
  return (await rows<unknown>(db, query)).length;
}
