import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

// The benchmarks' harness: a fresh PostgreSQL database, the CLI, and the real server as its own
// process, with its memory and CPU time read from /proc. Used by bench/run.ts and bench/soak.ts.

const run = promisify(execFile);
export const root = new URL('..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

export interface Server {
  child: ChildProcess;
  origin: string;
}

/** Creates (or recreates) database `name` on the server of `baseUrl` and answers its URL. */
export async function freshDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(baseUrl: string, url: string): Promise<void> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${decodeURIComponent(new URL(url).pathname.slice(1))}" with (force)`);
  await admin.end();
}

/** Runs `riskdesk <args>` against the database and answers its output. */
export async function cli(args: string[], databaseUrl: string): Promise<{ seconds: number; stdout: string }> {
  const start = performance.now();
  const { stdout } = await run(tsx, [join(root, 'src/cli/main.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { seconds: (performance.now() - start) / 1000, stdout };
}

export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The server of a checkout (this one, or an earlier commit's for a before/after): its compiled dist/
 * with node when it has one (as `npm start` runs it), else src/ under tsx.
 */
export function startServer(databaseUrl: string, port: number, env: NodeJS.ProcessEnv = {}, checkout = root): Promise<Server> {
  const compiled = join(checkout, 'dist/src/server.js');
  const [command, args] = existsSync(compiled) ? [process.execPath, [compiled]] : [join(checkout, 'node_modules/.bin/tsx'), [join(checkout, 'src/server.ts')]];
  const child = spawn(command, args, {
    cwd: checkout,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve({ child, origin: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** SIGTERM, and the exit code once it has exited. */
export function stopServer(server: Server): Promise<number | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve(server.child.exitCode);
    server.child.once('exit', (code) => resolve(code));
    server.child.kill('SIGTERM');
  });
}

/** The server's process and its children (tsx runs the server in a child of its own). */
function processTree(pid: number): number[] {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) pids.push(...processTree(Number(child)));
    }
  } catch {
    // The process ended meanwhile.
  }
  return pids;
}

/** Resident memory of the server's processes, in megabytes. */
export function rssMegabytes(server: Server): number {
  let kb = 0;
  for (const pid of processTree(server.child.pid!)) {
    try {
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Gone.
    }
  }
  return kb / 1024;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the server's processes have used so far. */
export function cpuSeconds(server: Server): number {
  let ticks = 0;
  for (const pid of processTree(server.child.pid!)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return ticks / CLOCK_TICKS;
}

/**
 * CPU seconds every PostgreSQL process on this machine has used so far: the share of a request the
 * database costs, beside the server's own. Read on a quiet machine; other databases' work counts too.
 */
export function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return ticks / CLOCK_TICKS;
}
