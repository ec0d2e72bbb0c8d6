import { describe, expect, it } from 'vitest';
import { matchLeakedCredentials } from '../../src/detection/leaked.js';
import { MINUTE, signIn, T0 } from '../helpers/sign-ins.js';
import { judgeAll, typesOf } from './detection-helpers.js';

const SPRAYER = '192.0.2.10';

function failures(count: number, minutesBefore: number[] = [], errorCode = 50126) {
  const offsets = minutesBefore.length > 0 ? minutesBefore : Array.from({ length: count }, (_, i) => 10 + i);
  return offsets.map((minutes, i) =>
    signIn({ atMs: T0 - minutes * MINUTE, ipAddress: SPRAYER, errorCode, userId: `u-${i}`, userPrincipalName: `user${i}@contoso.com` }),
  );
}

const success = () => signIn({ atMs: T0, ipAddress: SPRAYER });

describe('suspiciousIPAddress', () => {
  it('fires after credential failures for 5 distinct UPNs from the IP in the 60 minutes before, and not for 4', () => {
    const hit = success();
    const events = judgeAll([...failures(5), hit]);
    expect(typesOf(events.get(hit.id))).toEqual(['suspiciousIPAddress']);
    const evidence = Object.fromEntries(events.get(hit.id)![0].evidence.map((item) => [item.key, item.value]));
    expect(evidence).toMatchObject({ failureCount: '5', distinctUserPrincipalNames: '5', windowMinutes: '60' });
    const miss = success();
    expect(typesOf(judgeAll([...failures(4), miss]).get(miss.id))).toEqual([]);
  });

  it('counts a failure 59 minutes before and not one 61 minutes before', () => {
    const inside = success();
    expect(typesOf(judgeAll([...failures(5, [10, 20, 30, 40, 59]), inside]).get(inside.id))).toEqual(['suspiciousIPAddress']);
    const outside = success();
    expect(typesOf(judgeAll([...failures(5, [10, 20, 30, 40, 61]), outside]).get(outside.id))).toEqual([]);
  });

  it('counts only 50126 and 50053, distinct UPNs case-insensitively, and never failures after the sign-in', () => {
    const locked = success();
    expect(typesOf(judgeAll([...failures(5, [], 50053), locked]).get(locked.id))).toEqual(['suspiciousIPAddress']);
    const mfa = success();
    expect(typesOf(judgeAll([...failures(5, [], 50074), mfa]).get(mfa.id))).toEqual([]);
    const sameUser = failures(5).map((failure, i) => ({ ...failure, userId: 'u-x', userPrincipalName: i % 2 ? 'X@contoso.com' : 'x@contoso.com' }));
    const repeated = success();
    expect(typesOf(judgeAll([...sameUser, repeated]).get(repeated.id))).toEqual([]);
    const early = success();
    expect(typesOf(judgeAll([...failures(5, [-1, -2, -3, -4, -5]), early]).get(early.id))).toEqual([]);
  });

  it('raises nothing for the failures themselves, and nothing from a trusted IP', () => {
    const sprayed = failures(6);
    const events = judgeAll([...sprayed, success()], { trusted: [SPRAYER] });
    for (const events_ of events.values()) expect(events_).toEqual([]);
  });

  it('counts stored failures loaded for the batch', () => {
    const stored = failures(5).map((failure) => ({ id: failure.id, at: failure.createdDateTime.getTime(), upn: failure.userPrincipalName }));
    const hit = success();
    expect(typesOf(judgeAll([hit], { storedFailures: { [SPRAYER]: stored } }).get(hit.id))).toEqual(['suspiciousIPAddress']);
  });
});

describe('anonymizedIPAddress and malwareInfectedIPAddress', () => {
  it('fire for listed IPs with their own level and timing, independently of each other and of other rules', () => {
    const both = signIn({ ipAddress: '203.0.113.1' });
    const [anonymous, malware] = judgeAll([both], { anonymous: ['203.0.113.1'], malware: ['203.0.113.1'] }).get(both.id)!;
    expect(anonymous).toMatchObject({ riskEventType: 'anonymizedIPAddress', riskLevel: 'medium', detectionTimingType: 'realtime' });
    expect(malware).toMatchObject({ riskEventType: 'malwareInfectedIPAddress', riskLevel: 'low', detectionTimingType: 'offline' });
    expect(anonymous.evidence).toEqual([
      { key: 'list', value: 'anonymous: tor' },
      { key: 'matchedEntry', value: '203.0.113.1/32' },
    ]);
  });

  it('do not judge failed sign-ins', () => {
    const failed = signIn({ ipAddress: '203.0.113.1', errorCode: 50126 });
    expect(judgeAll([failed], { anonymous: ['203.0.113.1'] }).get(failed.id)).toEqual([]);
  });
});

describe('leakedCredentials matching', () => {
  it('matches the UPN or mail case-insensitively, once per user per entry', () => {
    const users = [
      { id: 'a', userPrincipalName: 'Alice@Contoso.com', mail: 'alice@contoso.com' },
      { id: 'b', userPrincipalName: 'bob@contoso.com', mail: 'Bob.Smith@Contoso.com' },
      { id: 'c', userPrincipalName: 'carol@contoso.com', mail: null },
    ];
    expect(matchLeakedCredentials(users, ['alice@contoso.com', 'bob.smith@contoso.com', 'nobody@contoso.com'])).toEqual([
      { userId: 'a', entry: 'alice@contoso.com' },
      { userId: 'b', entry: 'bob.smith@contoso.com' },
    ]);
  });
});
