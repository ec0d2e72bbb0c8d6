import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli } from '../helpers/cli.js';
import { HOUR, PLACES, signIn, T0, toGraph } from '../helpers/sign-ins.js';

let cli: Awaited<ReturnType<typeof cliEnvironment>>;
let dir: string;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  cli = await cliEnvironment();
  dir = mkdtempSync(join(tmpdir(), 'riskdesk-import-'));
  const created = await runCli(['tenant', 'create', '--name', 'Contoso', '--domain', 'contoso.com', '--edition', 'premium_p2'], cli.env);
  expect(created.code).toBe(0);
});
afterAll(async () => {
  await cli.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const records = [
  signIn({ atMs: T0, place: PLACES.seattle }),
  signIn({ atMs: T0 + HOUR, place: PLACES.london, ipAddress: '203.0.113.10' }),
  signIn({ atMs: T0 + 2 * HOUR, place: PLACES.london, userId: 'u-bob', userPrincipalName: 'bob@contoso.com', errorCode: 50126 }),
];
const CSV_HEADER = 'id,createdDateTime,userId,userPrincipalName,ipAddress,errorCode,city,countryOrRegion,latitude,longitude';
const csvRow = (r: (typeof records)[number]) =>
  [r.id, r.createdDateTime.toISOString(), r.userId, r.userPrincipalName, r.ipAddress, r.errorCode, r.city, r.countryOrRegion, r.latitude, r.longitude].join(',');

const NO_SKIPS = { servicePrincipal: 0, managedIdentity: 0, otherLog: 0 };

async function json(args: string[]) {
  const result = await runCli([...args, '--json'], cli.env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('riskdesk import and detections', () => {
  it('stores a CSV whose text is longer than the limit, cut, and counts those sign-ins in --json', async () => {
    const long = `"${'N'.repeat(10_000)}"`;
    const csv = file('long.csv', ['id,createdDateTime,userId,userPrincipalName,userDisplayName,city,countryOrRegion', `long-1,2025-12-01T00:00:00Z,u-long,long@contoso.com,${long},${long},US`].join('\n'));
    expect(await json(['import', 'sign-ins', '--tenant', 'contoso.com', csv])).toEqual({ received: 1, inserted: 1, duplicates: 0, riskDetections: 0, skipped: NO_SKIPS, truncated: 1 });
  });

  it('imports a global anonymous list, ignoring comments and blank lines', async () => {
    const list = file('anonymous.txt', '# Tor exits\n\n203.0.113.0/26\n198.51.100.7 # one host\n');
    expect(await json(['import', 'ip-list', '--kind', 'anonymous', '--name', 'tor', list])).toEqual({ list: 'anonymous/tor', entries: 2, added: 2, removed: 0 });
  });

  it('imports a newest-first Graph export, counts duplicates on re-import, and reports several files', async () => {
    const graph = file('export.json', JSON.stringify({ value: records.map(toGraph).reverse() }));
    expect(await json(['import', 'sign-ins', '--tenant', 'contoso.com', graph])).toEqual({ received: 3, inserted: 0 + 3, duplicates: 0, riskDetections: 2, skipped: NO_SKIPS, truncated: 0 });
    const ndjson = file('export.ndjson', records.map((r) => JSON.stringify(toGraph(r))).join('\n'));
    const csv = file('export.csv', [CSV_HEADER, ...records.map(csvRow)].join('\n'));
    const again = await json(['import', 'sign-ins', '--tenant', 'contoso.com', ndjson, csv]);
    expect(again).toEqual({
      received: 6,
      inserted: 0,
      duplicates: 6,
      riskDetections: 0,
      skipped: NO_SKIPS,
      truncated: 0,
      files: [
        { file: ndjson, received: 3, inserted: 0, duplicates: 3, riskDetections: 0, skipped: NO_SKIPS, truncated: 0 },
        { file: csv, received: 3, inserted: 0, duplicates: 3, riskDetections: 0, skipped: NO_SKIPS, truncated: 0 },
      ],
    });
  });

  it('prints a Graph page of riskDetection with additionalInfo as a JSON string', async () => {
    const page = await json(['detections', '--tenant', 'contoso.com']);
    expect(page.value.map((d: { riskEventType: string }) => d.riskEventType).sort()).toEqual(['anonymizedIPAddress', 'unlikelyTravel']);
    const travel = page.value.find((d: { riskEventType: string }) => d.riskEventType === 'unlikelyTravel');
    expect(travel).toMatchObject({
      requestId: records[1].id,
      riskState: 'atRisk',
      riskLevel: 'medium',
      riskDetail: 'none',
      detectionTimingType: 'offline',
      activity: 'signin',
      ipAddress: '203.0.113.10',
      location: { city: 'London', countryOrRegion: 'GB', geoCoordinates: { latitude: PLACES.london.latitude, longitude: PLACES.london.longitude } },
      activityDateTime: records[1].createdDateTime.toISOString(),
      userId: 'u-alice',
      userPrincipalName: 'alice@contoso.com',
    });
    expect(JSON.parse(travel.additionalInfo)).toContainEqual({ Key: 'previousSignInId', Value: records[0].id });
    expect(await json(['detections', '--tenant', 'contoso.com', '--since', '2999-01-01T00:00:00Z'])).toEqual({ value: [] });
  });

  it('rejects a batch with a malformed record, naming file, line and field, and writes nothing of it', async () => {
    const good = signIn({ atMs: T0 + 3 * HOUR });
    const bad = file('bad.ndjson', `${JSON.stringify(toGraph(good))}\n${JSON.stringify({ ...toGraph(signIn()), ipAddress: '10.0.0.999' })}\n`);
    const result = await runCli(['import', 'sign-ins', '--tenant', 'contoso.com', bad], cli.env);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/bad\.ndjson: record 1 \(line 2, id s\d+\): ipAddress: not an IP address/);
    const goodOnly = file('good.ndjson', JSON.stringify(toGraph(good)));
    expect(await json(['import', 'sign-ins', '--tenant', 'contoso.com', goodOnly])).toMatchObject({ inserted: 1 });
  });

  it('imports directory users and a leak list that judges them at once', async () => {
    const users = file('users.json', JSON.stringify({ value: [{ id: 'u-carol', userPrincipalName: 'carol@contoso.com', displayName: 'Carol', mail: 'Carol@Contoso.com' }] }));
    expect(await json(['import', 'users', '--tenant', 'contoso.com', users])).toEqual({ received: 1, created: 1, riskDetections: 0 });
    const leaked = file('leaked.txt', '# paste site\ncarol@contoso.com\nnobody@contoso.com\n');
    expect(await json(['import', 'leaked', '--tenant', 'contoso.com', leaked])).toEqual({ entries: 2, added: 2, removed: 0, riskDetections: 1 });
  });

  it('imports a trusted location per tenant and requires its name', async () => {
    const vpn = file('vpn.txt', '198.51.100.32/28\n');
    expect(await json(['import', 'ip-list', '--kind', 'trusted', '--tenant', 'contoso.com', '--name', 'VPN', vpn])).toEqual({ list: 'trusted/VPN', entries: 1, added: 1, removed: 0 });
    const missing = await runCli(['import', 'ip-list', '--kind', 'trusted', '--tenant', 'contoso.com', vpn], cli.env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--name NAME is required/);
  });

  it.each([
    [['import', 'sign-ins', '--tenant', 'contoso.com'], /FILE is required/],
    [['import', 'sign-ins', '--tenant', 'nowhere.example', 'x.json'], /no tenant with domain nowhere\.example/],
    [['import', 'sign-ins', '--tenant', 'contoso.com', '/nonexistent/x.ndjson'], /no such file/],
    [['import', 'sign-ins', '--tenant', 'contoso.com', 'x.xml'], /^riskdesk: x\.xml: no such file\n$/],
    [['import', 'ip-list', '--kind', 'tor', 'x.txt'], /--kind must be anonymous, malware or trusted/],
    [['detections', '--tenant', 'contoso.com', '--since', 'yesterday'], /--since must be an ISO 8601 time/],
    [['import', 'everything'], /unknown command "import everything"/],
  ])('refuses %j with one line naming the problem', async (args, message) => {
    const result = await runCli(args, cli.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
