import type { App } from '../../src/app.js';
import { createApiKey } from '../../src/auth/api-keys.js';
import { SYSTEM } from '../../src/actions/audit-record.js';
import type { Db } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { ORIGIN } from '../helpers/session.js';

type Row = { id: string; [key: string]: unknown };

/** The loose shape of an API answer, for assertions: a page, an error, a count or an evaluation. */
export interface ApiBody {
  value: Row[];
  '@odata.nextLink'?: string;
  error: { code: string; message: string; index?: number; field?: string };
  riskDetections: Row[];
  [key: string]: unknown;
}

export type ApiResponse = Omit<Response, 'json'> & { json(): Promise<ApiBody> };

/** A fresh API key of the tenant: the whole key, to send as a bearer token. */
export async function keyFor(db: Db, tenant: Tenant, name = 'test key'): Promise<string> {
  return (await createApiKey(db, { tenantId: tenant.id, name }, SYSTEM, new Date())).key;
}

export async function apiGet(app: App, key: string | null, path: string): Promise<ApiResponse> {
  return (await app.request(path.startsWith('http') ? path : `${ORIGIN}${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} })) as ApiResponse;
}

export async function apiPost(app: App, key: string | null, path: string, body: unknown, contentType = 'application/json'): Promise<ApiResponse> {
  const res = await app.request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return res as ApiResponse;
}
