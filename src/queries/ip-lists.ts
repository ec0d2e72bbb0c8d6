import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';
import type { ListMatch, TrustedMatch } from '../detection/types.js';
import { loadListMatches, loadTrustedMatches } from '../ingest/load.js';

export interface GlobalIpListRow {
  kind: 'anonymous' | 'malware';
  name: string;
  entries: number;
  updatedAt: Date;
}

export interface IpLookup {
  ip: string;
  lists: ListMatch[];
  trusted: TrustedMatch | null;
}

export async function listGlobalIpLists(db: Queryable): Promise<GlobalIpListRow[]> {
  const found = await rows<{ kind: 'anonymous' | 'malware'; name: string; entries: number | string; updatedAt: Date | string }>(
    db,
    sql`select l.kind, l.name, l.updated_at as "updatedAt", (select count(*) from ip_list_entries e where e.list_id = l.id) as entries
        from ip_lists l order by l.kind, l.name`,
  );
  return found.map((row) => ({ ...row, entries: Number(row.entries), updatedAt: new Date(row.updatedAt) }));
}

/** Which list entries contain the IP: the same lookups detection makes when a sign-in is judged. */
export async function lookupIp(db: Queryable, tenantId: string, ip: string): Promise<IpLookup> {
  const [lists, trusted] = await Promise.all([loadListMatches(db, [ip]), loadTrustedMatches(db, tenantId, [ip])]);
  return { ip, lists: lists.get(ip) ?? [], trusted: trusted.get(ip) ?? null };
}
