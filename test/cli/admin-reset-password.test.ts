import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli } from '../helpers/cli.js';

// An operator whose only global admin is locked out (forgotten password, lost authenticator) resets
// the password from the command line; the admin must choose a new one at sign-in.

let cli: Awaited<ReturnType<typeof cliEnvironment>>;

beforeAll(async () => {
  cli = await cliEnvironment();
  expect((await runCli(['tenant', 'create', '--name', 'Locked', '--domain', 'locked.example', '--edition', 'basic'], cli.env)).code).toBe(0);
  const admin = await runCli(
    ['admin', 'create', '--tenant', 'locked.example', '--email', 'ops@locked.example', '--role', 'global_admin', '--password', 'the-old-password'],
    cli.env,
  );
  expect(admin.code).toBe(0);
});
afterAll(() => cli.cleanup());

describe('riskdesk admin reset-password', () => {
  it('prints a new temporary password with --json', async () => {
    const result = await runCli(['admin', 'reset-password', '--email', 'OPS@locked.example', '--json'], cli.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: expect.any(String), email: 'ops@locked.example', password: expect.stringMatching(/^[a-z2-7]{20}$/) });
  });

  it('gives a different password each time, shown as one line of text without --json', async () => {
    const first = await runCli(['admin', 'reset-password', '--email', 'ops@locked.example'], cli.env);
    const second = await runCli(['admin', 'reset-password', '--email', 'ops@locked.example'], cli.env);
    expect(first.code).toBe(0);
    const password = (run: typeof first) => /([a-z2-7]{20})\s*$/.exec(run.stdout)![1];
    expect(first.stdout).toMatch(/must be changed at sign-in/);
    expect(password(first)).not.toBe(password(second));
  });

  it.each([
    [['admin', 'reset-password', '--email', 'nobody@locked.example'], /no admin with email nobody@locked\.example/],
    [['admin', 'reset-password', '--email', 'not-an-email'], /email must be an email address/],
    [['admin', 'reset-password'], /email must be an email address/],
  ])('refuses %j with one line naming the problem', async (args, message) => {
    const result = await runCli(args, cli.env);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
