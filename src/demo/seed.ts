import { inArray } from 'drizzle-orm';
import { createAdmin } from '../actions/admins.js';
import { SYSTEM } from '../actions/audit-record.js';
import { ActionError } from '../actions/errors.js';
import { createTenant } from '../actions/tenants.js';
import type { Db } from '../db/client.js';
import { tenants, type Edition, type Role, type Tenant } from '../db/schema.js';
import { ingestSignIns, type IngestResult } from '../ingest/ingest.js';
import type { SignInRecord } from '../ingest/types.js';
import { noSkips } from '../ingest/dialects/shape.js';
import { validateSignIn } from '../ingest/validate.js';
import { importIpList, importTrustedLocation } from '../lists/ip-lists.js';
import { importLeakedCredentials } from '../lists/leaked.js';
import { importDirectoryUsers } from '../lists/users.js';
import { analyzeAfterBulkImport } from '../db/maintenance.js';
import { generateDemoTenant, type DemoTenantKind } from './generate.js';

export const DEMO_PASSWORD = 'riskdesk-demo';

const DEMO_TENANTS: { kind: DemoTenantKind; name: string; domain: string; edition: Edition }[] = [
  { kind: 'contoso', name: 'Contoso', domain: 'contoso.com', edition: 'premium_p2' },
  { kind: 'fabrikam', name: 'Fabrikam', domain: 'fabrikam.com', edition: 'free' },
];
const DEMO_ROLES: { local: string; role: Role }[] = [
  { local: 'admin', role: 'global_admin' },
  { local: 'reader', role: 'security_reader' },
];
const BATCH_SIZE = 5000;

export interface DemoOptions {
  seed?: number;
  signIns?: number;
  force?: boolean;
  nodeEnv?: string;
  now?: Date;
  progress?: (message: string) => void;
}

export interface DemoLogin {
  email: string;
  password: string;
  role: Role;
  tenant: string;
}

export type DemoResult =
  | { created: false; existing: string[] }
  | { created: true; logins: DemoLogin[]; tenants: ({ domain: string; edition: Edition } & IngestResult)[] };

/** Through the same lists, directory and ingestion code as real data; refuses production without force, since the demo passwords are public. */
export async function seedDemo(db: Db, options: DemoOptions = {}): Promise<DemoResult> {
  if (options.nodeEnv === 'production' && !options.force) {
    throw new ActionError(409, 'refusing to create demo tenants with NODE_ENV=production: their passwords are public; add --force to do it anyway');
  }
  const existing = await db.select({ domain: tenants.domain }).from(tenants).where(inArray(tenants.domain, DEMO_TENANTS.map((t) => t.domain)));
  if (existing.length > 0) return { created: false, existing: existing.map((row) => row.domain).sort() };

  const now = options.now ?? new Date();
  const seed = options.seed ?? 1;
  const logins: DemoLogin[] = [];
  const results: ({ domain: string; edition: Edition } & IngestResult)[] = [];
  for (const demo of DEMO_TENANTS) {
    const data = generateDemoTenant(demo.kind, { seed, now, signIns: demo.kind === 'contoso' ? options.signIns : undefined });
    const tenant = await createTenant(db, { name: demo.name, domain: demo.domain, edition: demo.edition });
    for (const { local, role } of DEMO_ROLES) {
      const email = `${local}@${demo.domain}`;
      await createAdmin(db, { tenantId: tenant.id, email, role, password: DEMO_PASSWORD }, SYSTEM);
      logins.push({ email, password: DEMO_PASSWORD, role, tenant: demo.domain });
    }
    // Lists before the sign-ins they apply to; the directory before its leak list, judged on import.
    await importIpList(db, { kind: 'anonymous', name: 'demo-anonymous', entries: data.anonymousIps });
    await importIpList(db, { kind: 'malware', name: 'demo-malware', entries: data.malwareIps });
    for (const location of data.trusted) await importTrustedLocation(db, tenant, { name: location.name, entries: location.ranges }, SYSTEM);
    await importDirectoryUsers(db, tenant, data.users, SYSTEM, now);
    await importLeakedCredentials(db, tenant, { entries: data.leaked, source: 'demo-leaks' }, SYSTEM, now);
    const ingested = await ingestStream(db, tenant, data.signIns, now, options.progress);
    results.push({ domain: demo.domain, edition: demo.edition, ...ingested });
  }
  await analyzeAfterBulkImport(db);
  return { created: true, logins, tenants: results };
}

async function ingestStream(db: Db, tenant: Tenant, signIns: Iterable<unknown>, now: Date, progress?: (message: string) => void): Promise<IngestResult> {
  const total: IngestResult = { received: 0, inserted: 0, duplicates: 0, riskDetections: 0, skipped: noSkips(), truncated: 0 };
  let batch: SignInRecord[] = [];
  const flush = async () => {
    const result = await ingestSignIns(db, tenant, batch, { now });
    total.received += result.received;
    total.inserted += result.inserted;
    total.duplicates += result.duplicates;
    total.riskDetections += result.riskDetections;
    total.truncated += result.truncated;
    batch = [];
    progress?.(`${tenant.domain}: ${total.inserted} sign-ins, ${total.riskDetections} risk detections`);
  };
  for (const signIn of signIns) {
    batch.push(validateSignIn(signIn, { index: total.received + batch.length }));
    if (batch.length === BATCH_SIZE) await flush();
  }
  if (batch.length > 0) await flush();
  return total;
}

export function describeLogins(logins: DemoLogin[]): string {
  return logins.map((login) => `  ${login.email.padEnd(22)} ${login.password}  (${login.role}, ${login.tenant})`).join('\n');
}
