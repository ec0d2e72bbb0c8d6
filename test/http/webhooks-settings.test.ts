import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import type { Tenant } from '../../src/db/schema.js';
import { deliverDue } from '../../src/webhooks/worker.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { startReceiver } from '../helpers/receiver.js';
import { get, post, signIn } from '../helpers/session.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
const secretsKey = randomBytes(32);
const config = { secretsKey, webhookAllowPrivate: true };

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { config });
});
afterAll(() => database.destroy());

async function globalAdmin(tenant?: Tenant) {
  const t = tenant ?? (await seedTenant(database.db));
  const admin = await seedAdmin(database.db, t);
  return { tenant: t, cookie: await signIn(app, admin.email) };
}

const EVENTS = ['riskDetection.created', 'riskyUser.riskChanged'];

async function addThroughForm(cookie: string, url: string, name = 'Sentinel') {
  const res = await post(app, cookie, '/settings/webhooks', { name, url, events: EVENTS });
  const html = await res.text();
  const secret = /whsec_[A-Za-z0-9_-]+/.exec(html)?.[0];
  const id = /\/settings\/webhooks\/([0-9a-f-]{36})\/test/.exec(html)?.[1];
  return { res, html, secret, id };
}

async function webhookRow(id: string) {
  const [row] = await rows<{ secret: string; version: number; enabled: boolean; events: string[] }>(database.db, sql`select secret, version, enabled, events from webhooks where id = ${id}`);
  return row;
}

describe('/settings/webhooks', () => {
  it('adds an endpoint, shows its secret once and keeps it only sealed', async () => {
    const { tenant, cookie } = await globalAdmin();
    const { res, secret, id } = await addThroughForm(cookie, 'https://siem.example.com/hook');
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(secret).toBeDefined();
    const stored = await webhookRow(id!);
    expect(stored.secret).not.toContain(secret!.slice(6));
    expect(stored.events).toEqual(EVENTS);
    const page = await (await get(app, cookie, `/settings/webhooks/${id}`)).text();
    expect(page).not.toContain(secret!);
    expect(page).toContain('https://siem.example.com/hook');
    const list = await (await get(app, cookie, '/settings/webhooks')).text();
    expect(list).toContain('Sentinel');
    const audit = await rows<{ action: string }>(database.db, sql`select action from audit_log where tenant_id = ${tenant.id} and target_type = 'webhook'`);
    expect(audit.map((a) => a.action)).toEqual(['webhook.created']);
  });

  it('answers 400 naming the bad field and keeps what was typed', async () => {
    const { tenant, cookie } = await globalAdmin();
    const strict = buildTestApp(database, { config: { secretsKey, webhookAllowPrivate: false } });
    const cases: [Record<string, string | string[]>, string][] = [
      [{ name: '', url: 'https://a.example.com', events: EVENTS }, 'name must be'],
      [{ name: 'x', url: 'not a url', events: EVENTS }, 'url must be an absolute URL'],
      [{ name: 'x', url: 'http://a.example.com/hook', events: EVENTS }, 'url must start with https://'],
      [{ name: 'x', url: 'https://10.1.2.3/hook', events: EVENTS }, 'url must not point at a private'],
      [{ name: 'x', url: 'https://a.example.com', events: [] }, 'events: choose at least one'],
      [{ name: 'x', url: 'https://a.example.com', events: ['user.deleted'] }, 'events: unknown event user.deleted'],
    ];
    for (const [form, message] of cases) {
      const res = await post(strict, cookie, '/settings/webhooks', form);
      expect(res.status, message).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
    }
    const kept = await (await post(strict, cookie, '/settings/webhooks', { name: '<b>My SIEM</b>', url: 'ftp://x', events: EVENTS })).text();
    expect(kept).toContain('value="&lt;b&gt;My SIEM&lt;/b&gt;"');
    expect(await rows(database.db, sql`select 1 from webhooks where tenant_id = ${tenant.id}`)).toHaveLength(0);
  });

  it('refuses to add a webhook without SECRETS_KEY, saying how to set it', async () => {
    const { cookie } = await globalAdmin();
    const keyless = buildTestApp(database, { config: { secretsKey: null, webhookAllowPrivate: true } });
    expect(await (await get(keyless, cookie, '/settings/webhooks')).text()).toContain('SECRETS_KEY is not set');
    const res = await post(keyless, cookie, '/settings/webhooks', { name: 'x', url: 'https://a.example.com', events: EVENTS });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('Webhooks need SECRETS_KEY');
  });

  it('sends a test event through the worker and shows it in the delivery log, with Redeliver', async () => {
    const { cookie } = await globalAdmin();
    const receiver = await startReceiver((_request, res) => res.writeHead(200).end('{"ok":true}'));
    try {
      const { id } = await addThroughForm(cookie, receiver.url);
      const sent = await post(app, cookie, `/settings/webhooks/${id}/test`, {});
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe(`/settings/webhooks/${id}?done=test`);
      expect(await (await get(app, cookie, `/settings/webhooks/${id}`)).text()).toContain('Queued');
      await deliverDue({ db: database.db, config });
      expect(receiver.payloads()[0]).toMatchObject({ type: 'webhook.test', data: { webhook: { id, name: 'Sentinel' } } });
      const log = await (await get(app, cookie, `/settings/webhooks/${id}/log`, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' })).text();
      expect(log).toContain('webhook.test');
      expect(log).toContain('Delivered');
      expect(log).toContain('{&quot;ok&quot;:true}');
      const deliveryId = /data-delivery="(\d+)"/.exec(log)![1];

      const again = await post(app, cookie, `/settings/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {}, { 'HX-Request': 'true' });
      expect(again.headers.get('hx-redirect')).toBe(`/settings/webhooks/${id}?done=redelivered`);
      await deliverDue({ db: database.db, config });
      const [first, second] = receiver.payloads();
      expect(second.id).toBe(first.id);
      expect(receiver.requests[1].headers['riskdesk-delivery']).not.toBe(receiver.requests[0].headers['riskdesk-delivery']);
    } finally {
      await receiver.close();
    }
  });

  it('disables, enables, rotates and removes with the version the admin saw; a stale one is a 409', async () => {
    const { tenant, cookie } = await globalAdmin();
    const { id, secret } = await addThroughForm(cookie, 'https://siem.example.com/hook');
    const stale = await post(app, cookie, `/settings/webhooks/${id}/disable`, { version: '7' });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('changed since you loaded');
    expect((await post(app, cookie, `/settings/webhooks/${id}/disable`, {})).status).toBe(400);
    expect((await post(app, cookie, `/settings/webhooks/${id}/disable`, { version: '1' })).status).toBe(303);
    expect((await webhookRow(id!)).enabled).toBe(false);
    expect((await post(app, cookie, `/settings/webhooks/${id}/test`, {})).status).toBe(409);
    expect((await post(app, cookie, `/settings/webhooks/${id}/enable`, { version: '2' })).status).toBe(303);
    const rotated = await post(app, cookie, `/settings/webhooks/${id}/rotate`, { version: '3' });
    expect(rotated.status).toBe(200);
    const fresh = /whsec_[A-Za-z0-9_-]+/.exec(await rotated.text())?.[0];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(secret);
    expect(await (await get(app, cookie, `/settings/webhooks/${id}`)).text()).toContain('Old secret');
    expect((await post(app, cookie, `/settings/webhooks/${id}/remove`, { version: '3' })).status).toBe(409);
    const removed = await post(app, cookie, `/settings/webhooks/${id}/remove`, { version: '4' });
    expect(removed.headers.get('location')).toBe('/settings/webhooks?done=removed');
    expect(await rows(database.db, sql`select 1 from webhooks where id = ${id}`)).toHaveLength(0);
    const audit = await rows<{ action: string }>(database.db, sql`select action from audit_log where tenant_id = ${tenant.id} and target_type = 'webhook' order by id`);
    expect(audit.map((a) => a.action)).toEqual(['webhook.created', 'webhook.disabled', 'webhook.enabled', 'webhook.secretRotated', 'webhook.removed']);
  });

  it("answers 404 for another tenant's webhook and 403 to admins who are not global admins", async () => {
    const { cookie } = await globalAdmin();
    const { id } = await addThroughForm(cookie, 'https://siem.example.com/hook');
    const other = await globalAdmin();
    expect((await get(app, other.cookie, `/settings/webhooks/${id}`)).status).toBe(404);
    expect((await post(app, other.cookie, `/settings/webhooks/${id}/disable`, { version: '1' })).status).toBe(404);
    expect((await post(app, other.cookie, `/settings/webhooks/${id}/test`, {})).status).toBe(404);
    expect((await get(app, other.cookie, '/settings/webhooks/not-a-uuid')).status).toBe(404);
    for (const role of ['security_admin', 'security_reader'] as const) {
      const admin = await seedAdmin(database.db, other.tenant, role);
      const theirs = await signIn(app, admin.email);
      expect((await get(app, theirs, '/settings/webhooks')).status).toBe(403);
      expect((await post(app, theirs, '/settings/webhooks', { name: 'x', url: 'https://a.example.com', events: EVENTS })).status).toBe(403);
    }
    expect((await webhookRow(id!)).enabled).toBe(true);
  });
});
