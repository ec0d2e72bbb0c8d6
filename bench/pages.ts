import { consolePages, latencyOf, median, signIn, throughputOf } from './load.js';
import { cpuSeconds, root, sparePort, startServer, stopServer } from './server.js';

// `tsx bench/pages.ts DATABASE_URL [CHECKOUT...]`: only bench/run.ts's console pages (one client) and
// the risky sign-ins list at 32 connections, against a database that already holds the demo
// (`riskdesk demo --sign-ins N`), for this checkout and any others (an earlier commit, built) in
// alternating rounds, so before and after share one run.
// BENCH_ROUNDS (3), BENCH_REQUESTS (300), BENCH_WARMUP (200), BENCH_SECONDS (10), BENCH_CONNECTIONS (32).

const [databaseUrl, ...others] = process.argv.slice(2);
if (!databaseUrl) throw new Error('usage: tsx bench/pages.ts DATABASE_URL [CHECKOUT...]');
const checkouts = [root, ...others];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

type Figures = { p50: number[]; p99: number[]; cpu: number[] };
const results = new Map(checkouts.map((checkout) => [checkout, new Map<string, Figures>()]));
const figuresOf = (checkout: string, name: string) => {
  const byPage = results.get(checkout)!;
  if (!byPage.has(name)) byPage.set(name, { p50: [], p99: [], cpu: [] });
  return byPage.get(name)!;
};
const port = await sparePort();
for (let round = 0; round < ROUNDS; round++) {
  for (const checkout of checkouts) {
    const server = await startServer(databaseUrl, port, { LOG_LEVEL: 'warn' }, checkout);
    try {
      const headers = { Cookie: await signIn(server.origin), 'Accept-Encoding': 'gzip' };
      for (const [name, path] of Object.entries(await consolePages(server.origin, headers))) {
        const page = () => ({ url: `${server.origin}${path}`, headers });
        await latencyOf(page, WARMUP, 0);
        const cpuBefore = cpuSeconds(server);
        const one = await latencyOf(page, REQUESTS, 0);
        const figures = figuresOf(checkout, name);
        figures.p50.push(one.median);
        figures.p99.push(one.p99);
        figures.cpu.push(((cpuSeconds(server) - cpuBefore) * 1000) / one.requests);
        console.log(`round ${round + 1} ${name} ${checkout}: p50 ${one.median.toFixed(2)} ms, p99 ${one.p99.toFixed(1)}, ${figures.cpu.at(-1)!.toFixed(2)} ms CPU`);
      }
      const cpuBefore = cpuSeconds(server);
      const loaded = await throughputOf(() => ({ url: `${server.origin}/security/risky-sign-ins`, headers }), CONNECTIONS, SECONDS);
      const figures = figuresOf(checkout, `list at ${CONNECTIONS}`);
      figures.p50.push(loaded.perSecond);
      figures.cpu.push(((cpuSeconds(server) - cpuBefore) * 1000) / loaded.requests);
      console.log(`round ${round + 1} list at ${CONNECTIONS} ${checkout}: ${loaded.perSecond.toFixed(0)}/s, ${figures.cpu.at(-1)!.toFixed(2)} ms CPU`);
    } finally {
      await stopServer(server);
    }
  }
}
for (const [checkout, byPage] of results) {
  for (const [name, figures] of byPage) {
    const first = name.startsWith('list at') ? `${median(figures.p50).toFixed(0)}/s` : `p50 ${median(figures.p50).toFixed(2)} ms, p99 ${median(figures.p99).toFixed(1)}`;
    console.log(`median of ${ROUNDS} ${name} ${checkout}: ${first}, ${median(figures.cpu).toFixed(2)} ms CPU`);
  }
}
