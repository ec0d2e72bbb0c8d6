import type { App } from '../../src/app.js';
import { createApiKey } from '../../src/auth/api-keys.js';
import { SYSTEM } from '../../src/actions/audit.js';
import type { Db } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ORIGIN } from '../helpers/session.js';

/** A fresh API key of the tenant: the whole key, to send as a bearer token. */
export async function keyFor(db: Db, tenant: Tenant, name = 'test key'): Promise<string> {
  return (await createApiKey(db, { tenantId: tenant.id, name }, SYSTEM, new Date())).key;
}

export function apiGet(app: App, key: string | null, path: string) {
  return app.request(path.startsWith('http') ? path : `${ORIGIN}${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
}

export function apiPost(app: App, key: string | null, path: string, body: unknown, contentType = 'application/json') {
  return app.request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
