import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { vi } from 'vitest';

// Each CLI test spawns real processes (tsx, then migrations on a fresh database) one after another:
// on a busy two-core machine a test of three commands can pass 30 s without anything being wrong.
vi.setConfig({ testTimeout: 120_000 });

const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules', '.bin', 'tsx');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A database of the CLI's own for one test file: an empty DATA_DIR for PGlite, or on PostgreSQL a
 * new empty database (so every command's "migrate first" is exercised on a fresh one).
 */
export async function cliEnvironment(): Promise<{ env: NodeJS.ProcessEnv; dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riskdesk-cli-'));
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATA_DIR: dataDir };
  const url = process.env.DATABASE_URL;
  if (!url) {
    delete base.DATABASE_URL;
    return { env: base, dataDir, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `riskdesk_cli_${randomBytes(5).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    env: { ...base, DATABASE_URL: own.toString() },
    dataDir,
    async cleanup() {
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `riskdesk <args>` as a user would (npm run riskdesk -- ...), without a terminal. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(tsx, [join(root, 'src/cli/main.ts'), ...args], { env, cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Starts the real server and resolves once it listens: src/server.ts under tsx, or with `compiled`
 * the dist/ that `npm start` runs (built by `npm run build`, which `npm test` runs first).
 */
export function startServer(env: NodeJS.ProcessEnv, options: { compiled?: boolean } = {}): Promise<{ child: ChildProcess; url: string; stop(): Promise<number | null> }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const [command, args] = options.compiled ? [process.execPath, ['--enable-source-maps', join(root, 'dist/src/server.js')]] : [tsx, [join(root, 'src/server.ts')]];
  const child = spawn(command, args, { env: { ...env, PORT: String(port) }, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve({
          child,
          url: `http://127.0.0.1:${port}`,
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}
