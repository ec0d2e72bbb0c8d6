import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_ACTIONS, allowedActions, nextStatus, type FeedbackAction } from '../../src/actions/event-status.js';
import { EVENT_STATUSES, type EventStatus, type Tenant } from '../../src/db/schema.js';
import { buildTestApp, testClock } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { auditCount, auditOf, eventsOfSignIn, getSignIn, getUser, seedRiskySignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { post, signIn } from '../helpers/session.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let cookie: string;
const clock = testClock();

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: clock.now });
  tenant = await seedTenant(database.db, 'free');
  cookie = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
});
afterAll(() => database.destroy());

// The status machine, written out by hand so the test does not reuse the code it checks.
const EXPECTED: Record<EventStatus, Partial<Record<FeedbackAction, [EventStatus, string]>>> = {
  active: {
    resolve: ['dismissedAsFixed', 'none'],
    falsePositive: ['dismissedAsFalsePositive', 'adminConfirmedSigninSafe'],
    ignore: ['dismissedAsIgnore', 'none'],
  },
  dismissedAsFixed: { reactivate: ['active', 'none'] },
  dismissedAsFalsePositive: { reactivate: ['active', 'none'] },
  dismissedAsIgnore: { reactivate: ['active', 'none'] },
  remediated: {},
};

const USER_STATE: Record<EventStatus, string> = {
  active: 'atRisk',
  dismissedAsFixed: 'dismissed',
  dismissedAsFalsePositive: 'confirmedSafe',
  dismissedAsIgnore: 'dismissed',
  remediated: 'remediated',
};

const cases = EVENT_STATUSES.flatMap((from) => FEEDBACK_ACTIONS.map((action) => ({ from, action, to: EXPECTED[from][action] ?? null })));

describe('the event status state machine', () => {
  it.each(cases)('$action from $from leads to $to', ({ from, action, to }) => {
    expect(nextStatus(from, action)).toEqual(to ? { status: to[0], riskDetail: to[1] } : null);
  });

  it('offers the buttons each status allows', () => {
    expect(allowedActions('active')).toEqual(['resolve', 'falsePositive', 'ignore']);
    expect(allowedActions('dismissedAsIgnore')).toEqual(['reactivate']);
    expect(allowedActions('remediated')).toEqual([]);
  });
});

let n = 0;
async function seedOne(status: EventStatus) {
  n += 1;
  const id = `tr-${n}`;
  const userId = `tr-user-${n}`;
  const row = await seedRiskySignIn(database.db, tenant.id, { id, userId, events: [{ status, level: 'high' }] });
  return { id, userId, row };
}

describe('feedback on a risky sign-in, for every status and action', () => {
  it.each(cases.filter((c) => c.to))('$action from $from: the event, the rollups and the audit log change together', async ({ from, action, to }) => {
    const { id, userId, row } = await seedOne(from);
    const [before] = await eventsOfSignIn(database.db, tenant.id, id);
    const userBefore = await getUser(database.db, tenant.id, userId);
    clock.advance(60_000);

    const res = await post(app, cookie, `/security/risky-sign-ins/${id}/feedback`, { action, version: String(row.version), returnTo: '/security/risky-sign-ins?level=high' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/security/risky-sign-ins?level=high&feedback=${action}&changed=1&skipped=0&notFound=0`);

    const [event] = await eventsOfSignIn(database.db, tenant.id, id);
    expect(event).toMatchObject({ status: to![0], riskDetail: to![1], version: before.version + 1 });
    expect(event.lastUpdatedDateTime.toISOString()).toBe(clock.now().toISOString());
    expect(event.closedAt?.toISOString() ?? null).toBe(to![0] === 'active' ? null : clock.now().toISOString());

    const signInAfter = await getSignIn(database.db, tenant.id, id);
    expect(signInAfter).toMatchObject({ riskStatus: to![0], riskLevel: 'high', version: row.version + 1 });
    const user = await getUser(database.db, tenant.id, userId);
    expect(user).toMatchObject({
      riskState: USER_STATE[to![0]],
      riskLevel: to![0] === 'active' ? 'high' : 'none',
      activeEventCount: to![0] === 'active' ? 1 : 0,
      version: userBefore.version + 1,
    });

    const audit = await auditOf(database.db, tenant.id, event.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: `riskEvent.${action}`,
      targetType: 'riskEvent',
      actorType: 'admin',
      before: { status: from, riskDetail: before.riskDetail },
      after: { status: to![0], riskDetail: to![1] },
    });
    const userAudit = await auditOf(database.db, tenant.id, userId);
    expect(userAudit).toHaveLength(1);
    expect(userAudit[0]).toMatchObject({ action: 'user.riskChanged', before: { riskState: USER_STATE[from] }, after: { riskState: USER_STATE[to![0]] } });
  });

  it.each(cases.filter((c) => !c.to))('$action from $from answers 409 and writes nothing', async ({ from, action }) => {
    const { id, userId, row } = await seedOne(from);
    const [before] = await eventsOfSignIn(database.db, tenant.id, id);
    const userBefore = await getUser(database.db, tenant.id, userId);
    const audits = await auditCount(database.db, tenant.id);

    const res = await post(app, cookie, `/security/risky-sign-ins/${id}/feedback`, { action, version: String(row.version) });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('Nothing was changed');

    expect((await eventsOfSignIn(database.db, tenant.id, id))[0]).toEqual(before);
    expect(await getSignIn(database.db, tenant.id, id)).toEqual(row);
    expect(await getUser(database.db, tenant.id, userId)).toEqual(userBefore);
    expect(await auditCount(database.db, tenant.id)).toBe(audits);
  });
});
