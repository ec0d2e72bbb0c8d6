import { sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../actions/audit-record.js';
import { ActionError } from '../actions/errors.js';
import { rows, type Db, type Queryable } from '../db/client.js';
import type { Tenant } from '../db/schema.js';
import { importTrustedLocation, requireName, writeTrustedRanges } from './ip-lists.js';
import { badIpLines, listLines, type BadLine } from './parse-list.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class BadLinesError extends ActionError {
  constructor(readonly lines: BadLine[]) {
    super(400, `ranges: ${lines.length} ${lines.length === 1 ? 'line is' : 'lines are'} not an IP address or CIDR range; nothing was saved`);
  }
}

export function parseTrustedRanges(text: string): string[] {
  const bad = badIpLines(text);
  if (bad.length > 0) throw new BadLinesError(bad);
  const entries = listLines(text).map(({ value }) => value);
  if (entries.length === 0) throw new ActionError(400, 'ranges: paste at least one IP address or CIDR range, one a line');
  return entries;
}

export function trustedLocationName(value: string): string {
  return requireName(value, 'name is required: say what the ranges are, e.g. "Office VPN"');
}

/** Adds a trusted location, or more ranges to the one of that name, with the same counts as `riskdesk import ip-list --kind trusted`. */
export function addTrustedLocation(db: Db, tenant: Tenant, input: { name: string; ranges: string }, actor: Actor) {
  const name = trustedLocationName(input.name);
  return importTrustedLocation(db, tenant, { name, entries: parseTrustedRanges(input.ranges) }, actor);
}

interface LockedLocation {
  name: string;
  version: number;
  ranges: string[];
}

async function lockLocation(tx: Queryable, tenantId: string, id: string, version: number): Promise<LockedLocation> {
  if (!UUID.test(id)) throw new ActionError(404, 'There is no such trusted location.');
  const [location] = await rows<{ name: string; version: number }>(
    tx,
    sql`select name, version from trusted_location_names where tenant_id = ${tenantId}::uuid and id = ${id}::uuid for update`,
  );
  if (!location) throw new ActionError(404, 'There is no such trusted location.');
  if (location.version !== version) throw new ActionError(409, 'This trusted location was changed by someone else since you loaded the page: review it and try again.');
  const ranges = await rows<{ cidr: string }>(
    tx,
    sql`select cidr::text as cidr from trusted_locations where tenant_id = ${tenantId}::uuid and name = ${location.name} order by cidr`,
  );
  return { ...location, ranges: ranges.map((range) => range.cidr) };
}

/** Renames a trusted location and makes its ranges exactly the pasted ones; stale version 409. */
export async function editTrustedLocation(db: Db, tenant: Tenant, input: { id: string; version: number; name: string; ranges: string }, actor: Actor) {
  const name = trustedLocationName(input.name);
  const entries = parseTrustedRanges(input.ranges);
  return db.transaction(async (tx) => {
    const before = await lockLocation(tx, tenant.id, input.id, input.version);
    if (name !== before.name) {
      const [taken] = await rows(tx, sql`select 1 from trusted_location_names where tenant_id = ${tenant.id}::uuid and name = ${name}`);
      if (taken) throw new ActionError(409, `name: a trusted location named "${name}" already exists`);
    }
    await rows(
      tx,
      sql`update trusted_location_names set name = ${name}, version = version + 1 where tenant_id = ${tenant.id}::uuid and id = ${input.id}::uuid`,
    );
    const { added, removed } = await writeTrustedRanges(tx, tenant.id, name, entries, true);
    await recordAudit(tx, actor, [
      {
        tenantId: tenant.id,
        action: 'trustedLocation.update',
        targetType: 'trustedLocation',
        targetId: input.id,
        before: { name: before.name, ranges: before.ranges },
        after: { name, ranges: entries },
      },
    ]);
    return { name, added, removed };
  });
}

/** Removes a trusted location and its ranges: sign-ins ingested afterwards from there are judged like any other. */
export async function removeTrustedLocation(db: Db, tenant: Tenant, input: { id: string; version: number }, actor: Actor) {
  return db.transaction(async (tx) => {
    const before = await lockLocation(tx, tenant.id, input.id, input.version);
    await rows(tx, sql`delete from trusted_location_names where tenant_id = ${tenant.id}::uuid and id = ${input.id}::uuid`);
    await recordAudit(tx, actor, [
      { tenantId: tenant.id, action: 'trustedLocation.remove', targetType: 'trustedLocation', targetId: input.id, before: { name: before.name, ranges: before.ranges } },
    ]);
    return { name: before.name };
  });
}
