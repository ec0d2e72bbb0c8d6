import postgres from 'postgres';
import { addExportRows } from './data.js';
import { fetchCounting, median, signIn } from './load.js';
import { cpuSeconds, postgresCpuSeconds, root, rssMegabytes, sparePort, startServer, stopServer } from './server.js';

// `tsx bench/export.ts DATABASE_URL [CHECKOUT...]`: only bench/run.ts's CSV export, for this checkout
// and any others (an earlier commit, built, with its node_modules) in alternating rounds, against a
// database that holds the demo (`riskdesk demo`); it adds BENCH_EXPORT_ROWS generated risky rows
// (1,000,000) once. BENCH_ROUNDS (3); BENCH_EXPORT_QUERY filters the download (`?sort=-level`);
// BENCH_EXPORT_GZIP=1 asks for gzip (rows are then not counted, only the time).

const [databaseUrl, ...others] = process.argv.slice(2);
if (!databaseUrl) throw new Error('usage: tsx bench/export.ts DATABASE_URL [CHECKOUT...]');
const checkouts = [root, ...others];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const QUERY = process.env.BENCH_EXPORT_QUERY ?? '';
const GZIP = process.env.BENCH_EXPORT_GZIP === '1';

const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
const [{ n }] = await db<{ n: number }[]>`select count(*)::int as n from sign_ins where id like 'bench-export-%'`;
await db.end();
if (n === 0) await addExportRows(databaseUrl, ROWS);

const seconds = new Map<string, number[]>(checkouts.map((checkout) => [checkout, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const checkout of checkouts) {
    const server = await startServer(databaseUrl, await sparePort(), {}, checkout);
    try {
      const headers = { Cookie: await signIn(server.origin), ...(GZIP ? { 'Accept-Encoding': 'gzip' } : {}) };
      const [cpu, postgresCpu, start] = [cpuSeconds(server), postgresCpuSeconds(), performance.now()];
      const csv = await fetchCounting(`${server.origin}/security/risky-sign-ins/export.csv${QUERY}`, headers);
      const took = (performance.now() - start) / 1000;
      seconds.get(checkout)!.push(took);
      const rows = csv.lines - 1;
      console.log(
        `round ${round} ${checkout}: HTTP ${csv.status}, ${GZIP ? '' : `${rows} rows, `}${(csv.bytes / 1e6).toFixed(0)} MB in ${took.toFixed(2)} s${GZIP ? '' : `, ${(rows / took).toFixed(0)} rows/s`}; ` +
          `CPU s: server ${(cpuSeconds(server) - cpu).toFixed(2)}, PostgreSQL ${(postgresCpuSeconds() - postgresCpu).toFixed(2)}; server RSS ${rssMegabytes(server).toFixed(0)} MB`,
      );
    } finally {
      await stopServer(server);
    }
  }
}
for (const [checkout, taken] of seconds) console.log(`median of ${ROUNDS} ${checkout}: ${median(taken).toFixed(2)} s`);
