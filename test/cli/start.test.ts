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
      const detail = /href="(\/security\/sign-ins\/[^"]+)"[^>]*data-testid="sign-in-link"/.exec(list)?.[1];
      expect(detail, 'a risky sign-in to open').toBeDefined();
      const sign = await fetch(`${server.url}${detail!.replaceAll('&amp;', '&')}`, { headers: { Cookie: cookie } });
      expect(sign.status).toBe(200);
      expect(await sign.text()).toMatch(/<svg[^>]*>[\s\S]*<path/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
