import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli, startServer } from '../helpers/cli.js';

let cli: Awaited<ReturnType<typeof cliEnvironment>>;

beforeAll(async () => {
  cli = await cliEnvironment();
});
afterAll(() => cli.cleanup());

describe('riskdesk apikey create', () => {
  it('prints the key once, and the key opens the API of its tenant', async () => {
    expect((await runCli(['tenant', 'create', '--name', 'Fabrikam', '--domain', 'fabrikam.com', '--edition', 'premium_p2'], cli.env)).code).toBe(0);
    const created = await runCli(['apikey', 'create', '--tenant', 'fabrikam.com', '--name', 'IdP hook', '--json'], cli.env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const json = JSON.parse(created.stdout);
    expect(json).toEqual({ id: expect.stringMatching(/^[a-z0-9]{24}$/), name: 'IdP hook', key: expect.stringMatching(/^rdk_[a-z0-9]{24}\.[a-z0-9]{24}$/) });
    expect(json.key.slice(4, 28)).toBe(json.id);

    const server = await startServer(cli.env);
    try {
      const ok = await fetch(`${server.url}/api/v1/risk/users/alice@fabrikam.com`, { headers: { Authorization: `Bearer ${json.key}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ decision: 'allow' });
      const refused = await fetch(`${server.url}/api/v1/risk/users/alice@fabrikam.com`);
      expect(refused.status).toBe(401);
    } finally {
      await server.stop();
    }
    // Three commands and a server start: slow on a loaded machine.
  }, 120_000);

  it('names the problem for an unknown tenant or a missing name', async () => {
    const unknown = await runCli(['apikey', 'create', '--tenant', 'nowhere.example', '--name', 'x'], cli.env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/nowhere\.example/);
    const nameless = await runCli(['apikey', 'create', '--tenant', 'fabrikam.com'], cli.env);
    expect(nameless.code).not.toBe(0);
    expect(nameless.stderr).toContain('name is required');
  }, 60_000);
});
