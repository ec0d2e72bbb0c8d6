import { resolve } from 'node:path';
import { NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from './auth/client-address.js';
import { parseSecretsKey } from './crypto/secrets.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  databaseUrl: string | null;
  dataDir: string;
  port: number;
  host: string;
  nodeEnv: 'development' | 'production' | 'test';
  publicOrigin: string | null;
  logLevel: LogLevel;
  metricsToken: string | null;
  /** SECRETS_KEY: seals stored secrets (src/crypto/secrets.ts); null when unset. */
  secretsKey: Buffer | null;
  /** WEBHOOK_ALLOW_PRIVATE=true: webhooks may target plain HTTP and private, loopback or link-local addresses (tests, labs). */
  webhookAllowPrivate: boolean;
  /** GRAPH_BASE_URL: Microsoft Graph's base, up to the version (tests point it at a local server). */
  graphBaseUrl: string;
  /** GRAPH_TOKEN_URL: the identity platform's base; the token endpoint is <base>/<directory tenant>/oauth2/v2.0/token. */
  graphTokenUrl: string;
  /** TRUSTED_PROXIES: reverse proxies whose X-Forwarded-For names the client; none by default. */
  trustedProxies: TrustedProxies;
  /** STATEMENT_TIMEOUT_MS: no query of the server runs longer (default 5000). */
  statementTimeoutMs: number;
  /** DB_POOL_SIZE: PostgreSQL connections of the server (default 10). */
  dbPoolSize: number;
  /** MAX_CONCURRENT_REQUESTS and MAX_QUEUED_REQUESTS: requests served at once, and waiting, before 503. */
  maxConcurrentRequests: number;
  maxQueuedRequests: number;
  /** WEB_CONCURRENCY: server processes sharing the port (default 1); above 1 needs PostgreSQL. */
  webConcurrency: number;
}

export class ConfigError extends Error {}

const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const NODE_ENVS = ['development', 'production', 'test'] as const;

/** Reads the environment into one typed object; the first bad value throws a ConfigError naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = optional(env.DATABASE_URL);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  if (databaseUrl) {
    try {
      new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL');
    }
  }

  const portText = optional(env.PORT) ?? '3000';
  if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535, got "${portText}"`);
  }

  const host = optional(env.HOST) ?? '127.0.0.1';
  if (/\s|\//.test(host)) throw new ConfigError(`HOST must be a host name or IP address, got "${host}"`);

  const nodeEnv = optional(env.NODE_ENV) ?? 'development';
  if (!(NODE_ENVS as readonly string[]).includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be one of ${NODE_ENVS.join(', ')}, got "${nodeEnv}"`);
  }

  const publicOrigin = optional(env.PUBLIC_ORIGIN);
  if (publicOrigin) {
    let url: URL;
    try {
      url = new URL(publicOrigin);
    } catch {
      throw new ConfigError(`PUBLIC_ORIGIN must be an origin such as https://riskdesk.example.com, got "${publicOrigin}"`);
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== publicOrigin.replace(/\/$/, '')) {
      throw new ConfigError(`PUBLIC_ORIGIN must be an origin (scheme, host, optional port, no path), got "${publicOrigin}"`);
    }
  }

  const logLevel = (optional(env.LOG_LEVEL) ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const metricsToken = optional(env.METRICS_TOKEN);
  if (metricsToken !== null && metricsToken.length < 16) {
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters long');
  }

  const secretsKeyText = optional(env.SECRETS_KEY);
  const secretsKey = secretsKeyText === null ? null : parseSecretsKey(secretsKeyText);
  if (secretsKeyText !== null && !secretsKey) {
    throw new ConfigError('SECRETS_KEY must be 32 random bytes as 64 hex characters or base64 (openssl rand -hex 32)');
  }

  const allowPrivateText = optional(env.WEBHOOK_ALLOW_PRIVATE) ?? 'false';
  if (!['true', 'false'].includes(allowPrivateText)) {
    throw new ConfigError(`WEBHOOK_ALLOW_PRIVATE must be true or false, got "${allowPrivateText}"`);
  }
  const graphBaseUrl = httpBase(env, 'GRAPH_BASE_URL', 'https://graph.microsoft.com/v1.0');
  const graphTokenUrl = httpBase(env, 'GRAPH_TOKEN_URL', 'https://login.microsoftonline.com');
  const proxiesText = optional(env.TRUSTED_PROXIES);
  const trustedProxies = proxiesText === null ? NO_TRUSTED_PROXIES : parseTrustedProxies(proxiesText);
  if (typeof trustedProxies === 'string') {
    throw new ConfigError(`TRUSTED_PROXIES must be IP addresses or CIDR ranges separated by commas (10.0.0.0/8, ::1): ${trustedProxies}`);
  }

  const statementTimeoutMs = integer(env, 'STATEMENT_TIMEOUT_MS', 5000, 100, 3_600_000);
  const dbPoolSize = integer(env, 'DB_POOL_SIZE', 10, 1, 1000);
  const maxConcurrentRequests = integer(env, 'MAX_CONCURRENT_REQUESTS', 64, 1, 100_000);
  const maxQueuedRequests = integer(env, 'MAX_QUEUED_REQUESTS', 256, 0, 1_000_000);
  const webConcurrency = integer(env, 'WEB_CONCURRENCY', 1, 1, 64);
  if (webConcurrency > 1 && !databaseUrl) {
    throw new ConfigError('WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database belongs to one process');
  }

  return {
    databaseUrl,
    dataDir: resolve(optional(env.DATA_DIR) ?? './.data'),
    port: Number(portText),
    host,
    nodeEnv: nodeEnv as Config['nodeEnv'],
    publicOrigin: publicOrigin ? new URL(publicOrigin).origin : null,
    logLevel,
    metricsToken,
    secretsKey,
    webhookAllowPrivate: allowPrivateText === 'true',
    graphBaseUrl,
    graphTokenUrl,
    trustedProxies,
    statementTimeoutMs,
    dbPoolSize,
    maxConcurrentRequests,
    maxQueuedRequests,
    webConcurrency,
  };
}

function httpBase(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const text = optional(env[name]) ?? fallback;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an http:// or https:// URL, got "${text}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) throw new ConfigError(`${name} must be an http:// or https:// URL without query, got "${text}"`);
  return text.replace(/\/+$/, '');
}

function optional(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = optional(env[name]);
  if (text === null) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}
