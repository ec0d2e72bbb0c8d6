import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureCopy, writeSignIns } from './data.js';
import { median } from './load.js';
import { dropDatabase, freshDatabase, root } from './server.js';

// `tsx bench/import.ts [CHECKOUT...]`: only bench/run.ts's CLI import with detection and the COPY
// baseline beside it, for this checkout and any others (an earlier commit, with its node_modules) in
// alternating rounds, each into a fresh database: the import's speed and its share of COPY move by
// 20 % between identical runs on a shared machine, so before and after are measured in one run.
// BENCH_ROUNDS (3), BENCH_IMPORT_SIGN_INS (200,000), BENCH_DATABASE_URL (the local server's `postgres`).

const checkouts = [root, ...process.argv.slice(2)];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIGN_INS = Number(process.env.BENCH_IMPORT_SIGN_INS ?? 200_000);
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** `riskdesk <args>` of a checkout, as `npm run riskdesk` runs it; answers its standard output and the seconds it took. */
function riskdesk(checkout: string, args: string[], databaseUrl: string): { stdout: string; seconds: number } {
  const start = performance.now();
  const stdout = execFileSync(join(checkout, 'node_modules/.bin/tsx'), [join(checkout, 'src/cli/main.ts'), ...args], {
    cwd: checkout,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  return { stdout, seconds: (performance.now() - start) / 1000 };
}

const file = join(tmpdir(), `riskdesk-bench-import-${process.pid}.ndjson`);
await writeSignIns(file, SIGN_INS, 'b');
const results = new Map<string, { perSecond: number[]; ratio: number[] }>(checkouts.map((checkout) => [checkout, { perSecond: [], ratio: [] }]));
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const checkout of checkouts) {
      const url = await freshDatabase(baseUrl, 'riskdesk_bench_import_ab');
      try {
        riskdesk(checkout, ['tenant', 'create', '--name', 'Bench', '--domain', 'bench.example.com', '--edition', 'premium_p2'], url);
        const run = riskdesk(checkout, ['import', 'sign-ins', '--tenant', 'bench.example.com', file, '--json'], url);
        const { inserted, riskDetections } = JSON.parse(run.stdout) as { inserted: number; riskDetections: number };
        const copy = await measureCopy(url);
        const perSecond = inserted / run.seconds;
        results.get(checkout)!.perSecond.push(perSecond);
        results.get(checkout)!.ratio.push(perSecond / copy.rowsPerSecond);
        console.log(`round ${round} ${checkout}: ${inserted} in ${run.seconds.toFixed(2)} s, ${perSecond.toFixed(0)}/s (${riskDetections} detections); COPY ${copy.seconds.toFixed(2)} s, ${copy.rowsPerSecond.toFixed(0)} rows/s: ${(perSecond / copy.rowsPerSecond).toFixed(3)} of it`);
      } finally {
        await dropDatabase(baseUrl, url);
      }
    }
  }
} finally {
  rmSync(file, { force: true });
}
for (const [checkout, { perSecond, ratio }] of results) {
  console.log(`median of ${ROUNDS} ${checkout}: ${median(perSecond).toFixed(0)}/s, ${median(ratio).toFixed(3)} of COPY`);
}
