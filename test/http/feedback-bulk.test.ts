import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveBulkFeedback } from '../../src/actions/feedback-bulk.js';
import { sql } from 'drizzle-orm';
import { signIns, type Tenant } from '../../src/db/schema.js';
import { parseBulkOutcome } from '../../src/http/bulk-outcome.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditCount, eventsOfSignIn, seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { post, signIn } from '../helpers/session.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let other: Tenant;
let cookie: string;
const clock = testClock();

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  tenant = await seedTenant(database.db, 'basic');
  other = await seedTenant(database.db, 'basic');
  cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'global_admin')).email);
});
afterAll(() => database.destroy());

describe('bulk feedback on selected sign-ins', () => {
  it('changes the sign-ins that allow the action, skips the others and counts both', async () => {
    await seedRiskySignIn(database.db, tenant.id, { id: 'b-active-1', userId: 'b-u1', events: [{}] });
    await seedRiskySignIn(database.db, tenant.id, { id: 'b-active-2', userId: 'b-u2', events: [{}, { status: 'remediated' }] });
    await seedRiskySignIn(database.db, tenant.id, { id: 'b-fixed', userId: 'b-u3', events: [{ status: 'dismissedAsFixed' }] });
    await seedRiskySignIn(database.db, tenant.id, { id: 'b-remediated', userId: 'b-u3', events: [{ status: 'remediated' }] });
    await seedRiskySignIn(database.db, other.id, { id: 'b-theirs', userId: 'b-u9', events: [{}] });

    const res = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', {
      action: 'falsePositive',
      signInId: ['b-active-1', 'b-active-2', 'b-fixed', 'b-remediated', 'b-theirs', 'b-missing', 'b-active-1'],
      returnTo: '/security/risky-sign-ins?status=active&level=medium',
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '', 'http://x');
    expect(location.pathname).toBe('/security/risky-sign-ins');
    expect(location.searchParams.get('status')).toBe('active');
    expect(location.searchParams.get('level')).toBe('medium');
    expect(parseBulkOutcome(location.searchParams)).toEqual({ action: 'falsePositive', changed: 2, skipped: 2, notFound: 2 });

    expect((await eventsOfSignIn(database.db, tenant.id, 'b-active-1')).map((e) => e.status)).toEqual(['dismissedAsFalsePositive']);
    expect((await eventsOfSignIn(database.db, tenant.id, 'b-active-2')).map((e) => e.status)).toEqual(['dismissedAsFalsePositive', 'remediated']);
    expect((await eventsOfSignIn(database.db, tenant.id, 'b-fixed')).map((e) => e.status)).toEqual(['dismissedAsFixed']);
    expect((await eventsOfSignIn(database.db, other.id, 'b-theirs')).map((e) => e.status)).toEqual(['active']);
    expect(await auditCount(database.db, other.id)).toBe(0);
  });

  it('gives the same counts whatever the chunk size', async () => {
    for (let i = 0; i < 7; i += 1) {
      await seedRiskySignIn(database.db, tenant.id, { id: `c-${i}`, userId: `c-u${i % 3}`, events: [{ status: i % 2 === 0 ? 'active' : 'dismissedAsIgnore' }] });
    }
    const ids = Array.from({ length: 7 }, (_, i) => `c-${i}`);
    const actor = { type: 'system' as const, label: 'test' };
    const result = await giveBulkFeedback(database.db, { tenantId: tenant.id, signInIds: ids, action: 'reactivate', actor, now: clock.now(), chunkSize: 2 });
    expect(result).toEqual({ changed: 3, skipped: 4, notFound: 0 });
    const again = await giveBulkFeedback(database.db, { tenantId: tenant.id, signInIds: ids, action: 'reactivate', actor, now: clock.now(), chunkSize: 500 });
    expect(again).toEqual({ changed: 0, skipped: 7, notFound: 0 });
  });

  it('walks all sign-ins matching a filter chunk by chunk, even as the changes take them out of the filter', async () => {
    for (let i = 0; i < 5; i += 1) {
      await seedRiskySignIn(database.db, tenant.id, { id: `f-${i}`, userId: 'f-user', appDisplayName: 'Filtered', events: [{}] }, new Date(Date.UTC(2026, 10, 26, 10, 0, i % 2)));
    }
    const actor = { type: 'system' as const, label: 'test' };
    const filterSql = sql`${signIns.appDisplayName} = 'Filtered' and ${signIns.riskStatus} = 'active'`;
    const result = await giveBulkFeedback(database.db, { tenantId: tenant.id, filterSql, action: 'resolve', actor, now: clock.now(), chunkSize: 2 });
    expect(result).toEqual({ changed: 5, skipped: 0, notFound: 0 });
  });

  it('answers 400 saying what is missing without a selection, or naming an unknown action', async () => {
    const none = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'resolve' });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Select at least one sign-in');
    const unknown = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'nuke', signInId: 'b-active-1' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('action must be one of');
  });

  it('sends the admin back to the list, never to another site', async () => {
    const res = await post(app, cookie, '/security/risky-sign-ins/bulk-feedback', { action: 'ignore', signInId: 'b-missing', returnTo: '//evil.example/x' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/security\/risky-sign-ins\?feedback=ignore&/);
  });
});
