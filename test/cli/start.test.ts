import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli, startServer } from '../helpers/cli.js';

// `npm start` serves the compiled dist/ with plain node: the files it reads at run time (migrations,
// public/, the world map's atlas) must be found from there as they are from src/ under tsx.
let cli: Awaited<ReturnType<typeof cliEnvironment>>;
beforeAll(async () => {
  cli = await cliEnvironment();
});
afterAll(() => cli.cleanup());

describe('the compiled server that npm start runs', () => {
  it('migrates, serves its assets, signs in and draws a sign-in on the world map', async () => {
    // The embedded database gets the demo on first start; PostgreSQL only when asked.
    if (cli.env.DATABASE_URL) expect((await runCli(['demo', '--sign-ins', '2000'], cli.env)).code).toBe(0);
    const server = await startServer({ ...cli.env, NODE_ENV: 'development', LOG_LEVEL: 'error' }, { compiled: true });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const login = await fetch(`${server.url}/login`);
      const page = await login.text();
      const css = /href="(\/static\/app\.css\?v=[0-9a-f]{12})"/.exec(page)?.[1];
      expect(css, 'a content-hashed stylesheet link').toBeDefined();
      const stylesheet = await fetch(`${server.url}${css}`);
      expect(stylesheet.status).toBe(200);
      expect(await stylesheet.text()).toContain('--');

      const signedIn = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
        body: new URLSearchParams({ email: 'admin@contoso.com', password: 'riskdesk-demo' }),
        redirect: 'manual',
      });
      expect(signedIn.status).toBe(303);
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0];
      const list = await (await fetch(`${server.url}/security/risky-sign-ins?range=30d`, { headers: { Cookie: cookie } })).text();
      const detail = /href="(\/security\/sign-ins\/[^"]+)"/.exec(list)?.[1];
      expect(detail, 'a risky sign-in to open').toBeDefined();
      const sign = await fetch(`${server.url}${detail!.replaceAll('&amp;', '&')}`, { headers: { Cookie: cookie } });
      expect(sign.status).toBe(200);
      expect(await sign.text()).toMatch(/<svg[^>]*>[\s\S]*<path/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.runIf(!!process.env.DATABASE_URL)('with WEB_CONCURRENCY=2 serves from two workers, replaces one that dies, and stops both on SIGTERM', async () => {
    const server = await startServer({ ...cli.env, NODE_ENV: 'development', LOG_LEVEL: 'info', WEB_CONCURRENCY: '2' }, { compiled: true });
    let output = '';
    for (const stream of [server.child.stdout!, server.child.stderr!]) stream.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const workers = () => readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    try {
      expect(workers()).toHaveLength(2);
      for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/healthz`, { headers: { Connection: 'close' } })).status).toBe(200);
      const [victim] = workers();
      process.kill(victim, 'SIGKILL');
      await expect.poll(() => workers().filter((pid) => pid !== victim).length, { timeout: 20_000, interval: 200 }).toBe(2);
      await expect.poll(() => output, { timeout: 20_000 }).toMatch(/worker exited; starting another/);
      await expect.poll(() => output, { timeout: 20_000 }).toMatch(/"message":"listening".*"worker":3/);
      expect((await fetch(`${server.url}/healthz`, { headers: { Connection: 'close' } })).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
