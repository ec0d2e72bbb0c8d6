import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TEST_PASSWORD } from './fixtures.js';
import type { App } from '../../src/app.js';
import { seedDemo } from '../../src/demo/seed.js';
import { buildTestApp } from './app.js';
import { createTestDatabase } from './db.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Serves the app on a random loopback port, as the real server would. */
export async function listen(app: App): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Debian's Chromium driven by playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile, with JavaScript on or off, in a colour scheme and window size. */
export function newContext(
  browser: Browser,
  javaScriptEnabled: boolean,
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled, viewport: options.viewport ?? { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
}

/** Signs in through the real login form and waits to land in the console. */
export async function signInThroughForm(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/security\//), page.click('button[type=submit]')]);
}

/** Feedback through a risky sign-in row's one-line control: choose the action, press Apply. */
export async function giveRowFeedback(page: Page, rowSelector: string, action: string): Promise<void> {
  await page.selectOption(`${rowSelector} select[name=action]`, action);
  await page.click(`${rowSelector} form button[type=submit]`);
}

/** The demo tenants served on a loopback port with Chromium started: what the whole-console browser tests share. */
export async function startDemoConsole() {
  const database = await createTestDatabase();
  await seedDemo(database.db, { seed: 1 });
  const server = await listen(buildTestApp(database));
  const browser = await launchChromium();
  return { database, server, browser };
}

export async function stopDemoConsole(demo: Partial<Awaited<ReturnType<typeof startDemoConsole>>>) {
  await demo.browser?.close();
  await demo.server?.close();
  await demo.database?.destroy();
}
