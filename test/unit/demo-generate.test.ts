import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CITIES } from '../../src/demo/cities.js';
import { generateDemoTenant, type DemoTenantData, type GraphSignIn } from '../../src/demo/generate.js';
import { detectSignInRisks, distanceKm, inCidr, type SignInRiskType } from '../helpers/demo-reference-detector.js';

const NOW = new Date('2026-11-27T04:00:00.000Z');
const DAY = 86_400_000;
const KINDS = ['contoso', 'fabrikam'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PINNED = { anonymous: '203.0.113.0/26', malware: '198.51.100.64/28', spray: '192.0.2.0/26', vpn: '198.51.100.32/28' };
const SIGN_IN_TYPES: SignInRiskType[] = ['anonymizedIPAddress', 'malwareInfectedIPAddress', 'suspiciousIPAddress', 'unlikelyTravel', 'unfamiliarFeatures'];

const tenants = {
  contoso: generateDemoTenant('contoso', { seed: 1, now: NOW }),
  fabrikam: generateDemoTenant('fabrikam', { seed: 1, now: NOW }),
};
const signInsOf = { contoso: [...tenants.contoso.signIns], fabrikam: [...tenants.fabrikam.signIns] };

function fingerprint(data: DemoTenantData): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ ...data, signIns: null }));
  for (const signIn of data.signIns) hash.update(JSON.stringify(signIn));
  return hash.digest('hex');
}

function detect(data: DemoTenantData, signIns: Iterable<GraphSignIn> = data.signIns) {
  return detectSignInRisks(signIns, { anonymous: data.anonymousIps, malware: data.malwareIps, trusted: data.trusted.flatMap((location) => location.ranges) });
}

const daysAgo = (signIn: GraphSignIn) => (NOW.getTime() - Date.parse(signIn.createdDateTime)) / DAY;
const inPinnedRange = (ip: string) => Object.values(PINNED).some((range) => inCidr(ip, range));
const cidrInside = (inner: string, outer: string) => {
  const [network, bits = '32'] = inner.split('/');
  return Number(bits) >= Number(outer.split('/')[1]) && inCidr(network, outer);
};

describe('demo tenant generation', () => {
  it('gives byte-identical data for the same seed and now', () => {
    for (const kind of KINDS) {
      expect(fingerprint(generateDemoTenant(kind, { seed: 1, now: NOW }))).toBe(fingerprint(tenants[kind]));
    }
  });

  it('gives different users and sign-ins for a different seed', () => {
    const other = generateDemoTenant('contoso', { seed: 2, now: NOW });
    expect(other.users.map((user) => user.id)).not.toEqual(tenants.contoso.users.map((user) => user.id));
    expect(other.users.map((user) => user.userPrincipalName)).not.toEqual(tenants.contoso.users.map((user) => user.userPrincipalName));
    const [first] = other.signIns;
    expect(first.id).not.toBe(signInsOf.contoso[0].id);
  });

  it('shifts every sign-in by exactly the difference when now moves by whole weeks', () => {
    const later = new Date(NOW.getTime() + 14 * DAY);
    for (const kind of KINDS) {
      const shifted = generateDemoTenant(kind, { seed: 1, now: later });
      expect(shifted.users).toEqual(tenants[kind].users);
      expect(shifted.leaked).toEqual(tenants[kind].leaked);
      const original = signInsOf[kind];
      const moved = [...shifted.signIns].map((signIn) => ({ ...signIn, createdDateTime: new Date(Date.parse(signIn.createdDateTime) - 14 * DAY).toISOString() }));
      expect(moved.length).toBe(original.length);
      expect(moved.every((signIn, index) => JSON.stringify(signIn) === JSON.stringify(original[index]))).toBe(true);
    }
  });

  it('keeps users, lists and every kind of incident when now moves by part of a day', () => {
    const later = new Date(NOW.getTime() + 5.5 * 3_600_000);
    const shifted = generateDemoTenant('fabrikam', { seed: 1, now: later });
    expect(shifted.users).toEqual(tenants.fabrikam.users);
    expect([...shifted.signIns]).toHaveLength(signInsOf.fabrikam.length);
    expect(new Set(detect(shifted).map((detection) => detection.type))).toEqual(new Set(SIGN_IN_TYPES));
  });

  it('emits sign-ins strictly in time order, ending shortly before now with history from 45+ days back', () => {
    for (const kind of KINDS) {
      const times = signInsOf[kind].map((signIn) => Date.parse(signIn.createdDateTime));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
      expect(times[times.length - 1]).toBeLessThan(NOW.getTime());
      expect(NOW.getTime() - times[times.length - 1]).toBeLessThan(DAY);
      expect(NOW.getTime() - times[0]).toBeGreaterThan(45 * DAY);
    }
  });

  it('has a few hundred users with unique GUID ids, UPNs and mails', () => {
    expect(tenants.contoso.users).toHaveLength(300);
    expect(tenants.fabrikam.users).toHaveLength(200);
    for (const kind of KINDS) {
      const { users } = tenants[kind];
      const domain = `${kind}.com`;
      for (const user of users) {
        expect(user.id).toMatch(GUID);
        expect(user.userPrincipalName).toMatch(new RegExp(`^[a-z]+\\.[a-z]+\\d*@${domain}$`));
        expect(user.mail.endsWith(`@${domain}`)).toBe(true);
        expect(user.displayName).toMatch(/^\S+ \S+( \S+)?$/);
      }
      expect(new Set(users.map((user) => user.id)).size).toBe(users.length);
      const addresses = new Set(users.flatMap((user) => [user.userPrincipalName, user.mail]));
      expect(addresses.size).toBe(users.length + users.filter((user) => user.mail !== user.userPrincipalName).length);
    }
  });

  it('gives every sign-in a well-formed Graph shape, with ids unique across both tenants', () => {
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const kind of KINDS) {
      const users = new Map(tenants[kind].users.map((user) => [user.id, user]));
      for (const signIn of signInsOf[kind]) {
        ids.add(signIn.id);
        const user = users.get(signIn.userId);
        const coordinates = signIn.location.geoCoordinates;
        const checks = {
          id: GUID.test(signIn.id),
          createdDateTime: new Date(signIn.createdDateTime).toISOString() === signIn.createdDateTime,
          user: user?.userPrincipalName === signIn.userPrincipalName && user?.displayName === signIn.userDisplayName,
          ipAddress: isIP(signIn.ipAddress) === 4,
          country: /^[A-Z]{2}$/.test(signIn.location.countryOrRegion),
          place: signIn.location.city !== '' && signIn.location.state !== '',
          coordinates: coordinates !== null && Math.abs(coordinates.latitude) <= 90 && Math.abs(coordinates.longitude) <= 180,
          client: [signIn.appDisplayName, signIn.clientAppUsed, signIn.deviceDetail.browser, signIn.deviceDetail.operatingSystem].every(Boolean),
          status: (signIn.status.errorCode === 0) === (signIn.status.failureReason === undefined),
        };
        for (const [field, ok] of Object.entries(checks)) if (!ok) problems.push(`${kind} ${signIn.id} ${field}`);
      }
    }
    expect(problems).toEqual([]);
    expect(ids.size).toBe(signInsOf.contoso.length + signInsOf.fabrikam.length);
  });

  it('keeps ordinary traffic to weekdays and waking hours in the city it comes from', () => {
    const offsets = new Map(CITIES.map((city) => [city.name, city.utcOffsetHours]));
    const local = signInsOf.contoso.map((signIn) => new Date(Date.parse(signIn.createdDateTime) + offsets.get(signIn.location.city)! * 3_600_000));
    const weekday = local.filter((time) => time.getUTCDay() % 6 !== 0).length / local.length;
    const waking = local.filter((time) => time.getUTCHours() >= 6 && time.getUTCHours() <= 23).length / local.length;
    expect(weekday).toBeGreaterThan(0.85);
    expect(waking).toBeGreaterThan(0.95);
  });

  it('names only the pinned documentation ranges in its lists', () => {
    for (const kind of KINDS) {
      const data = tenants[kind];
      expect(data.anonymousIps.length).toBeGreaterThan(0);
      expect(data.malwareIps.length).toBeGreaterThan(0);
      for (const entry of data.anonymousIps) expect(cidrInside(entry, PINNED.anonymous)).toBe(true);
      for (const entry of data.malwareIps) expect(cidrInside(entry, PINNED.malware)).toBe(true);
    }
    expect(tenants.contoso.trusted).toEqual([{ name: 'Corporate VPN', ranges: [PINNED.vpn] }]);
    expect(tenants.fabrikam.trusted).toEqual([]);
  });

  it('keeps ordinary traffic out of the list and spraying ranges, whatever its size', () => {
    const larger = generateDemoTenant('contoso', { seed: 1, now: NOW, signIns: 50_000 });
    const listed = (signIns: Iterable<GraphSignIn>) =>
      [...signIns].filter((signIn) => [PINNED.anonymous, PINNED.malware, PINNED.spray].some((range) => inCidr(signIn.ipAddress, range))).length;
    expect(listed(larger.signIns)).toBe(listed(signInsOf.contoso));
    expect(listed(signInsOf.contoso)).toBeLessThan(100);
    for (const kind of KINDS) {
      const documentation = signInsOf[kind].filter((signIn) => /^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(signIn.ipAddress));
      expect(documentation.every((signIn) => inPinnedRange(signIn.ipAddress))).toBe(true);
    }
    expect(signInsOf.contoso.some((signIn) => inCidr(signIn.ipAddress, PINNED.vpn))).toBe(true);
    expect(signInsOf.fabrikam.some((signIn) => inCidr(signIn.ipAddress, PINNED.vpn))).toBe(false);
  });

  it('has password spraying: 5+ distinct UPNs failing from one 192.0.2.x IP within an hour, then a success', () => {
    for (const kind of KINDS) {
      const sprays = signInsOf[kind].filter((signIn, index, all) => {
        if (signIn.status.errorCode !== 0 || !inCidr(signIn.ipAddress, PINNED.spray)) return false;
        const at = Date.parse(signIn.createdDateTime);
        const failed = all.filter(
          (other) =>
            other.ipAddress === signIn.ipAddress &&
            other.status.errorCode === 50126 &&
            Date.parse(other.createdDateTime) >= at - 3_600_000 &&
            all.indexOf(other) < index,
        );
        return new Set(failed.map((other) => other.userPrincipalName)).size >= 5;
      });
      expect(sprays.some((signIn) => daysAgo(signIn) < 7)).toBe(true);
    }
  });

  it('has impossible travel (500+ km faster than 900 km/h) and real flights that stay under that speed', () => {
    for (const kind of KINDS) {
      const flagged = new Set(detect(tenants[kind], signInsOf[kind]).map((detection) => detection.signIn));
      const last = new Map<string, GraphSignIn>();
      const pairs: { km: number; kmh: number; later: GraphSignIn }[] = [];
      for (const signIn of signInsOf[kind]) {
        if (signIn.status.errorCode !== 0 || inPinnedRange(signIn.ipAddress)) continue;
        const previous = last.get(signIn.userId);
        if (previous && !flagged.has(previous)) {
          const km = distanceKm(previous.location.geoCoordinates!, signIn.location.geoCoordinates!);
          const hours = (Date.parse(signIn.createdDateTime) - Date.parse(previous.createdDateTime)) / 3_600_000;
          if (km >= 500) pairs.push({ km, kmh: km / hours, later: signIn });
        }
        last.set(signIn.userId, signIn);
      }
      expect(pairs.some((pair) => pair.kmh > 900 && daysAgo(pair.later) < 7)).toBe(true);
      const flights = pairs.filter((pair) => pair.kmh <= 900 && !flagged.has(pair.later));
      expect(flights.length).toBeGreaterThan(5);
      expect(pairs.every((pair) => pair.kmh <= 900 || flagged.has(pair.later))).toBe(true);
    }
  });

  it('raises every sign-in risk type in both tenants within the last 7 and the last 30 days, by the spec rules', () => {
    for (const kind of KINDS) {
      const detections = detect(tenants[kind]);
      for (const type of SIGN_IN_TYPES) {
        const ages = detections.filter((detection) => detection.type === type).map((detection) => daysAgo(detection.signIn));
        expect(ages.some((age) => age < 7), `${kind} ${type} in 7 days`).toBe(true);
        expect(ages.some((age) => age >= 7 && age < 30), `${kind} ${type} in 8-30 days`).toBe(true);
      }
      const medium = detections.filter((detection) => detection.type !== 'malwareInfectedIPAddress');
      expect(medium.some((detection) => detection.signIn.location.countryOrRegion === 'RU' && daysAgo(detection.signIn) < 7)).toBe(true);
      expect(new Set(detections.map((detection) => detection.signIn.location.countryOrRegion)).size).toBeGreaterThan(5);
    }
  });

  it('raises risks only for the planted incidents, however many sign-ins are asked for', () => {
    const counts = [tenants.contoso, generateDemoTenant('contoso', { seed: 1, now: NOW, signIns: 50_000 })].map((data) => detect(data).length);
    expect(counts[0]).toBeLessThan(60);
    expect(counts[1]).toBeLessThan(60);
    expect(detect(tenants.fabrikam).length).toBeLessThan(40);
  });

  it('leaks a few real users by UPN or mail, in any letter case, and some addresses of nobody', () => {
    for (const kind of KINDS) {
      const known = new Set(tenants[kind].users.flatMap((user) => [user.userPrincipalName, user.mail]));
      const entries = tenants[kind].leaked.map((entry) => entry.toLowerCase());
      expect(entries.filter((entry) => known.has(entry)).length).toBeGreaterThanOrEqual(3);
      expect(entries.filter((entry) => !known.has(entry)).length).toBeGreaterThanOrEqual(1);
      expect(tenants[kind].leaked.some((entry) => entry !== entry.toLowerCase())).toBe(true);
    }
    const contoso = tenants.contoso;
    expect(contoso.leaked.some((entry) => contoso.users.some((user) => user.mail === entry && user.mail !== user.userPrincipalName))).toBe(true);
  });

  it('yields exactly the number of sign-ins asked for, lazily and again on each iteration', () => {
    const data = generateDemoTenant('contoso', { seed: 1, now: NOW, signIns: 50_000 });
    expect(Array.isArray(data.signIns)).toBe(false);
    let count = 0;
    for (const _ of data.signIns) count++;
    expect(count).toBe(50_000);
    const [first] = data.signIns;
    const [again] = data.signIns;
    expect(again).toEqual(first);
  });

  it('streams ten million sign-ins without building them all', () => {
    // Laziness, not speed: ten million built sign-ins would take gigabytes of heap (speed is npm run bench's).
    const heapBefore = process.memoryUsage().heapUsed;
    const data = generateDemoTenant('contoso', { seed: 1, now: NOW, signIns: 10_000_000 });
    expect(Array.isArray(data.signIns)).toBe(false);
    const iterator = data.signIns[Symbol.iterator]();
    for (let i = 0; i < 1000; i++) expect(iterator.next().done).toBe(false);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024);
  });

  it('refuses a sign-in count too small to hold the planted incidents', () => {
    expect(() => generateDemoTenant('fabrikam', { seed: 1, now: NOW, signIns: 10 })).toThrow(RangeError);
  });
});
