import { describe, expect, it } from 'vitest';
import { parseSignIns } from '../../src/ingest/parse.js';
import type { SignInRecord } from '../../src/ingest/types.js';
import { lines, servicePrincipalRecord, toAzureMonitor, toPortalCsv, toSentinel, toSentinelCsv } from '../helpers/dialects.js';
import { PLACES, signIn, toGraph } from '../helpers/sign-ins.js';

const records = [
  signIn({ place: PLACES.seattle }),
  signIn({ place: PLACES.london, ipAddress: '2001:db8::1', errorCode: 50126, failureReason: 'Invalid username or password, or a comma' }),
  signIn({ place: PLACES.tokyo, userDisplayName: null, appDisplayName: 'Azure Portal', userId: 'u-bob', userPrincipalName: 'bob@contoso.com' }),
];
const CORE = ['id', 'createdDateTime', 'userId', 'userPrincipalName', 'userDisplayName', 'appDisplayName', 'clientAppUsed', 'ipAddress', 'errorCode', 'failureReason', 'city', 'state', 'countryOrRegion', 'latitude', 'longitude', 'browser', 'operatingSystem'] as const;
const core = (record: SignInRecord) => Object.fromEntries(CORE.map((key) => [key, record[key]]));
const noCoordinates = (record: SignInRecord) => ({ ...core(record), latitude: null, longitude: null });
const BOM = '\uFEFF';

describe('import dialects, told by content', () => {
  it.each([
    ['Graph array', JSON.stringify(records.map(toGraph))],
    ['Graph page with BOM and CRLF', BOM + JSON.stringify({ '@odata.context': 'x', value: records.map(toGraph) }, null, 2).replace(/\n/g, '\r\n')],
    ['Graph JSON lines', lines(records.map(toGraph), '\r\n')],
    ['Sentinel JSON (objects)', JSON.stringify(records.map((r) => toSentinel(r)))],
    ['Sentinel JSON (JSON-string columns)', JSON.stringify(records.map((r) => toSentinel(r, true)))],
    ['Sentinel CSV with BOM and CRLF', BOM + toSentinelCsv(records, '\r\n')],
    ['Azure Monitor PT1H.json lines', lines(records.map((r) => toAzureMonitor(r)))],
    ['Event Hub message', JSON.stringify({ records: records.map((r) => toAzureMonitor(r, 'NonInteractiveUserSignInLogs')) })],
    ['Event Hub messages, one a line', lines([{ records: records.slice(0, 2).map((r) => toAzureMonitor(r)) }, { records: records.slice(2).map((r) => toAzureMonitor(r)) }])],
  ])('reads %s to the same sign-ins', (_, text) => {
    const parsed = parseSignIns(text);
    expect(parsed.records.map(core)).toEqual(records.map(core));
    expect(parsed).toMatchObject({ received: 3, skipped: { servicePrincipal: 0, managedIdentity: 0, otherLog: 0 } });
  });

  it('reads the portal CSV, its Location "City, State, CC" and words for enums', () => {
    for (const text of [toPortalCsv(records), BOM + toPortalCsv(records, '\r\n')]) {
      const parsed = parseSignIns(text).records;
      expect(parsed.map(core)).toEqual(records.map(noCoordinates));
      expect(parsed[0]).toMatchObject({ conditionalAccessStatus: 'notApplied', authenticationRequirement: 'singleFactorAuthentication', correlationId: `corr-${records[0].id}` });
    }
  });

  it('keeps what admins look at, Entra’s own risk apart, and 7-digit times to the microsecond', () => {
    const row = { ...toSentinel(records[0]), TimeGenerated: '2026-01-01T00:00:00.1234567Z', CreatedDateTime: '2026-01-01T00:00:00.1234567Z', RiskLevelDuringSignIn: 'high', RiskState: 'atRisk' };
    const [record] = parseSignIns(JSON.stringify([row])).records;
    expect(record).toMatchObject({
      createdDateTime: new Date('2026-01-01T00:00:00.123Z'),
      microseconds: 456,
      userAgent: expect.stringContaining('Edg/120'),
      appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      isInteractive: true,
      conditionalAccessStatus: 'notApplied',
      authenticationRequirement: 'singleFactorAuthentication',
      riskLevelDuringSignIn: 'high',
      riskState: 'atRisk',
    });
  });

  it('counts service principals, managed identities and other logs of a mixed stream as skipped', () => {
    const audit = { time: '2026-01-01T00:00:00Z', category: 'AuditLogs', operationName: 'Add user', properties: { id: 'a1', activityDisplayName: 'Add user' } };
    const msi = { ...servicePrincipalRecord('m1', '2026-01-01T00:00:00Z'), category: 'ManagedIdentitySignInLogs' };
    const graphSp = { id: 'g1', createdDateTime: '2026-01-01T00:00:00Z', servicePrincipalId: 'sp', servicePrincipalName: 'backup', signInEventTypes: ['servicePrincipal'] };
    const sentinelSp = { TimeGenerated: '2026-01-01T00:00:00Z', Type: 'AADServicePrincipalSignInLogs', ServicePrincipalId: 'sp', ResultType: '0' };
    const text = lines([toAzureMonitor(records[0]), servicePrincipalRecord('sp1', '2026-01-01T00:00:00Z'), audit, msi, toAzureMonitor(records[1], 'NonInteractiveUserSignInLogs'), graphSp, sentinelSp]);
    const parsed = parseSignIns(text);
    expect(parsed.records.map((r) => r.id)).toEqual([records[0].id, records[1].id]);
    expect(parsed.records[1].isInteractive).toBe(false);
    expect(parsed).toMatchObject({ received: 7, skipped: { servicePrincipal: 3, managedIdentity: 1, otherLog: 1 } });
  });

  it('says when a file is in no known shape, listing the fields seen and what is supported', () => {
    const audit = [{ TimeGenerated2: 'x', Identity: 'Alice', OperationName: 'Add user', TargetResources: [] }];
    expect(() => parseSignIns(JSON.stringify(audit))).toThrow(
      'not a sign-in log Riskdesk knows: first record has fields TimeGenerated2, Identity, OperationName, TargetResources — supported: Graph signIn, Sentinel SigninLogs, Azure Monitor diagnostic records, portal CSV',
    );
    expect(() => parseSignIns('Name,Email\nAlice,alice@contoso.com\n')).toThrow(/not a sign-in log Riskdesk knows: a CSV file with columns Name, Email — supported/);
    expect(() => parseSignIns(lines([toGraph(records[0]), { displayName: 'x', mail: 'y' }]))).toThrow(/^record 1 \(line 2\): record: not a sign-in Riskdesk knows; it has fields displayName, mail$/);
  });

  it('names a malformed user sign-in by index, line and id, in its own dialect too', () => {
    const bad = { ...toSentinel(records[1]), IPAddress: '10.0.0.999' };
    expect(() => parseSignIns(JSON.stringify([toSentinel(records[0]), bad]))).toThrow(`record 1 (id ${records[1].id}): ipAddress: not an IP address: "10.0.0.999"`);
    const noUpn = { ...toAzureMonitor(records[0]), properties: { ...toGraph(records[0]), userPrincipalName: '' } };
    expect(() => parseSignIns(lines([toAzureMonitor(records[1]), noUpn]))).toThrow(`record 1 (line 2, id ${records[0].id}): userPrincipalName: is required`);
  });
});
