import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveRowFeedback, newContext, signInThroughForm } from '../helpers/browser.js';
import { startDemoConsole, stopDemoConsole } from '../helpers/browser.js';

// Issue 5's acceptance journey on the real demo data: a free-tenant admin narrows the report to
// active sign-ins of medium risk or more from Russia in the last 7 days, opens it as a bookmark,
// marks one false positive inline and downloads the matching rows, with JavaScript on and off.

const BOOKMARK = '/security/risky-sign-ins?status=active&level=medium&country=RU&range=7d';

let database: Awaited<ReturnType<typeof startDemoConsole>>['database'];
let server: Awaited<ReturnType<typeof startDemoConsole>>['server'];
let browser: Browser;

beforeAll(async () => {
  ({ database, server, browser } = await startDemoConsole());
});
afterAll(() => stopDemoConsole({ database, server, browser }));

const signIn = (page: Page) => signInThroughForm(page, server.url, 'admin@fabrikam.com', 'riskdesk-demo');

const withoutNotice = (url: string) => {
  const parsed = new URL(url);
  for (const name of ['feedback', 'changed', 'skipped', 'notFound']) parsed.searchParams.delete(name);
  return parsed.toString();
};

const sortedQuery = (url: string) => new URL(url).pathname + '?' + [...new URL(url).searchParams].map(([k, v]) => `${k}=${v}`).sort().join('&');

const rowIds = (page: Page) => page.$$eval('tbody tr[id^="sign-in-"]', (rows) => rows.map((row) => row.id.replace('sign-in-', '')));

async function download(page: Page): Promise<Record<string, string>[]> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/security/risky-sign-ins/export.csv"]')]);
  expect(file.suggestedFilename()).toMatch(/^fabrikam\.com-risky-sign-ins-.*\.csv$/);
  return parse(readFileSync((await file.path())!), { columns: true, bom: true });
}

describe.each([true, false])('the free-tenant journey with JavaScript %s', (javaScriptEnabled) => {
  it('narrows the demo data by URL, marks one false positive inline and downloads the rest', async () => {
    const context = await newContext(browser, javaScriptEnabled);
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${server.url}${BOOKMARK}`);

    const before = await rowIds(page);
    expect(before.length).toBeGreaterThan(0);
    const locations = await page.$$eval('tbody tr[id^="sign-in-"]', (rows) => rows.map((row) => row.textContent ?? ''));
    for (const text of locations) expect(text).toMatch(/, RU/);

    const target = before[0];
    const row = `tr[id="sign-in-${target}"]`;
    if (javaScriptEnabled) {
      await giveRowFeedback(page, row, 'falsePositive');
      await expect.poll(() => page.textContent(`tr[id="sign-in-${target}"] [data-testid=status]`)).toContain('False positive');
      expect(page.url()).toBe(`${server.url}${BOOKMARK}`);
      await page.reload();
    } else {
      await Promise.all([page.waitForLoadState('load'), giveRowFeedback(page, row, 'falsePositive')]);
      // Back on the same filtered view (its parameters may come back in another order), with a notice.
      expect(sortedQuery(withoutNotice(page.url()))).toBe(sortedQuery(`${server.url}${BOOKMARK}`));
      expect(await page.textContent('#flash')).toContain('Marked as false positive: 1 sign-in.');
    }
    // Only active sign-ins match the bookmark: the one just marked has left the list.
    const after = await rowIds(page);
    expect(after).toEqual(before.filter((id) => id !== target));

    const rows = await download(page);
    expect(rows.map((row) => row['Sign-in id']).sort()).toEqual([...after].sort());
    for (const row of rows) {
      expect(row.Country).toBe('RU');
      expect(row.Status).toMatch(/active/i);
    }
    await context.close();
  });
});
