import postgres from 'postgres';
import { latencyOf, median, throughputOf, type RequestSpec } from './load.js';
import { cli, cpuSeconds, root, sparePort, startServer, stopServer } from './server.js';

// `tsx bench/evaluate.ts DATABASE_URL [CHECKOUT...]`: only bench/run.ts's measurements of the two calls
// an identity provider makes (evaluate, then the risk decision), against a database that already
// holds the demo (`riskdesk demo --sign-ins N`), for this checkout and any others (an earlier commit,
// built) in alternating rounds, so before and after share one run.
// BENCH_ROUNDS (3), BENCH_REQUESTS (300), BENCH_SECONDS (10), BENCH_CONNECTIONS (32).

const [databaseUrl, ...others] = process.argv.slice(2);
if (!databaseUrl) throw new Error('usage: tsx bench/evaluate.ts DATABASE_URL [CHECKOUT...]');
const checkouts = [root, ...others];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const key = (JSON.parse((await cli(['apikey', 'create', '--tenant', 'contoso.com', '--name', 'bench-evaluate', '--json'], databaseUrl)).stdout) as { key: string }).key;
const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
const users = await db<{ user_id: string; user_principal_name: string }[]>`
  select distinct s.user_id, s.user_principal_name from sign_ins s join tenants t on t.id = s.tenant_id where t.domain = 'contoso.com' limit 200`;
await db.end();

let series = 0;
/** As bench/run.ts sends them: each series later than the one before, one sign-in a millisecond, users in turn. */
function evaluations(origin: string): (i: number) => RequestSpec {
  const prefix = `evaluate-${Date.now().toString(36)}-${series++}`;
  const start = Date.now();
  return (i) => {
    const user = users[i % users.length];
    const body = {
      id: `${prefix}-${i}`,
      createdDateTime: new Date(start + i).toISOString(),
      userId: user.user_id,
      userPrincipalName: user.user_principal_name,
      ipAddress: `198.51.100.${(i % 250) + 1}`,
      status: { errorCode: 0 },
      location: { city: 'Seattle', state: 'WA', countryOrRegion: 'US', geoCoordinates: { latitude: 47.61, longitude: -122.33 } },
    };
    return { url: `${origin}/api/v1/sign-ins/evaluate`, method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  };
}

/** As bench/run.ts asks it: one user after another. */
const decisions = (origin: string) => (i: number): RequestSpec => ({
  url: `${origin}/api/v1/risk/users/${encodeURIComponent(users[i % users.length].user_principal_name)}`,
  headers: { Authorization: `Bearer ${key}` },
});

type Figures = { p50: number[]; cpu: number[]; perSecond: number[] };
const calls = { evaluate: evaluations, decision: decisions };
const results = new Map(checkouts.map((checkout) => [checkout, Object.fromEntries(Object.keys(calls).map((name) => [name, { p50: [], cpu: [], perSecond: [] } as Figures]))]));
const port = await sparePort();
for (let round = 0; round < ROUNDS; round++) {
  for (const checkout of checkouts) {
    const server = await startServer(databaseUrl, port, { LOG_LEVEL: 'warn' }, checkout);
    try {
      for (const [name, call] of Object.entries(calls)) {
        await latencyOf(call(server.origin), Math.min(200, REQUESTS));
        const cpuBefore = cpuSeconds(server);
        const one = await latencyOf(call(server.origin), REQUESTS);
        const cpuMs = ((cpuSeconds(server) - cpuBefore) * 1000) / one.requests;
        const loaded = await throughputOf(call(server.origin), CONNECTIONS, SECONDS);
        const figures = results.get(checkout)![name];
        figures.p50.push(one.median);
        figures.cpu.push(cpuMs);
        figures.perSecond.push(loaded.perSecond);
        console.log(`round ${round + 1} ${name} ${checkout}: p50 ${one.median.toFixed(2)} ms (p99 ${one.p99.toFixed(1)}), ${cpuMs.toFixed(2)} ms CPU, ${loaded.perSecond.toFixed(0)}/s at ${CONNECTIONS}`);
      }
    } finally {
      await stopServer(server);
    }
  }
}
for (const [checkout, byCall] of results) {
  for (const [name, figures] of Object.entries(byCall)) {
    console.log(`median of ${ROUNDS} ${name} ${checkout}: p50 ${median(figures.p50).toFixed(2)} ms, ${median(figures.cpu).toFixed(2)} ms CPU, ${median(figures.perSecond).toFixed(0)}/s at ${CONNECTIONS}`);
  }
}
