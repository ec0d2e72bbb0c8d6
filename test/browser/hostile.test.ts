import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import type { Admin, Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { validateSignIn } from '../../src/ingest/validate.js';
import { buildTestApp } from '../helpers/app.js';
import { launchChromium, listen, signInThroughForm } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { HOSTILE_SHORT, HOSTILE_SMALL } from '../helpers/hostile.js';
import { HOUR, PLACES, signIn, toGraph } from '../helpers/sign-ins.js';

// Issue 11, point 1 in Chromium with JavaScript on: the hostile corpus imported into every text
// field, then every page and htmx fragment that shows it and the filter echoes. No payload may run
// (window.__pwned stays undefined), become an element (no [data-hostile]) or trip the CSP.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let tenant: Tenant;
let admin: Admin;

beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await seedTenant(database.db, 'premium_p2', 'Hostile Test');
  const now = Date.now();
  const records = HOSTILE_SMALL.flatMap((payload, n) => {
    const text = {
      userId: `hb-${n}`,
      userPrincipalName: `${payload.value}@contoso.com`,
      userDisplayName: payload.value,
      appDisplayName: payload.value,
      clientAppUsed: payload.value,
      browser: payload.value,
      operatingSystem: payload.value,
    };
    return [
      signIn({ ...text, id: `hb-${n}-home`, atMs: now - 3 * HOUR, place: { ...PLACES.seattle, city: payload.value, state: payload.value } }),
      signIn({ ...text, id: `hb-${n}-away`, atMs: now - 2 * HOUR, ipAddress: '198.51.100.7', place: { ...PLACES.tokyo, city: payload.value, state: payload.value } }),
    ].map((record, i) => validateSignIn({ ...toGraph(record), userAgent: payload.value }, { index: 2 * n + i }));
  });
  // Through the importer's own validation, as every import goes (it replaces lone surrogates and cuts long text).
  const result = await ingestSignIns(database.db, tenant, records);
  expect(result.inserted).toBe(records.length);
  admin = await seedAdmin(database.db, tenant, 'security_admin');
  server = await listen(buildTestApp(database));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
});

// Runs in the page before its own scripts: records CSP violations where the test can read them.
const WATCH = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));`;

interface Watched {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function open(): Promise<Watched> {
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 1440, height: 900 } });
  await context.addInitScript(WATCH);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await signInThroughForm(page, server.url, admin.email);
  return { context, page, errors };
}

/** Nothing ran, nothing became markup, nothing tripped the CSP. */
async function expectInert(watched: Watched, where: string) {
  const state = (await watched.page.evaluate(`({
    pwned: window.__pwned,
    parentPwned: window.parent.__pwned,
    hostile: document.querySelectorAll('[data-hostile]').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    violations: window.__violations,
  })`)) as { pwned: unknown; parentPwned: unknown; hostile: number; handlers: number; violations: string[] };
  expect(state, where).toEqual({ pwned: undefined, parentPwned: undefined, hostile: 0, handlers: 0, violations: [] });
  expect(watched.errors, where).toEqual([]);
}

async function visit(watched: Watched, path: string) {
  const res = await watched.page.goto(`${server.url}${path}`);
  expect(res?.status(), path).toBe(200);
  // Give deferred scripts, htmx's processing and any load/error handlers a moment to run.
  await watched.page.waitForLoadState('load');
  await watched.page.waitForTimeout(100);
  await expectInert(watched, path);
}

describe('the hostile corpus in Chromium', () => {
  it('runs nowhere on the pages that show the hostile sign-ins', async () => {
    const watched = await open();
    const events = await rows<{ id: string; risk_event_type: string }>(database.db, sql`select id, risk_event_type from risk_events where tenant_id = ${tenant.id} order by id limit 12`);
    expect(events.length).toBeGreaterThan(0);
    const paths = [
      '/security/risky-sign-ins?range=7d&limit=200',
      '/security/sign-ins?range=7d&limit=200',
      '/security/risk-events',
      '/security/risk-events/unlikelyTravel?limit=200',
      '/security/users-at-risk?limit=200',
      '/audit',
      ...events.map((e) => `/security/risk-events/${e.risk_event_type}/${encodeURIComponent(e.id)}`),
      ...HOSTILE_SMALL.map((_, n) => `/security/users/hb-${n}`),
      ...HOSTILE_SMALL.map((_, n) => `/security/sign-ins/hb-${n}-away`),
    ];
    for (const path of paths) await visit(watched, path);
    await watched.context.close();
  });

  it('runs nowhere in the htmx fragments: the sign-in panel and the filtered list', async () => {
    const watched = await open();
    const { page } = watched;
    await visit(watched, '/security/risky-sign-ins?range=7d&limit=200');
    const links = page.locator('tbody a[href^="/security/sign-ins/"]');
    const count = Math.min(await links.count(), 12);
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      await links.nth(i).click();
      await page.locator('#sign-in-panel :is(h1, h2)').first().waitFor();
      await page.waitForTimeout(50);
      await expectInert(watched, `panel ${i}`);
    }
    // The filter form swaps the results in with htmx; each hostile value typed into the user filter.
    await visit(watched, '/security/risky-sign-ins?range=7d');
    for (const payload of HOSTILE_SHORT.filter((p) => p.kind === 'markup' || p.kind === 'attribute')) {
      const field = page.locator('form[role=search] input[name=user]');
      await field.fill(payload.value);
      await Promise.all([page.waitForResponse((r) => r.url().includes('/security/risky-sign-ins') && r.request().headers()['hx-request'] === 'true'), field.press('Enter')]);
      await page.waitForTimeout(50);
      await expectInert(watched, `user filter: ${payload.name}`);
    }
    await watched.context.close();
  });

  it('runs nowhere in the filter echoes', async () => {
    const watched = await open();
    for (const payload of HOSTILE_SHORT.filter((p) => p.kind !== 'surrogate' && !/^[\t\r]/.test(p.value))) {
      const v = encodeURIComponent(payload.value);
      for (const path of [`/security/risky-sign-ins?user=${v}`, `/security/sign-ins?app=${v}`, `/audit?actor=${v}`, `/security/risk-events/unlikelyTravel?user=${v}`, `/security/sign-ins/hb-0-away?back=${v}`]) {
        await visit(watched, path);
      }
    }
    await watched.context.close();
  });
});
