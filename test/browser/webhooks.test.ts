import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Admin } from '../../src/db/schema.js';
import { startWebhookWorker } from '../../src/webhooks/worker.js';
import { buildTestApp } from '../helpers/app.js';
import { launchChromium, listen, newContext, signInThroughForm } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { startReceiver } from '../helpers/receiver.js';

const config = { secretsKey: randomBytes(32), webhookAllowPrivate: true };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let worker: { stop(): Promise<void> };
let browser: Browser;
let admin: Admin;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = await seedAdmin(database.db, await seedTenant(database.db, 'premium_p2', 'Contoso'));
  server = await listen(buildTestApp(database, { config }));
  receiver = await startReceiver((_request, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}'));
  worker = startWebhookWorker({ db: database.db, config, pollMs: 200 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await receiver?.close();
  await server?.close();
  await database?.destroy();
});

describe('webhooks in the browser', () => {
  it('lets a Contoso admin add a webhook, press Send test and see it in the delivery log', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await signInThroughForm(page, server.url, admin.email);
    await page.goto(`${server.url}/settings/webhooks`);
    await page.fill('input[name=name]', 'Contoso SIEM');
    await page.fill('input[name=url]', receiver.url);
    await page.click('button:has-text("Add webhook")');
    await expect.poll(() => page.textContent('[data-testid=one-time-secrets]')).toMatch(/whsec_/);

    await page.click('button:has-text("Send test")');
    await expect.poll(() => page.textContent('[role=status]')).toContain('Test event queued');
    await expect.poll(() => page.textContent('#delivery-log'), { timeout: 15_000 }).toContain('Delivered');
    const log = (await page.textContent('#delivery-log')) ?? '';
    expect(log).toContain('webhook.test');
    expect(log).toContain('200');
    expect(log).toContain('{"received":true}');
    expect(receiver.payloads().map((payload) => payload.type)).toEqual(['webhook.test']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
