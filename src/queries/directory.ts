import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.js';

export interface DirectorySummary {
  users: number;
  withMail: number;
  atRisk: number;
}

export async function getDirectorySummary(db: Queryable, tenantId: string): Promise<DirectorySummary> {
  const [summary] = await rows<Record<keyof DirectorySummary, number | string>>(
    db,
    sql`select count(*) as users, count(mail) as "withMail", count(*) filter (where risk_level <> 'none') as "atRisk"
        from directory_users where tenant_id = ${tenantId}::uuid`,
  );
  return { users: Number(summary.users), withMail: Number(summary.withMail), atRisk: Number(summary.atRisk) };
}
