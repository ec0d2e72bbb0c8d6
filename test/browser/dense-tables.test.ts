import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.js';
import { DESKTOP, PHONE, giveRowFeedback, newContext, signInThroughForm } from '../helpers/browser.js';
import { startDemoConsole, stopDemoConsole } from '../helpers/browser.js';

// Issue 10 on the demo data: a Fabrikam (free) admin works the queue from one-line rows, with
// JavaScript on and off and on a phone; the count stays true, URLs stay clean, history stays sane.

const ACTIVE = '/security/risky-sign-ins?status=active';

let database: Awaited<ReturnType<typeof startDemoConsole>>['database'];
let server: Awaited<ReturnType<typeof startDemoConsole>>['server'];
let browser: Browser;

beforeAll(async () => {
  ({ database, server, browser } = await startDemoConsole());
});
afterAll(() => stopDemoConsole({ database, server, browser }));

async function open(javaScriptEnabled: boolean, viewport = DESKTOP) {
  const context = await newContext(browser, javaScriptEnabled, { viewport });
  const page = await context.newPage();
  await signInThroughForm(page, server.url, 'admin@fabrikam.com', DEMO_PASSWORD);
  return { context, page };
}

const count = async (page: Page) => Number((await page.textContent('#count strong'))?.replace(/\D/g, ''));
const firstRow = (page: Page) => page.getAttribute('tbody tr[id^="sign-in-"]', 'id');
const rowCount = (page: Page) => page.$$eval('tbody tr[id^="sign-in-"]', (rows) => rows.length);
const overflows = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');
type Box = { checked: boolean; value: string };

describe('dense risky sign-ins with JavaScript at 1440 px', () => {
  it('shows one line per row, links each row to its sign-in, and after feedback drops the count with an undo', async () => {
    const { context, page } = await open(true);
    await page.goto(`${server.url}${ACTIVE}`);
    const heights = await page.$$eval('tbody tr[id^="sign-in-"]', (rows) => rows.map((row) => row.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(40);
    expect(await overflows(page)).toBe(false);
    const id = (await firstRow(page))!.replace('sign-in-', '');
    expect(await page.getAttribute(`#sign-in-${id} a[href^="/security/sign-ins/"]`, 'href')).toMatch(new RegExp(`^/security/sign-ins/${id}(\\?back=|$)`));

    const before = await count(page);
    await giveRowFeedback(page, `#sign-in-${id}`, 'falsePositive');
    await expect.poll(() => count(page)).toBe(before - 1);
    expect(await page.textContent(`#sign-in-${id} [data-testid=status]`)).toContain('False positive');
    expect(await page.textContent('#flash')).toMatch(/Marked as false positive\s*—\s*Undo/);
    expect(page.url()).toBe(`${server.url}${ACTIVE}`);

    await page.click('#flash button');
    await expect.poll(() => count(page)).toBe(before);
    expect(await page.textContent(`#sign-in-${id} [data-testid=status]`)).toContain('Active');
    await context.close();
  });

  it('selects every row of the page at once, and keeps the filters when nothing is selected', async () => {
    const { context, page } = await open(true);
    await page.goto(`${server.url}${ACTIVE}&level=medium`);
    await page.check('.select-all');
    const boxes = await page.$$eval('input[name=signInId]', (inputs) => inputs.map((input) => (input as unknown as Box).checked));
    expect(boxes.length).toBeGreaterThan(1);
    expect(boxes.every(Boolean)).toBe(true);
    await page.uncheck('.select-all');
    await page.click('button[name=scope][value=selected]');
    await expect.poll(() => page.textContent('[data-testid=bulk-error]')).toContain('Select at least one sign-in');
    // The bulk form is a plain POST: the list comes back in place with its filters set.
    expect(await page.inputValue('select[name=level]')).toBe('medium');
    expect(await page.$$eval('input[name=status]:checked', (inputs) => inputs.map((input) => (input as unknown as Box).value))).toEqual(['active']);
    expect(await page.getAttribute('a[href^="/security/risky-sign-ins/export.csv"]', 'href')).toBe('/security/risky-sign-ins/export.csv?status=active&level=medium');
    await context.close();
  });

  it('sorts from a header, which later filter changes keep', async () => {
    const { context, page } = await open(true);
    await page.goto(`${server.url}/security/risky-sign-ins`);
    await page.click('th a:has-text("Risk level")');
    await page.waitForURL(/sort=-level/);
    await expect.poll(() => page.getAttribute('th[aria-sort=descending]', 'aria-sort')).toBe('descending');
    expect(await page.textContent('th[aria-sort=descending]')).toContain('Risk level');
    await page.selectOption('select[name=level]', 'medium');
    await page.waitForURL(/level=medium/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-level');
    await context.close();
  });

  it('pushes only non-empty parameters, one history entry for one Enter, and round-trips several statuses', async () => {
    const { context, page } = await open(true);
    await page.goto(`${server.url}/security/risky-sign-ins?status=active&status=dismissedAsIgnore`);
    const ticked = await page.$$eval('input[name=status]:checked', (inputs) => inputs.map((input) => (input as unknown as Box).value));
    expect(ticked).toEqual(['active', 'dismissedAsIgnore']);
    const entries = await page.evaluate<number>('history.length');
    await page.fill('input[name=user]', 'a');
    await page.press('input[name=user]', 'Enter');
    await page.waitForURL(/user=a/);
    await page.waitForTimeout(500);
    expect(await page.evaluate<number>('history.length')).toBe(entries + 1);
    expect(new URL(page.url()).search).toBe('?status=active&status=dismissedAsIgnore&user=a');

    await page.click('summary:has-text("Status")');
    await page.check('input[name=status][value=dismissedAsFixed]');
    await page.waitForURL(/dismissedAsFixed/);
    expect(new URL(page.url()).searchParams.getAll('status')).toEqual(['active', 'dismissedAsFixed', 'dismissedAsIgnore']);
    await page.reload();
    expect(await page.$$eval('input[name=status]:checked', (inputs) => inputs.length)).toBe(3);
    await context.close();
  });
});

describe('without JavaScript', () => {
  it('feedback answers 303 back to the list, which says what was done and counts one fewer', async () => {
    const { context, page } = await open(false);
    await page.goto(`${server.url}${ACTIVE}`);
    const before = await count(page);
    const row = `#${await firstRow(page)}`;
    await Promise.all([page.waitForLoadState('load'), giveRowFeedback(page, row, 'falsePositive')]);
    expect(await count(page)).toBe(before - 1);
    expect(await page.textContent('#flash')).toContain('Marked as false positive: 1 sign-in.');
    expect(new URL(page.url()).searchParams.getAll('status')).toEqual(['active']);
    await context.close();
  });
});

describe('on a phone (390 px)', () => {
  it.each([true, false])('with JavaScript %s: a menu, sign-out in view, cards without sideways scroll, and a one-line feedback control', async (javaScriptEnabled) => {
    const { context, page } = await open(javaScriptEnabled, PHONE);
    await page.goto(`${server.url}${ACTIVE}`);
    expect(await overflows(page)).toBe(false);
    const signOut = await page.locator('button:has-text("Sign out")').boundingBox();
    expect(signOut && signOut.x + signOut.width).toBeLessThanOrEqual(390);
    expect(await page.isVisible('nav[aria-label=Main] >> text=Users flagged for risk')).toBe(false);
    await page.click('summary:has-text("Menu")');
    expect(await page.isVisible('details nav[aria-label=Main] >> text=Users flagged for risk')).toBe(true);
    await page.click('summary:has-text("Menu")');

    const before = await count(page);
    const rows = await rowCount(page);
    const row = `#${await firstRow(page)}`;
    const control = await page.locator(`${row} form`).boundingBox();
    expect(control && control.height).toBeLessThan(40);
    if (javaScriptEnabled) {
      await giveRowFeedback(page, row, 'falsePositive');
      await expect.poll(() => count(page)).toBe(before - 1);
    } else {
      await Promise.all([page.waitForLoadState('load'), giveRowFeedback(page, row, 'falsePositive')]);
      expect(await count(page)).toBe(before - 1);
      expect(await rowCount(page)).toBe(rows - 1);
    }
    await context.close();
  });
});
