import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli } from '../helpers/cli.js';
import { lines, servicePrincipalRecord, toAzureMonitor, toPortalCsv, toSentinel } from '../helpers/dialects.js';
import { startFakeGraph } from '../helpers/graph-server.js';
import { DAY, HOUR, PLACES, signIn, T0, toGraph } from '../helpers/sign-ins.js';

let cli: Awaited<ReturnType<typeof cliEnvironment>>;
let dir: string;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const NO_SKIPS = { servicePrincipal: 0, managedIdentity: 0, otherLog: 0 };

beforeAll(async () => {
  cli = await cliEnvironment();
  dir = mkdtempSync(join(tmpdir(), 'riskdesk-dialects-'));
  expect((await runCli(['tenant', 'create', '--name', 'Contoso', '--domain', 'contoso.com', '--edition', 'premium_p2'], cli.env)).code).toBe(0);
});
afterAll(async () => {
  await cli.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

// Each file holds one user's Seattle sign-in and, an hour later, one from Tokyo: travel in every dialect with coordinates.
const pair = (user: string, day: number) => [
  signIn({ atMs: T0 + day * DAY, userId: `u-${user}`, userPrincipalName: `${user}@contoso.com` }),
  signIn({ atMs: T0 + day * DAY + HOUR, userId: `u-${user}`, userPrincipalName: `${user}@contoso.com`, place: PLACES.tokyo, ipAddress: '198.51.100.9' }),
];

describe('riskdesk import sign-ins, by content', () => {
  it('imports a Sentinel export, PT1H.json, an Event Hub body, a portal CSV, a BOM Graph export and a .log, counting skipped records', async () => {
    const files = [
      file('SigninLogs.json', JSON.stringify(pair('ann', 0).map((r) => toSentinel(r, true)), null, 2)),
      file('PT1H.json', lines([toAzureMonitor(pair('ben', 1)[0]), servicePrincipalRecord('sp-1', '2026-01-02T00:30:00Z'), toAzureMonitor(pair('ben', 1)[1], 'NonInteractiveUserSignInLogs')])),
      file('eventhub-message.json', JSON.stringify({ records: pair('cat', 2).map((r) => toAzureMonitor(r)) })),
      file('InteractiveSignIns_2026-01-04.csv', toPortalCsv(pair('dan', 3), '\r\n')),
      file('graph-export.json', `\uFEFF${JSON.stringify({ value: pair('eve', 4).map(toGraph) }, null, 2).replace(/\n/g, '\r\n')}`),
      file('signins.log', lines(pair('fay', 5).map(toGraph))),
    ];
    const result = await runCli(['import', 'sign-ins', '--tenant', 'contoso.com', ...files, '--json'], cli.env);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ received: 13, inserted: 12, duplicates: 0, riskDetections: 5, skipped: { ...NO_SKIPS, servicePrincipal: 1 } });
    expect(out.files.map((f: { received: number; inserted: number; riskDetections: number }) => [f.received, f.inserted, f.riskDetections])).toEqual([
      [2, 2, 1],
      [3, 2, 1],
      [2, 2, 1],
      [2, 2, 0], // the portal CSV has no coordinates: no travel
      [2, 2, 1],
      [2, 2, 1],
    ]);
    expect(out.files[1].skipped).toEqual({ ...NO_SKIPS, servicePrincipal: 1 });
  });

  it('says in one line, naming the path once, when a file is in no known shape', async () => {
    const path = file('AuditLogs.json', JSON.stringify([{ TimeGenerated2: '2026-01-01T00:00:00Z', Identity: 'Alice', OperationName: 'Add user' }]));
    const result = await runCli(['import', 'sign-ins', '--tenant', 'contoso.com', path], cli.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(
      `riskdesk: ${path}: not a sign-in log Riskdesk knows: first record has fields TimeGenerated2, Identity, OperationName — supported: Graph signIn, Sentinel SigninLogs, Azure Monitor diagnostic records, portal CSV\n`,
    );
  });
});

describe('riskdesk graph connect and pull graph', () => {
  it('refuses to store a secret without SECRETS_KEY, stores it sealed with one, never shows it, and pulls a multi-page history', async () => {
    const secret = 'cli-secret~abcdefghij';
    const history = Array.from({ length: 5 }, (_, i) => toGraph(signIn({ atMs: T0 + 10 * DAY + i * HOUR, userId: 'u-gil', userPrincipalName: 'gil@contoso.com' })));
    const graph = await startFakeGraph({ signIns: history, pageSize: 2, clientSecret: secret, throttlePages: [2] });
    try {
      const connect = ['graph', 'connect', '--tenant', 'contoso.com', '--directory-tenant', 'contoso.onmicrosoft.com', '--client-id', '11111111-2222-4333-8444-555555555555', '--json'];
      const refused = await runCli(connect, cli.env, `${secret}\n`);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/^riskdesk: SECRETS_KEY is not set: Riskdesk refuses to store a client secret it cannot encrypt/);
      const env = { ...cli.env, SECRETS_KEY: randomBytes(32).toString('hex'), GRAPH_BASE_URL: graph.baseUrl, GRAPH_TOKEN_URL: graph.tokenUrl };
      const stored = await runCli(connect, env, `${secret}\n`);
      expect(stored.stderr).toBe('');
      expect(stored.stdout).not.toContain(secret);
      expect(JSON.parse(stored.stdout)).toMatchObject({ tenant: 'contoso.com', clientId: '11111111-2222-4333-8444-555555555555', scheduleMinutes: null });
      const pulled = await runCli(['pull', 'graph', '--tenant', 'contoso.com', '--since', new Date(T0 + 10 * DAY).toISOString(), '--json'], env);
      expect(pulled.stderr).toBe('');
      expect(JSON.parse(pulled.stdout)).toMatchObject({ received: 5, inserted: 5, duplicates: 0, pages: 3 });
    } finally {
      await graph.close();
    }
  });
});
