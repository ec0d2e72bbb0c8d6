import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration from the environment', () => {
  it('reads the Graph URLs for pull graph, defaulting to Microsoft\'s, and names a bad one', () => {
    expect(loadConfig({})).toMatchObject({ graphBaseUrl: 'https://graph.microsoft.com/v1.0', graphTokenUrl: 'https://login.microsoftonline.com' });
    expect(loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:9999/v1.0/', GRAPH_TOKEN_URL: 'http://127.0.0.1:9999' })).toMatchObject({ graphBaseUrl: 'http://127.0.0.1:9999/v1.0', graphTokenUrl: 'http://127.0.0.1:9999' });
    expect(() => loadConfig({ GRAPH_BASE_URL: 'graph.microsoft.com' })).toThrow(/^GRAPH_BASE_URL must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ GRAPH_TOKEN_URL: 'ftp://login.example' })).toThrow(/^GRAPH_TOKEN_URL must be/);
  });

  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir.endsWith('.data')).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.nodeEnv).toBe('development');
    expect(config.logLevel).toBe('info');
    expect(config.metricsToken).toBeNull();
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db.example:5432/riskdesk',
      DATA_DIR: '/var/lib/riskdesk',
      PORT: '8080',
      HOST: '0.0.0.0',
      NODE_ENV: 'production',
      PUBLIC_ORIGIN: 'https://riskdesk.example.com',
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: 'a-long-enough-token',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u@db.example:5432/riskdesk',
      dataDir: '/var/lib/riskdesk',
      port: 8080,
      host: '0.0.0.0',
      nodeEnv: 'production',
      publicOrigin: 'https://riskdesk.example.com',
      logLevel: 'warn',
      metricsToken: 'a-long-enough-token',
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: '0' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PUBLIC_ORIGIN: 'riskdesk.example.com' }, /PUBLIC_ORIGIN/],
    [{ PUBLIC_ORIGIN: 'https://riskdesk.example.com/app' }, /PUBLIC_ORIGIN/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN/],
    [{ HOST: 'bad host' }, /HOST/],
  ])('rejects %o with a message naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(name);
  });
});

describe('WEB_CONCURRENCY', () => {
  it('defaults to one process, takes more on PostgreSQL, and names itself when the embedded database would be shared', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/riskdesk', WEB_CONCURRENCY: '2' }).webConcurrency).toBe(2);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY above 1 needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/riskdesk', WEB_CONCURRENCY: 'two' })).toThrow(ConfigError);
  });
});
