import { runRetention } from './actions/retention.js';
import type { Database } from './db/client.js';
import type { Config } from './config.js';
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

/** Delivers webhooks from the outbox for as long as the server runs; returns the function that stops it. */
export function scheduleWebhookDelivery(database: Database, config: Config): () => Promise<void> {
  const worker = startWebhookWorker({ db: database.db, config });
  return () => worker.stop();
}
