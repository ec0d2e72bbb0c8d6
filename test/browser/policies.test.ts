import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Admin } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp } from '../helpers/app.js';
import { launchChromium, listen, newContext, signInThroughForm } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { HOUR, PLACES, signIn } from '../helpers/sign-ins.js';

// The policy and detection previews swap in place with htmx, and work as plain forms without it.
// Set POLICY_SHOTS=/some/dir to keep screenshots (light, dark, 390 px) for a look.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let admin: Admin;
const SHOTS = process.env.POLICY_SHOTS;
const ago = (hours: number) => Date.now() - hours * HOUR;

beforeAll(async () => {
  database = await createTestDatabase();
  const tenant = await seedTenant(database.db, 'premium_p2', 'Contoso');
  admin = await seedAdmin(database.db, tenant, 'global_admin');
  await seedRiskySignIn(database.db, tenant.id, { id: 's-mia', userId: 'mia', userPrincipalName: 'mia@contoso.com', userDisplayName: 'Mia Jensen', events: [{ type: 'unlikelyTravel', level: 'medium' }] }, new Date(ago(20)));
  await ingestSignIns(database.db, tenant, [
    signIn({ id: 'h-1', atMs: ago(60), place: PLACES.seattle }),
    signIn({ id: 'h-2', atMs: ago(50), place: PLACES.london }),
  ]);
  server = await listen(buildTestApp(database));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
});

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

describe('the risk policy and detection previews in a browser', () => {
  it('with JavaScript: the impact preview swaps in place, then Save lands back on the page', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    await signInThroughForm(page, server.url, admin.email);
    await page.click('nav[aria-label=Main] a[href="/security/policies/user-risk"]:visible');
    await page.waitForURL(/\/security\/policies\/user-risk$/);
    await page.check('input[name=enabled]');
    await page.check('input[name=threshold][value=medium]');
    await page.check('input[name=control][value=requirePasswordChange]');
    // htmx posts to the preview endpoint and swaps only the impact panel.
    const [request] = await Promise.all([page.waitForRequest((r) => r.method() === 'POST'), page.click('button[value=preview]')]);
    expect(new URL(request.url()).pathname).toBe('/security/policies/user-risk/preview');
    expect(request.headers()['hx-request-type']).toBe('partial');
    await page.getByText('Impact of this draft (not saved)').waitFor();
    expect(new URL(page.url()).pathname).toBe('/security/policies/user-risk');
    expect(await page.textContent('[data-testid=impact-headline]')).toContain('Matches 1 user now');
    expect(await page.isChecked('input[name=threshold][value=medium]')).toBe(true);
    await shoot(page, 'policy-light');
    await Promise.all([page.waitForURL(/done=saved/), page.click('button[value=save]')]);
    expect(await page.textContent('[role=status]')).toContain('Policy saved.');
    await context.close();
  });

  it('with JavaScript: the detection replay preview swaps in place and lists the events a lower speed adds', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    await signInThroughForm(page, server.url, admin.email);
    await page.goto(`${server.url}/settings/detection`);
    await page.fill('input[name=travelMaxSpeedKmh]', '500');
    const [request] = await Promise.all([page.waitForRequest((r) => r.method() === 'POST'), page.click('button[value=preview]')]);
    expect(new URL(request.url()).pathname).toBe('/settings/detection/preview');
    await page.getByText('Replay of the draft (not saved)').waitFor();
    expect(await page.inputValue('input[name=travelMaxSpeedKmh]')).toBe('500');
    expect(await page.getAttribute('[data-testid=replay-gained] a', 'href')).toBe('/security/sign-ins/h-2');
    await shoot(page, 'detection-light');
    await context.close();
  });

  it('without JavaScript: Preview renders the page with the draft kept', async () => {
    const context = await newContext(browser, false);
    const page = await context.newPage();
    await signInThroughForm(page, server.url, admin.email);
    await page.goto(`${server.url}/settings/detection`);
    await page.fill('input[name=travelMaxSpeedKmh]', '500');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=preview]')]);
    await page.getByText('Replay of the draft (not saved)').waitFor();
    expect(await page.inputValue('input[name=travelMaxSpeedKmh]')).toBe('500');
    await context.close();
  });

  it.runIf(SHOTS)('looks finished in dark mode and at 390 px', async () => {
    for (const [name, options] of [
      ['dark', { colorScheme: 'dark' as const, viewport: { width: 1280, height: 900 } }],
      ['mobile', { viewport: { width: 390, height: 844 } }],
    ] as const) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      await signInThroughForm(page, server.url, admin.email);
      await page.goto(`${server.url}/security/policies/sign-in-risk`);
      await page.click('button[value=preview]');
      await page.getByText('Impact of this draft (not saved)').waitFor();
      await shoot(page, `policy-${name}`);
      await page.goto(`${server.url}/settings/detection`);
      await page.fill('input[name=travelMaxSpeedKmh]', '500');
      await page.click('button[value=preview]');
      await page.getByText('Replay of the draft (not saved)').waitFor();
      await shoot(page, `detection-${name}`);
      await context.close();
    }
  });
});
