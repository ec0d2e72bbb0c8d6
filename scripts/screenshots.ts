// npm run screenshots: the main console pages on the demo data, in light, dark and on a phone,
// written to docs/images/ for the README. Runs on a throwaway in-memory database.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { wrapPglite } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.js';

const OUT = 'docs/images';
const VARIANTS = {
  light: { viewport: { width: 1440, height: 900 }, colorScheme: 'light' },
  dark: { viewport: { width: 1440, height: 900 }, colorScheme: 'dark' },
  mobile: { viewport: { width: 390, height: 844 }, colorScheme: 'light' },
} as const;
type Variant = keyof typeof VARIANTS;

interface Shot {
  name: string;
  login: string;
  /** A path, or a function that finds it from a page the admin can reach. */
  path: string | ((page: Page, base: string) => Promise<string>);
  variants: Variant[];
}

async function firstLink(page: Page, base: string, from: string, selector: string): Promise<string> {
  await page.goto(`${base}${from}`);
  const href = await page.getAttribute(selector, 'href');
  if (!href) throw new Error(`no link ${selector} on ${from}`);
  return href;
}

const SHOTS: Shot[] = [
  { name: 'risky-sign-ins', login: 'admin@fabrikam.com', path: '/security/risky-sign-ins?status=active&level=medium&country=RU&range=7d', variants: ['light'] },
  { name: 'risky-sign-ins-all', login: 'admin@contoso.com', path: '/security/risky-sign-ins', variants: ['light', 'dark', 'mobile'] },
  { name: 'sign-in-detail', login: 'admin@fabrikam.com', path: (page, base) => firstLink(page, base, '/security/risky-sign-ins?type=unlikelyTravel', 'tbody a[href^="/security/sign-ins/"]'), variants: ['light', 'dark', 'mobile'] },
  { name: 'users-at-risk', login: 'admin@contoso.com', path: '/security/users-at-risk', variants: ['light', 'dark', 'mobile'] },
  { name: 'sign-ins', login: 'admin@contoso.com', path: '/security/sign-ins', variants: ['light', 'dark'] },
  { name: 'risk-events', login: 'admin@contoso.com', path: '/security/risk-events', variants: ['light', 'dark'] },
  { name: 'user', login: 'admin@contoso.com', path: (page, base) => firstLink(page, base, '/security/users-at-risk', 'tbody a[href^="/security/users/"]'), variants: ['light', 'dark', 'mobile'] },
];

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/security\//), page.click('button[type=submit]')]);
}

async function shoot(browser: Browser, base: string, shot: Shot) {
  for (const variant of shot.variants) {
    const context = await browser.newContext({ ...VARIANTS[variant] });
    const page = await context.newPage();
    await signIn(page, base, shot.login);
    const path = typeof shot.path === 'string' ? shot.path : await shot.path(page, base);
    const res = await page.goto(`${base}${path}`);
    if (!res?.ok()) {
      console.warn(`skipped ${shot.name} (${variant}): ${path} answered ${res?.status()}`);
      await context.close();
      continue;
    }
    const file = `${OUT}/${shot.name}${variant === 'light' ? '' : `-${variant}`}.png`;
    await page.screenshot({ path: file });
    console.log(file);
    await context.close();
  }
}

const database = wrapPglite(await PGlite.create());
await migrate(database);
await seedDemo(database.db, { seed: 1 });
const app = createApp({ database, config: { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }) }, now: () => new Date() });
const server = await new Promise<Server>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'], headless: true });
mkdirSync(OUT, { recursive: true });
try {
  for (const shot of SHOTS) await shoot(browser, base, shot);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  await database.close();
}
