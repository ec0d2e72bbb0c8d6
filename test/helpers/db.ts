import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openPostgres, wrapPglite, type Database } from '../../src/db/client.js';

/**
 * A migrated database of this test file's own: a PGlite loaded from the run's migrated dump, or on
 * PostgreSQL a fresh database copied from the migrated template (a pool of `connections`, 4 unless told). Close it in afterAll.
 */
export async function createTestDatabase(options: { connections?: number } = {}): Promise<Database & { destroy(): Promise<void> }> {
  const templateUrl = inject('postgresTemplate');
  if (templateUrl) {
    const url = new URL(templateUrl);
    const templateName = decodeURIComponent(url.pathname.slice(1));
    const name = `${templateName}_t${randomBytes(5).toString('hex')}`;
    // Connect to the maintenance database: a connection to the template itself would make
    // PostgreSQL refuse to copy it ("being accessed by other users"); the lock serialises copies.
    const admin = postgres(maintenanceUrl(templateUrl), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe('select pg_advisory_lock(7405711)');
      await admin.unsafe(`create database "${name}" template "${templateName}"`);
    } finally {
      await admin.end();
    }
    url.pathname = `/${name}`;
    const database = openPostgres(url.toString(), { max: options.connections ?? 4 });
    return {
      ...database,
      async destroy() {
        await database.close();
        const dropper = postgres(maintenanceUrl(templateUrl), { max: 1, onnotice: () => {} });
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
        await dropper.end();
      },
    };
  }
  const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
  const database = wrapPglite(await PGlite.create({ loadDataDir: dump }));
  return { ...database, destroy: () => database.close() };
}

/** The same server's `postgres` database, for CREATE and DROP DATABASE. */
function maintenanceUrl(url: string): string {
  const maintenance = new URL(url);
  maintenance.pathname = maintenance.pathname === '/postgres' ? '/template1' : '/postgres';
  return maintenance.toString();
}
