import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import type { ApiKey } from '../auth/api-keys.js';
import { apiKeys } from '../db/schema.js';

export function listApiKeys(db: Queryable, tenantId: string): Promise<ApiKey[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}
