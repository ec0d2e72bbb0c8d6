import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, type Admin } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp } from '../helpers/app.js';
import { launchChromium, listen, signInThroughForm } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { MINUTE, PLACES, signIn as record } from '../helpers/sign-ins.js';

// Issue 10, points 1, 4 and 5 in Chromium: the sign-in detail from a list row (a side panel with
// JavaScript, a page without), the world map in light and dark at 1440 and 390 px, and Reset
// password through its confirmation to a result page that a reload cannot repeat.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let freeAdmin: Admin;
let premiumAdmin: Admin;
let premiumTenantId: string;
const at = (minutesAgo: number) => Date.now() - minutesAgo * MINUTE;
const LIST = '/security/risky-sign-ins?level=medium';

beforeAll(async () => {
  database = await createTestDatabase();
  const free = await seedTenant(database.db, 'free', 'Fabrikam Test');
  const premium = await seedTenant(database.db, 'premium_p2', 'Contoso Test');
  premiumTenantId = premium.id;
  const person = (id: string) => ({ userId: id, userPrincipalName: `${id}@example.com`, userDisplayName: `Person ${id}` });
  const travel = (prefix: string, user: string) => [
    record({ id: `${prefix}-seattle`, atMs: at(300), ...person(user), place: PLACES.seattle }),
    record({ id: `${prefix}-tokyo`, atMs: at(269), ...person(user), place: PLACES.tokyo }),
  ];
  await ingestSignIns(database.db, free, [...travel('f1', 'dana'), ...travel('f2', 'erin')]);
  await ingestSignIns(database.db, premium, [...travel('p1', 'reset-js'), ...travel('p2', 'reset-nojs')]);
  freeAdmin = await seedAdmin(database.db, free, 'security_admin');
  premiumAdmin = await seedAdmin(database.db, premium, 'security_admin');
  server = await listen(buildTestApp(database));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
});

const VIEWS = [
  { javaScript: true, width: 1440, scheme: 'light' },
  { javaScript: true, width: 390, scheme: 'dark' },
  { javaScript: false, width: 1440, scheme: 'dark' },
  { javaScript: false, width: 390, scheme: 'light' },
] as const;

async function open(view: { javaScript: boolean; width: number; scheme: 'light' | 'dark' }, admin: Admin) {
  const context = await browser.newContext({ javaScriptEnabled: view.javaScript, viewport: { width: view.width, height: 844 }, colorScheme: view.scheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await signInThroughForm(page, server.url, admin.email);
  return { context, page, errors };
}

/** The map fits the page and every label lies inside the map, measured by the browser's own text layout. */
async function checkMap(page: Page, scheme: 'light' | 'dark') {
  const map = page.locator('[data-testid=world-map]').first();
  await map.waitFor();
  // Run in the page: the test's own types know no DOM.
  const facts = (await page.evaluate(`(() => {
    const svg = document.querySelector('[data-testid=world-map]');
    const box = svg.viewBox.baseVal;
    const labels = [...svg.querySelectorAll('text')].map((text) => {
      const b = text.getBBox();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    });
    return {
      width: box.width,
      height: box.height,
      labels,
      sea: getComputedStyle(svg.querySelector('rect')).fill,
      right: svg.getBoundingClientRect().right,
      pageWidth: document.documentElement.clientWidth,
      paths: svg.querySelectorAll('path').length,
    };
  })()`)) as { width: number; height: number; labels: { x: number; y: number; width: number; height: number }[]; sea: string; right: number; pageWidth: number; paths: number };
  expect(facts.paths).toBeGreaterThan(20);
  expect(facts.labels).toHaveLength(2);
  for (const label of facts.labels) {
    expect(label.x).toBeGreaterThanOrEqual(0);
    expect(label.y).toBeGreaterThanOrEqual(0);
    expect(label.x + label.width).toBeLessThanOrEqual(facts.width);
    expect(label.y + label.height).toBeLessThanOrEqual(facts.height);
  }
  expect(facts.right).toBeLessThanOrEqual(facts.pageWidth);
  // The sea is light in light mode and dark in dark mode.
  const [r, g, b] = (facts.sea.match(/\d+/g) ?? []).map(Number);
  const brightness = (r + g + b) / 3;
  if (scheme === 'dark') expect(brightness).toBeLessThan(60);
  else expect(brightness).toBeGreaterThan(200);
}

describe.each(VIEWS)('the sign-in detail with JavaScript $javaScript at $width px, $scheme', (view) => {
  it('opens from its row of the risky sign-ins list, shows the evidence on a world map, and goes back to the filtered list', async () => {
    const { context, page, errors } = await open(view, freeAdmin);
    await page.goto(`${server.url}${LIST}`);
    const link = page.locator('tr[id="sign-in-f1-tokyo"] a[href^="/security/sign-ins/"]');
    if (view.javaScript) {
      await page.evaluate(() => Object.assign(globalThis, { marker: 'kept' }));
      await link.click();
      const panel = page.locator('[data-testid=sign-in-panel]');
      await panel.waitFor();
      expect(await panel.textContent()).toMatch(/7,7\d\d km from Seattle, Washington, US in 31 min/);
      // The list stayed (same document, same rows), and the URL is the detail's, with the way back.
      expect(await page.evaluate(() => (globalThis as { marker?: string }).marker)).toBe('kept');
      expect(await page.locator('#results tr[id="sign-in-f2-tokyo"]').count()).toBe(1);
      expect(new URL(page.url()).pathname).toBe('/security/sign-ins/f1-tokyo');
      await checkMap(page, view.scheme);
      // The panel fits the screen: nothing in it scrolls sideways.
      expect(await page.$eval('#sign-in-panel', (el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().width <= el.ownerDocument.documentElement.clientWidth)).toBe(true);
      // Another sign-in of the user opens in the same panel.
      await panel.locator('[data-testid=recent-sign-in] a').first().click();
      await expect.poll(() => page.url()).toContain('/security/sign-ins/f1-seattle');
      await expect.poll(() => page.locator('[data-testid=sign-in-panel]').textContent()).toContain('No risk detected');
      await page.click('[data-testid=close-panel]');
      await expect.poll(() => page.locator('#sign-in-panel').isVisible()).toBe(false);
      await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe(LIST);
      expect(await page.evaluate(() => (globalThis as { marker?: string }).marker)).toBe('kept');
    } else {
      await Promise.all([page.waitForURL(/\/security\/sign-ins\/f1-tokyo/), link.click()]);
      expect(await page.textContent('main')).toMatch(/7,7\d\d km from Seattle, Washington, US in 31 min/);
      await checkMap(page, view.scheme);
      // The detail's own content never scrolls sideways.
      expect(await page.$eval('main', (el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      await Promise.all([page.waitForURL(/\/security\/sign-ins\/f1-seattle$/), page.click('[data-testid=previous-sign-in]')]);
      await page.goBack();
      await Promise.all([page.waitForURL(/risky-sign-ins/), page.click('[data-testid=back-to-list]')]);
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(LIST);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.each([true, false])('Reset password with JavaScript %s', (javaScript) => {
  it('goes through a confirmation, shows the temporary password once, and a reload resets nothing', async () => {
    const userId = javaScript ? 'reset-js' : 'reset-nojs';
    const { context, page, errors } = await open({ javaScript, width: javaScript ? 1440 : 390, scheme: javaScript ? 'dark' : 'light' }, premiumAdmin);
    await page.goto(`${server.url}/security/users/${userId}`);
    if (javaScript) {
      await page.click('[data-testid=action-reset-password]');
      await page.locator('[data-testid=confirm-box]').waitFor();
      // In place: still the blade's URL, the blade still there.
      expect(new URL(page.url()).pathname).toBe(`/security/users/${userId}`);
      expect(await page.locator('[data-testid=user-risk]').count()).toBe(1);
    } else {
      await Promise.all([page.waitForURL(/\/reset-password$/), page.click('[data-testid=action-reset-password]')]);
    }
    expect(await page.textContent('[data-testid=confirm-box]')).toContain('shows it to you once');
    await Promise.all([page.waitForURL(/\/temporary-password\//), page.click('[data-testid=confirm-button]')]);
    const password = (await page.textContent('[data-testid=temporary-password]'))?.trim() ?? '';
    expect(password).toMatch(/^[a-z2-7]{20}$/);
    await page.reload();
    expect(await page.textContent('main')).toContain('already been shown');
    expect(await page.textContent('main')).not.toContain(password);
    const resets = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, premiumTenantId), eq(auditLog.action, 'user.resetPassword'), eq(auditLog.targetId, userId)));
    expect(resets).toHaveLength(1);
    expect(errors.filter((e) => !e.includes('410'))).toEqual([]);
    await context.close();
  });
});
