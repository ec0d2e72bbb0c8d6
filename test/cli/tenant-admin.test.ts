import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli, startServer } from '../helpers/cli.js';

let cli: Awaited<ReturnType<typeof cliEnvironment>>;

beforeAll(async () => {
  cli = await cliEnvironment();
});
afterAll(() => cli.cleanup());

describe('riskdesk tenant and admin commands', () => {
  it('creates a tenant and an admin on a fresh database and lists the tenant', async () => {
    const tenant = await runCli(['tenant', 'create', '--name', 'Contoso', '--domain', 'Contoso.com', '--edition', 'premium_p2', '--json'], cli.env);
    expect(tenant.stderr).toBe('');
    expect(tenant.code).toBe(0);
    const created = JSON.parse(tenant.stdout);
    expect(created).toEqual({ id: expect.any(String), name: 'Contoso', domain: 'contoso.com', edition: 'premium_p2' });

    const admin = await runCli(['admin', 'create', '--tenant', 'contoso.com', '--email', 'Admin@Contoso.com', '--role', 'global_admin', '--json'], cli.env);
    expect(admin.code).toBe(0);
    const adminJson = JSON.parse(admin.stdout);
    expect(adminJson).toEqual({ id: expect.any(String), email: 'admin@contoso.com', role: 'global_admin', tenant: 'contoso.com', password: expect.stringMatching(/^\S{16,}$/) });

    const withPassword = await runCli(
      ['admin', 'create', '--tenant', 'contoso.com', '--email', 'reader@contoso.com', '--role', 'security_reader', '--password', 'a-permanent-password', '--json'],
      cli.env,
    );
    expect(withPassword.code).toBe(0);
    expect(JSON.parse(withPassword.stdout)).not.toHaveProperty('password');

    const list = await runCli(['tenant', 'list', '--json'], cli.env);
    expect(JSON.parse(list.stdout).tenants).toEqual([created]);
  });

  it('changes a tenant edition', async () => {
    const result = await runCli(['tenant', 'set-edition', '--tenant', 'contoso.com', '--edition', 'free', '--json'], cli.env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).edition).toBe('free');
  });

  it.each([
    [['tenant', 'create', '--name', 'Again', '--domain', 'contoso.com', '--edition', 'free'], /exists already/],
    [['tenant', 'create', '--name', 'Bad', '--domain', 'not a domain', '--edition', 'free'], /domain/],
    [['tenant', 'set-edition', '--tenant', 'contoso.com', '--edition', 'gold'], /edition must be one of/],
    [['admin', 'create', '--tenant', 'nowhere.example', '--email', 'x@nowhere.example', '--role', 'global_admin'], /no tenant with domain nowhere\.example/],
    [['admin', 'create', '--tenant', 'contoso.com', '--email', 'admin@contoso.com', '--role', 'global_admin'], /exists already/],
    [['admin', 'create', '--tenant', 'contoso.com', '--email', 'new@contoso.com', '--role', 'owner'], /role must be one of/],
    [['tenant', 'create', '--bogus'], /bogus/],
  ])('refuses %j with one line naming the problem and a non-zero exit', async (args, message) => {
    const result = await runCli(args, cli.env);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});

// Only the embedded database has a DATA_DIR to lock: on a PostgreSQL run this block is skipped.
describe.runIf(!process.env.DATABASE_URL)('the embedded database lock', () => {
  it('stops a command while the server runs on the same DATA_DIR, and allows it after', async () => {
    const server = await startServer(cli.env);
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.text()).toBe('ok');
      const blocked = await runCli(['tenant', 'list'], cli.env);
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toMatch(/server \(pid \d+\) is running on/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const after = await runCli(['tenant', 'list', '--json'], cli.env);
    expect(after.code).toBe(0);
  });
});
