import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Admin } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { launchChromium, listen, newContext } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { TEST_PASSWORD, seedAdmin, seedTenant } from '../helpers/fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let admin: Admin;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = await seedAdmin(database.db, await seedTenant(database.db, 'free', 'Fabrikam Test'));
  server = await listen(buildTestApp(database));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
});

describe.each([true, false])('signing in with JavaScript %s', (javaScriptEnabled) => {
  it('shows an error for a wrong password, then lands on the console after the right one', async () => {
    const context = await newContext(browser, javaScriptEnabled);
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) blocked.push(request.url());
    });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.goto(`${server.url}/security/risky-sign-ins`);
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.fill('input[name=email]', admin.email);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('Invalid email or password');

    await page.fill('input[name=password]', TEST_PASSWORD);
    await Promise.all([page.waitForURL(/\/security\/risky-sign-ins/), page.click('button[type=submit]')]);
    expect(await page.textContent('[data-testid=tenant]')).toContain('Fabrikam Test');
    expect(blocked).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  });
});
