import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.js';
import { axeViolations, describeViolations } from '../helpers/axe.js';
import { DESKTOP, PHONE, newContext, signInThroughForm } from '../helpers/browser.js';
import { startDemoConsole, stopDemoConsole } from '../helpers/browser.js';

// Issue 10, point 8: axe-core finds nothing on any page of the console, light and dark. The pages
// are found by following the console's own links from the landing page, one of each kind (ids
// stand for any id), so a page added later is checked without being listed here.

let database: Awaited<ReturnType<typeof startDemoConsole>>['database'];
let server: Awaited<ReturnType<typeof startDemoConsole>>['server'];
let browser: Browser;

beforeAll(async () => {
  ({ database, server, browser } = await startDemoConsole());
});
afterAll(() => stopDemoConsole({ database, server, browser }));

const SKIP = /^\/(static|api|metrics|healthz|logout)\b|\/export\.(csv|json)$/;
const MAX_PAGES = 40;

/** "/security/risk-events/unlikelyTravel/abc-123" -> "/security/risk-events/:/:": one page per kind. */
function kindOf(path: string): string {
  const parts = path.split('/');
  const fixed = new Set(['security', 'settings', 'audit', 'policies', 'risky-sign-ins', 'users-at-risk', 'sign-ins', 'risk-events', 'users']);
  return parts.map((part, i) => (i < 2 || fixed.has(part) || /^[a-z-]+$/.test(part) && i === 2 ? part : ':')).join('/');
}

async function crawl(page: Page, start: string): Promise<string[]> {
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0 && seen.size < MAX_PAGES) {
    const path = queue.shift()!;
    const kind = kindOf(new URL(path, server.url).pathname);
    if (seen.has(kind)) continue;
    const res = await page.goto(`${server.url}${path}`);
    if (!res?.ok()) continue;
    seen.set(kind, path);
    const links = await page.$$eval('a[href^="/"]:not([download])', (anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    for (const link of links) {
      const url = new URL(link, server.url);
      if (SKIP.test(url.pathname)) continue;
      queue.push(url.pathname + (url.pathname.includes('/sign-ins') || url.pathname.includes('/risk-events') ? url.search : ''));
    }
  }
  return [...seen.values()];
}

async function audit(email: string, paths: string[] | null, scheme: 'light' | 'dark', viewport = DESKTOP) {
  const context = await newContext(browser, true, { colorScheme: scheme, viewport });
  const page = await context.newPage();
  await signInThroughForm(page, server.url, email, DEMO_PASSWORD);
  const visit = paths ?? (await crawl(page, '/'));
  const problems: string[] = [];
  for (const path of visit) {
    await page.goto(`${server.url}${path}`);
    problems.push(...describeViolations(`${path} [${scheme}]`, await axeViolations(page)));
  }
  await context.close();
  if (process.env.AXE_LOG) console.log([`visited ${visit.join(' ')}`, ...problems].join('\n'));
  return { visit, problems };
}

describe('accessibility (axe-core) of every console page', () => {
  let contosoPages: string[] = [];

  it('finds no violation on any page a premium global admin reaches, in the light scheme', async () => {
    const { visit, problems } = await audit('admin@contoso.com', null, 'light');
    contosoPages = visit;
    expect(visit.length).toBeGreaterThan(8);
    expect(problems).toEqual([]);
  }, 300_000);

  it('finds none on the same pages in the dark scheme', async () => {
    const { problems } = await audit('admin@contoso.com', contosoPages, 'dark');
    expect(problems).toEqual([]);
  }, 300_000);

  it('finds none on the pages of a free tenant, light and dark', async () => {
    const light = await audit('admin@fabrikam.com', null, 'light');
    const dark = await audit('admin@fabrikam.com', light.visit, 'dark');
    expect([...light.problems, ...dark.problems]).toEqual([]);
  }, 300_000);

  it('finds none at 390 px on the lists and the sign-in page', async () => {
    const paths = ['/security/risky-sign-ins', '/security/users-at-risk', '/security/sign-ins', '/login'];
    const results = [await audit('admin@fabrikam.com', paths, 'light', PHONE), await audit('admin@fabrikam.com', paths, 'dark', PHONE)];
    expect(results.flatMap((r) => r.problems)).toEqual([]);
  }, 300_000);

  it('finds none on the login page, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await newContext(browser, true, { colorScheme, viewport: DESKTOP });
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      expect(describeViolations(`/login [${colorScheme}]`, await axeViolations(page))).toEqual([]);
      await context.close();
    }
  });
});
