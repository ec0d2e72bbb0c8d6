import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Admin, Tenant } from '../../src/db/schema.js';
import { ingestSignIns } from '../../src/ingest/ingest.js';
import { buildTestApp } from '../helpers/app.js';
import { launchChromium, listen, newContext, signInThroughForm } from '../helpers/browser.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { eventsOf } from '../helpers/ingest.js';
import { HOUR, PLACES, signIn } from '../helpers/sign-ins.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let tenant: Tenant;
let admin: Admin;

beforeAll(async () => {
  database = await createTestDatabase();
  tenant = await seedTenant(database.db, 'premium_p1', 'Fabrikam Test');
  admin = await seedAdmin(database.db, tenant, 'security_admin');
  server = await listen(buildTestApp(database));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
});

describe('the tenant lists with JavaScript off', () => {
  it('adds the office VPN as a trusted location and uploads a leak list; the next imported sign-ins are judged with them', async () => {
    const t = Date.now() - 2 * HOUR;
    await ingestSignIns(database.db, tenant, [signIn({ atMs: t, userId: 'u-erin', userPrincipalName: 'erin@fabrikam.com', place: PLACES.seattle, ipAddress: '10.0.0.1' })]);

    const context = await newContext(browser, false);
    const page = await context.newPage();
    await signInThroughForm(page, server.url, admin.email);

    await page.goto(`${server.url}/settings/trusted-locations`);
    await page.fill('input[name=name]', 'Office VPN');
    await page.fill('textarea[name=ranges]', '198.51.100.0/24\nnot-a-range\n');
    await page.click('button:has-text("Add trusted location")');
    expect(await page.textContent('[data-testid=bad-lines]')).toContain('Line 2: not-a-range');
    // The form comes back with what was typed; fix the bad line.
    await page.fill('textarea[name=ranges]', '198.51.100.0/24\n# the proxy\n203.0.113.7');
    await Promise.all([page.waitForURL(/done=added/), page.click('button:has-text("Add trusted location")')]);
    expect(await page.textContent('[role=status]')).toContain('2 ranges added');
    expect(await page.textContent('main table')).toContain('Office VPN');

    await page.click('nav[aria-label=Main]:visible >> text=Leaked credentials');
    await page.setInputFiles('input[type=file][name=file]', { name: 'breach.txt', mimeType: 'text/plain', buffer: Buffer.from('# paste site dump\r\nfrank@fabrikam.com\r\nerin@fabrikam.com\r\n') });
    await Promise.all([page.waitForURL(/done=imported/), page.click('button:has-text("Upload")')]);
    expect(await page.textContent('[role=status]')).toContain('2 entries read, 2 added, 0 removed, 1 leaked credentials events raised');
    expect(await page.textContent('#entries')).toContain('frank@fabrikam.com');
    await context.close();

    // The next import: Erin signs in from London through the VPN an hour later; Frank appears for the first time.
    const viaVpn = signIn({ atMs: t + HOUR, userId: 'u-erin', userPrincipalName: 'erin@fabrikam.com', place: PLACES.london, ipAddress: '198.51.100.23' });
    const frank = signIn({ atMs: t + HOUR, userId: 'u-frank', userPrincipalName: 'frank@fabrikam.com', place: PLACES.paris, ipAddress: '192.0.2.50' });
    expect(await ingestSignIns(database.db, tenant, [viaVpn, frank])).toMatchObject({ inserted: 2, riskDetections: 1 });
    expect((await eventsOf(database.db, tenant.id)).map((event) => [event.riskEventType, event.userId])).toEqual([
      ['leakedCredentials', 'u-erin'],
      ['leakedCredentials', 'u-frank'],
    ]);
  });
});

describe('the tenant lists with JavaScript on (htmx-boosted forms)', () => {
  it('uploads a leak list file and names a bad trusted range in place', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInThroughForm(page, server.url, admin.email);
    await page.goto(`${server.url}/settings/leaked-credentials`);
    await page.setInputFiles('input[type=file][name=file]', { name: 'more.txt', mimeType: 'text/plain', buffer: Buffer.from('grace@fabrikam.com\n') });
    await page.click('button:has-text("Upload")');
    await expect.poll(() => page.textContent('main')).toContain('1 entries read, 1 added');
    expect(await page.textContent('#entries')).toContain('grace@fabrikam.com');

    await page.goto(`${server.url}/settings/trusted-locations`);
    await page.fill('input[name=name]', 'Lab');
    await page.fill('textarea[name=ranges]', '10.9.0.0/16\n10.9.0.0/99');
    await page.click('button:has-text("Add trusted location")');
    await expect.poll(() => page.textContent('main')).toContain('Line 2: 10.9.0.0/99');
    expect(errors).toEqual([]);
    await context.close();
  });
});
