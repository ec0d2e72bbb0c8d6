import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Admin } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { giveRowFeedback, launchChromium, listen, newContext, signInThroughForm } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { insertRisky } from '../http/report-fixtures.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let admin: Admin;
const now = Date.now();
const ago = (hours: number) => new Date(now - hours * 3_600_000);

beforeAll(async () => {
  database = await createTestDatabase();
  const tenant = await seedTenant(database.db, 'free', 'Fabrikam Report');
  admin = await seedAdmin(database.db, tenant, 'security_admin');
  const rows = (prefix: string) => [
    { id: `${prefix}-ru`, createdDateTime: ago(1), level: 'high' as const, countryOrRegion: 'RU', city: 'Moscow', userDisplayName: 'Ruslan' },
    { id: `${prefix}-pt`, createdDateTime: ago(2), level: 'low' as const, userDisplayName: 'Paula' },
  ];
  await insertRisky(database.db, tenant.id, [...rows('js'), ...rows('nojs')]);
  server = await listen(buildTestApp(database));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
});

const signInAs = (page: Page) => signInThroughForm(page, server.url, admin.email);

const rowIds = (page: Page, prefix: string) =>
  page.$$eval(`tr[id^="sign-in-${prefix}-"]`, (rows) => rows.map((row) => row.id.replace('sign-in-', '')));

describe('the risky sign-ins report in a browser', () => {
  it('with JavaScript: a filter change swaps the results and pushes the URL, Back restores, feedback swaps only its row', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    await signInAs(page);
    await page.goto(`${server.url}/security/risky-sign-ins`);
    expect(await rowIds(page, 'js')).toEqual(['js-ru', 'js-pt']);
    // A marker on the window survives swaps but not a full page load.
    await page.evaluate(() => Object.assign(globalThis, { marker: 'kept' }));

    await page.selectOption('select[name=level]', 'high');
    await page.waitForURL(/level=high/);
    await expect.poll(() => rowIds(page, 'js')).toEqual(['js-ru']);
    expect(await page.evaluate(() => (globalThis as { marker?: string }).marker)).toBe('kept');

    await page.goBack();
    await expect.poll(() => rowIds(page, 'js')).toEqual(['js-ru', 'js-pt']);
    expect(new URL(page.url()).search).not.toContain('level=high');

    await page.goto(`${server.url}/security/risky-sign-ins?limit=1`);
    const firstPage = await page.getAttribute('tbody tr', 'id');
    await page.evaluate(() => Object.assign(globalThis, { marker: 'kept' }));
    await page.click('a[rel=next]');
    await page.waitForURL(/cursor=/);
    await expect.poll(() => page.$$eval('tbody tr', (rows) => rows.length)).toBe(1);
    expect(await page.evaluate(() => (globalThis as { marker?: string }).marker)).toBe('kept');
    await expect.poll(() => page.getAttribute('tbody tr', 'id')).not.toBe(firstPage);

    await page.goto(`${server.url}/security/risky-sign-ins?level=high`);
    await page.evaluate(() => Object.assign(globalThis, { marker: 'kept' }));
    await giveRowFeedback(page, '#sign-in-js-ru', 'falsePositive');
    await expect.poll(() => page.textContent('#sign-in-js-ru [data-testid=status]')).toContain('False positive');
    expect(await page.$('#sign-in-js-ru option[value=reactivate]')).not.toBeNull();
    expect(await page.evaluate(() => (globalThis as { marker?: string }).marker)).toBe('kept');
    expect(new URL(page.url()).search).toBe('?level=high');
    await context.close();
  });

  it('without JavaScript: the same journey through plain GET and POST forms', async () => {
    const context = await newContext(browser, false);
    const page = await context.newPage();
    await signInAs(page);
    await page.goto(`${server.url}/security/risky-sign-ins`);
    expect(await rowIds(page, 'nojs')).toEqual(['nojs-ru', 'nojs-pt']);

    await page.selectOption('select[name=level]', 'high');
    await Promise.all([page.waitForURL(/level=high/), page.click('form[role=search] button[type=submit]')]);
    expect(await rowIds(page, 'nojs')).toEqual(['nojs-ru']);

    await Promise.all([page.waitForLoadState('load'), giveRowFeedback(page, '#sign-in-nojs-ru', 'falsePositive')]);
    await expect.poll(() => page.textContent('#sign-in-nojs-ru [data-testid=status]')).toContain('False positive');
    expect(new URL(page.url()).searchParams.get('level')).toBe('high');
    await context.close();
  });
});
