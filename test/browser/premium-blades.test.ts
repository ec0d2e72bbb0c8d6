import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Admin } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { launchChromium, listen, newContext, signInThroughForm } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { seedRiskySignIn } from '../helpers/feedback-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let admin: Admin;
const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000);
// Set PREMIUM_SHOTS=/some/dir to keep screenshots of the blades for a look.
const SHOTS = process.env.PREMIUM_SHOTS;

beforeAll(async () => {
  database = await createTestDatabase();
  const tenant = await seedTenant(database.db, 'premium_p2', 'Contoso Premium');
  admin = await seedAdmin(database.db, tenant, 'security_admin');
  const travel = [
    { key: 'previousLocation', value: 'Paris, FR' },
    { key: 'previousLatitude', value: '48.86' },
    { key: 'previousLongitude', value: '2.35' },
    { key: 'distanceKm', value: '9600.4' },
    { key: 'elapsedMinutes', value: '45' },
    { key: 'speedKmh', value: '12801' },
  ];
  for (const prefix of ['js', 'nojs']) {
    await seedRiskySignIn(database.db, tenant.id, { id: `${prefix}-1`, userId: `${prefix}-user`, city: 'Tokyo', countryOrRegion: 'JP', latitude: 35.68, longitude: 139.69, events: [{ type: 'unlikelyTravel' }], evidence: travel }, ago(5));
    await seedRiskySignIn(database.db, tenant.id, { id: `${prefix}-2`, userId: `${prefix}-user`, events: [{ type: 'unlikelyTravel', status: 'dismissedAsIgnore' }] }, ago(60));
  }
  server = await listen(buildTestApp(database));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
});

const signInAs = (page: Page) => signInThroughForm(page, server.url, admin.email);

function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

describe('the premium blades in a browser', () => {
  it('with JavaScript: the type blade draws its timeline, closes an event by swapping its row, and breaks no CSP rule', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await signInAs(page);
    expect(new URL(page.url()).pathname).toBe('/security/risk-events');
    await page.click('a[href="/security/risk-events/unlikelyTravel"]');
    await page.waitForURL(/unlikelyTravel$/);
    expect(await page.$$eval('svg[data-testid=timeline] g[data-day]', (bars) => bars.length)).toBe(91);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/type-blade.png`, fullPage: true });
    await page.evaluate(() => Object.assign(globalThis, { marker: 'kept' }));
    await page.click('#event-js-1-e1 button[value=resolve]');
    await expect.poll(() => page.textContent('#event-js-1-e1 [data-testid=status]')).toContain('Resolved');
    expect(await page.$('#event-js-1-e1 button[value=reactivate]')).not.toBeNull();
    expect(await page.evaluate(() => (globalThis as { marker?: string }).marker)).toBe('kept');
    await page.goto(`${server.url}/security/risk-events/unlikelyTravel/js-1-e1`);
    expect(await page.textContent('[data-testid=travel-map]')).toContain('12,801 km/h');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/details.png`, fullPage: true });
    // A boosted form on a blade (no row to swap) comes back to the whole blade.
    await page.click('button[value=reactivate]');
    await expect.poll(() => page.textContent('[data-testid=event-fields]')).toContain('Active');
    expect(new URL(page.url()).pathname).toBe('/security/risk-events/unlikelyTravel/js-1-e1');
    await page.goto(`${server.url}/security/users/js-user`);
    await page.click('a:has-text("Confirm compromised")');
    await page.click('[data-testid=confirm-box] button:has-text("Confirm compromised")');
    await expect.poll(() => page.textContent('[data-testid=user-risk]')).toContain('Confirmed compromised');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/user.png`, fullPage: true });
    await page.goto(`${server.url}/security/risk-events`);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/aggregate.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('without JavaScript: reactivate on the type blade and dismiss all on the user blade through plain forms', async () => {
    const context = await newContext(browser, false);
    const page = await context.newPage();
    await signInAs(page);
    await page.goto(`${server.url}/security/risk-events/unlikelyTravel`);
    await Promise.all([page.waitForNavigation(), page.click('#event-nojs-2-e1 button[value=reactivate]')]);
    expect(new URL(page.url()).pathname).toBe('/security/risk-events/unlikelyTravel');
    expect(await page.textContent('#event-nojs-2-e1 [data-testid=status]')).toContain('Active');
    await page.goto(`${server.url}/security/users/nojs-user`);
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Dismiss all events")')]);
    expect(new URL(page.url()).pathname).toBe('/security/users/nojs-user/dismiss');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Dismiss all events")')]);
    expect(await page.textContent('[data-testid=user-risk]')).toContain('Dismissed');
    await context.close();
  });
});
