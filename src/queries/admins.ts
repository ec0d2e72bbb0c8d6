import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/client.js';
import { admins, recoveryCodes, type Admin } from '../db/schema.js';

export async function getAdminByEmail(db: Db, email: string): Promise<Admin | null> {
  const [admin] = await db.select().from(admins).where(eq(sql`lower(${admins.email})`, email.trim().toLowerCase()));
  return admin ?? null;
}

export async function findExistingEmails(db: Db, emails: string[]): Promise<string[]> {
  const found = await db.select({ email: admins.email }).from(admins).where(inArray(sql`lower(${admins.email})`, emails));
  return found.map((row) => row.email.toLowerCase());
}

export async function listTenantAdmins(db: Db, tenantId: string): Promise<Admin[]> {
  return db.select().from(admins).where(eq(admins.tenantId, tenantId)).orderBy(asc(admins.email));
}

export async function countUnusedRecoveryCodes(db: Queryable, adminId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.adminId, adminId), isNull(recoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}
