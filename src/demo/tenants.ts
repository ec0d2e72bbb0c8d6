import { CONTOSO_VPN_RANGE } from './addresses.js';
import type { DemoTenantKind } from './types.js';

/** A scripted incident, `daysAgo` before the end of the data. Hosts are the last octet inside the pinned ranges. */
export type Scenario =
  | { kind: 'spray'; daysAgo: number; host: number; city: string; targets: number }
  | { kind: 'anonymous'; daysAgo: number; host: number; city: string }
  | { kind: 'malware'; daysAgo: number; host: number }
  | { kind: 'travel'; daysAgo: number; city: string }
  | { kind: 'nearby'; daysAgo: number };

export interface TenantProfile {
  index: number;
  domain: string;
  userCount: number;
  defaultSignIns: number;
  offices: { city: string; weight: number }[];
  vpn: { name: string; range: string; city: string } | null;
  scenarios: Scenario[];
}

// Each kind of incident happens within the last 7 days (what a free tenant keeps) and again
// within the last 30; Contoso, on 90-day retention, also has some older ones.
const CONTOSO: TenantProfile = {
  index: 0,
  domain: 'contoso.com',
  userCount: 300,
  defaultSignIns: 15_000,
  offices: [
    { city: 'Seattle', weight: 30 },
    { city: 'New York', weight: 14 },
    { city: 'Chicago', weight: 8 },
    { city: 'Austin', weight: 6 },
    { city: 'Toronto', weight: 4 },
    { city: 'London', weight: 12 },
    { city: 'Munich', weight: 6 },
    { city: 'Bengaluru', weight: 10 },
    { city: 'Tokyo', weight: 5 },
    { city: 'Sydney', weight: 5 },
  ],
  vpn: { name: 'Corporate VPN', range: CONTOSO_VPN_RANGE, city: 'Seattle' },
  scenarios: [
    { kind: 'travel', daysAgo: 0.9, city: 'Saint Petersburg' },
    { kind: 'spray', daysAgo: 1.25, host: 17, city: 'Moscow', targets: 8 },
    { kind: 'nearby', daysAgo: 1.9 },
    { kind: 'anonymous', daysAgo: 2.4, host: 21, city: 'Moscow' },
    { kind: 'malware', daysAgo: 3.3, host: 66 },
    { kind: 'travel', daysAgo: 3.8, city: 'Lagos' },
    { kind: 'anonymous', daysAgo: 4.7, host: 38, city: 'Frankfurt' },
    { kind: 'nearby', daysAgo: 5.1 },
    { kind: 'travel', daysAgo: 5.6, city: 'Beijing' },
    { kind: 'travel', daysAgo: 9.2, city: 'São Paulo' },
    { kind: 'anonymous', daysAgo: 9.6, host: 50, city: 'Stockholm' },
    { kind: 'nearby', daysAgo: 10.7 },
    { kind: 'spray', daysAgo: 11.4, host: 44, city: 'Beijing', targets: 7 },
    { kind: 'malware', daysAgo: 15.6, host: 71 },
    { kind: 'nearby', daysAgo: 16.9 },
    { kind: 'anonymous', daysAgo: 17.8, host: 12, city: 'Bucharest' },
    { kind: 'travel', daysAgo: 20.5, city: 'Shanghai' },
    { kind: 'spray', daysAgo: 23.2, host: 5, city: 'Lagos', targets: 6 },
    { kind: 'nearby', daysAgo: 24.8 },
    { kind: 'malware', daysAgo: 26.1, host: 75 },
    { kind: 'travel', daysAgo: 28.4, city: 'Moscow' },
    { kind: 'nearby', daysAgo: 36.5 },
    { kind: 'malware', daysAgo: 38.2, host: 77 },
    { kind: 'spray', daysAgo: 41.3, host: 33, city: 'Novosibirsk', targets: 9 },
    { kind: 'anonymous', daysAgo: 47.6, host: 3, city: 'Amsterdam' },
    { kind: 'travel', daysAgo: 52.9, city: 'Johannesburg' },
  ],
};

const FABRIKAM: TenantProfile = {
  index: 1,
  domain: 'fabrikam.com',
  userCount: 200,
  defaultSignIns: 8_000,
  offices: [
    { city: 'Amsterdam', weight: 30 },
    { city: 'Rotterdam', weight: 8 },
    { city: 'London', weight: 14 },
    { city: 'Berlin', weight: 10 },
    { city: 'Paris', weight: 10 },
    { city: 'Madrid', weight: 8 },
    { city: 'Stockholm', weight: 5 },
    { city: 'São Paulo', weight: 8 },
    { city: 'Mumbai', weight: 7 },
  ],
  vpn: null,
  scenarios: [
    { kind: 'travel', daysAgo: 0.7, city: 'Lagos' },
    { kind: 'anonymous', daysAgo: 1.4, host: 27, city: 'Moscow' },
    { kind: 'spray', daysAgo: 2.2, host: 52, city: 'Moscow', targets: 7 },
    { kind: 'nearby', daysAgo: 2.8 },
    { kind: 'travel', daysAgo: 3.6, city: 'Novosibirsk' },
    { kind: 'malware', daysAgo: 4.1, host: 68 },
    { kind: 'anonymous', daysAgo: 5.3, host: 45, city: 'Bucharest' },
    { kind: 'nearby', daysAgo: 6.1 },
    { kind: 'travel', daysAgo: 9.8, city: 'Mexico City' },
    { kind: 'malware', daysAgo: 12.2, host: 73 },
    { kind: 'spray', daysAgo: 14.3, host: 9, city: 'Shanghai', targets: 6 },
    { kind: 'nearby', daysAgo: 17.4 },
    { kind: 'anonymous', daysAgo: 19.5, host: 60, city: 'Frankfurt' },
    { kind: 'travel', daysAgo: 25.3, city: 'Beijing' },
    { kind: 'nearby', daysAgo: 27.9 },
  ],
};

export const TENANT_PROFILES: Record<DemoTenantKind, TenantProfile> = { contoso: CONTOSO, fabrikam: FABRIKAM };
