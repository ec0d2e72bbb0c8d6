import { SYSTEM } from './actions/audit-record.js';
import { runRetention } from './actions/retention.js';
import type { Config } from './config.js';
import { pullGraphSignIns } from './graph/pull.js';
import { listTenantsDueForGraphPull } from './queries/graph-connections.js';
import type { Database } from './db/client.js';
import { log } from './log.js';
import { startWebhookWorker } from './webhooks/worker.js';

const HOUR_MS = 60 * 60 * 1000;

/** Runs retention an hour after start and then daily; returns the function that stops it. */
export function scheduleRetention(database: Database): () => void {
  const run = async () => {
    try {
      const removed = await runRetention(database.db, new Date());
      log.info('retention ran', { ...removed });
    } catch (error) {
      log.error('retention failed', { error: String(error) });
    }
  };
  const first = setTimeout(() => void run(), HOUR_MS);
  const daily = setInterval(() => void run(), 24 * HOUR_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}

export function scheduleWebhookDelivery(database: Database, config: Config): () => Promise<void> {
  const worker = startWebhookWorker({ db: database.db, config });
  return () => worker.stop();
}

const MINUTE_MS = 60 * 1000;

/**
 * Pulls from Microsoft Graph for every tenant whose app registration has a schedule (`graph connect
 * --every N`): checked each minute, one tenant at a time; a failed pull waits its interval too.
 */
export function scheduleGraphPulls(database: Database, config: Config): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const tenant of await listTenantsDueForGraphPull(database.db, new Date())) {
        try {
          const result = await pullGraphSignIns(database.db, config, tenant, { actor: SYSTEM });
          log.info('graph pull ran', { tenant: tenant.domain, received: result.received, inserted: result.inserted, riskDetections: result.riskDetections });
        } catch (error) {
          log.error('graph pull failed', { tenant: tenant.domain, error: String((error as Error).message ?? error) });
        }
      }
    } catch (error) {
      log.error('graph pull schedule failed', { error: String(error) });
    } finally {
      running = false;
    }
  };
  const every = setInterval(() => void tick(), MINUTE_MS);
  every.unref();
  return () => clearInterval(every);
}
