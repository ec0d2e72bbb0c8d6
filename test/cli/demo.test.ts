import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli } from '../helpers/cli.js';

let cli: Awaited<ReturnType<typeof cliEnvironment>>;
beforeAll(async () => {
  cli = await cliEnvironment();
});
afterAll(() => cli.cleanup());

describe('riskdesk demo', () => {
  it('refuses NODE_ENV=production without --force and creates nothing', async () => {
    const result = await runCli(['demo'], { ...cli.env, NODE_ENV: 'production' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/NODE_ENV=production.*--force/);
    const tenants = await runCli(['tenant', 'list', '--json'], cli.env);
    expect(JSON.parse(tenants.stdout)).toEqual({ tenants: [] });
  });

  it.each([
    [['demo', '--sign-ins', 'many'], /--sign-ins must be an integer/],
    [['demo', '--seed', '1.5'], /--seed must be an integer/],
  ])('refuses %j', async (args, message) => {
    const result = await runCli(args, cli.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});
