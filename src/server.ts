import cluster from 'node:cluster';
import { serve } from '@hono/node-server';
import type { Server, ServerResponse } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openPglite, openPostgres, type Database } from './db/client.js';
import { DataDirLockedError, lockDataDir } from './db/lock.js';
import { migrate } from './db/migrate.js';
import { log, setLogLevel } from './log.js';
import { seedDemoOnFirstStart } from './startup.js';
import { scheduleGraphPulls, scheduleRetention, scheduleWebhookDelivery } from './jobs.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWith(`riskdesk: ${error.message}`);
    throw error;
  }
  setLogLevel(config.logLevel);
  if (config.webConcurrency > 1 && cluster.isPrimary) return superviseWorkers(config);

  let release = () => {};
  if (!config.databaseUrl) {
    try {
      release = lockDataDir(config.dataDir);
    } catch (error) {
      if (error instanceof DataDirLockedError) exitWith(`riskdesk: ${error.message}`);
      throw error;
    }
  }

  const database = await openServerDatabase(config);

  const app = createApp({ database, config });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info('listening', { url: `http://${info.address}:${info.port}`, database: database.driver, ...(cluster.isWorker ? { worker: cluster.worker!.id } : {}) });
    // Under several workers the primary says it once, when all of them listen.
    if (cluster.isPrimary) process.stdout.write(`Riskdesk is listening on http://${config.host}:${info.port}\n`);
  }) as Server;

  const stopRetention = scheduleRetention(database);
  const stopWebhooks = scheduleWebhookDelivery(database, config);
  const stopGraphPulls = scheduleGraphPulls(database, config);
  // Once: a Ctrl-C reaches the workers of a cluster both from the terminal and from their primary.
  let stopping: Promise<void> | null = null;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      stopRetention();
      stopGraphPulls();
      await stopWebhooks();
      return shutdown(server, database, release, signal);
    })());
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * Migrations run without the statement timeout (they may rightly take long); the requests the server
 * then serves run with it. PGlite has no timers to enforce one, so the timeout is PostgreSQL's only.
 */
async function openServerDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) {
    // Workers find the database migrated by their primary.
    if (cluster.isPrimary) await migratePostgres(config.databaseUrl);
    return openPostgres(config.databaseUrl, { max: config.dbPoolSize, statementTimeoutMs: config.statementTimeoutMs });
  }
  const database = await openPglite(config.dataDir);
  await migrate(database);
  await seedDemoOnFirstStart(database, config);
  return database;
}

async function migratePostgres(url: string): Promise<void> {
  const migrator = openPostgres(url, { max: 1 });
  await migrate(migrator);
  await migrator.close();
}

/**
 * WEB_CONCURRENCY > 1 (PostgreSQL only): this process migrates, then forks that many servers sharing
 * the port (node:cluster hands each new connection to one of them). A worker that dies is replaced;
 * SIGTERM or SIGINT is passed to every worker, each finishing its requests as a single server does,
 * and this process exits once all have, with 0 only if every one stopped cleanly.
 */
async function superviseWorkers(config: Config): Promise<void> {
  try {
    await migratePostgres(config.databaseUrl!);
  } catch (error) {
    exitWith(`riskdesk: could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  let stopping = false;
  let listening = 0;
  let failed = false;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === config.webConcurrency) process.stdout.write(`Riskdesk is listening on http://${config.host}:${config.port} (${config.webConcurrency} workers)\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      // Killed by the SIGTERM itself: a worker still starting, which had not yet served anything.
      if (code !== 0 && signal !== 'SIGTERM') failed = true;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    log.error('worker exited; starting another in a second', { worker: worker.id, code, signal });
    setTimeout(() => cluster.fork(), 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    log.info('shutting down workers', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < config.webConcurrency; i++) cluster.fork();
}

/** Stops accepting connections, lets in-flight requests finish (10 s at most), then closes the database. */
async function shutdown(server: Server, database: Database, release: () => void, signal: string): Promise<void> {
  log.info('shutting down', { signal });
  // Keep-alive clients would otherwise keep sending on their open connections: each answer from now
  // on closes its connection, and connections that fall idle are closed as they do.
  server.on('request', (_request, response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('Connection', 'close');
  });
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const force = setTimeout(() => server.closeAllConnections(), 10_000);
  force.unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearInterval(idle);
  await database.close();
  release();
  process.exit(0);
}

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

main().catch((error) => {
  process.stderr.write(`riskdesk: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
