import { CITIES, type City } from './cities.js';

/** Documentation ranges (RFC 5737) for the demo's lists, so no real address is named. */
export const ANONYMOUS_RANGE = '203.0.113.0/26';
export const MALWARE_RANGE = '198.51.100.64/28';
export const SPRAY_RANGE = '192.0.2.0/26';
export const CONTOSO_VPN_RANGE = '198.51.100.32/28';

export const anonymousIp = (host: number) => `203.0.113.${inRange(host, 1, 62)}`;
export const malwareIp = (host: number) => `198.51.100.${inRange(host, 65, 78)}`;
export const sprayIp = (host: number) => `192.0.2.${inRange(host, 1, 62)}`;
export const vpnIp = (host: number) => `198.51.100.${inRange(host, 33, 46)}`;

/**
 * Ordinary traffic comes from public-looking blocks, one /16 per city, far from the documentation
 * ranges (none starts with 192, 198 or 203), so it never lands on a list by accident.
 */
const FIRST_OCTETS = [20, 23, 31, 37, 45, 46, 51, 62, 77, 78, 81, 82, 86, 91, 94, 109, 151, 176, 185, 212, 213, 217];
const PER_KIND = 8000;

export const ADDRESS_KINDS = { desktop: 0, mobile: 1, visitor: 2, outsider: 3 } as const;

/** A unique address per (city, kind, tenant, index): users' own IPs are never shared, so their typos never look like spraying. */
export function makeCityIp(city: City, kind: keyof typeof ADDRESS_KINDS, tenant: number, index: number): string {
  const cityIndex = CITIES.indexOf(city);
  const host = (ADDRESS_KINDS[kind] * 2 + tenant) * PER_KIND + inRange(index, 0, PER_KIND - 1);
  const second = ((cityIndex * 53 + 7) % 254) + 1;
  return `${FIRST_OCTETS[cityIndex % FIRST_OCTETS.length]}.${second}.${Math.floor(host / 254)}.${(host % 254) + 1}`;
}

function inRange(value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${value} is outside ${min}..${max}`);
  return value;
}

export function isVpnIp(ip: string): boolean {
  const [a, b, c, d] = ip.split('.').map(Number);
  return a === 198 && b === 51 && c === 100 && d >= 32 && d < 48;
}
