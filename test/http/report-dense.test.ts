import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/db/schema.js';
import { buildTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { eventsOfSignIn } from '../helpers/feedback-fixtures.js';
import { seedAdmin, seedTenant } from '../helpers/fixtures.js';
import { get, post, signIn } from '../helpers/session.js';
import { NOW, ago, insertRisky } from './report-fixtures.js';

// Issue 10, point 2-4: dense rows, columns=, app=, multi-value filters, pushed URLs, feedback
// that keeps the count true, and bulk refusals shown in place.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: ReturnType<typeof buildTestApp>;
let tenant: Tenant;
let admin: string;
const LIST = '/security/risky-sign-ins';
const PARTIAL = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildTestApp(database, { now: () => NOW });
  tenant = await seedTenant(database.db, 'free');
  admin = await signIn(app, (await seedAdmin(database.db, tenant, 'security_admin')).email);
  await insertRisky(database.db, tenant.id, [
    { id: 'd-teams', createdDateTime: ago(1), level: 'high', appDisplayName: 'Microsoft Teams', types: ['unlikelyTravel'] },
    { id: 'd-outlook', createdDateTime: ago(2), level: 'medium', appDisplayName: 'Outlook Web', status: 'dismissedAsIgnore' },
    { id: 'd-portal', createdDateTime: ago(3), level: 'low', appDisplayName: 'Azure Portal', status: 'dismissedAsFixed', types: ['anonymizedIPAddress'] },
    { id: 'd-other', createdDateTime: ago(4), level: 'low', appDisplayName: 'Office 365' },
  ]);
});
afterAll(() => database.destroy());

const html = async (path: string, headers: Record<string, string> = {}) => (await get(app, admin, path, headers)).text();
const rowIds = (text: string) => [...text.matchAll(/<tr id="sign-in-([^"]+)"/g)].map((m) => m[1]);
const rowOf = (text: string, id: string) => text.slice(text.indexOf(`<tr id="sign-in-${id}"`), text.indexOf('</tr>', text.indexOf(`<tr id="sign-in-${id}"`)));

describe('dense risky sign-in rows', () => {
  it('shows the default columns (Application one tick away), badges, a link to the sign-in and one compact feedback control', async () => {
    const page = await html(LIST);
    const headers = [...page.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/ &#859[35];$/, ''));
    expect(headers).toEqual(['Select', 'User', 'Sign-in time', 'IP', 'Location', 'Risk level', 'Status', 'Risk event types', 'Feedback']);
    const row = rowOf(page, 'd-teams');
    expect(row).toContain('href="/security/sign-ins/d-teams?back=');
    expect(row).not.toContain('Microsoft Teams');
    expect(rowOf(await html(`${LIST}?columns=user,app`), 'd-teams')).toContain('<td class="cut">Microsoft Teams</td>');
    expect(row).toContain('<span class="badge b-high">High</span>');
    expect(row).toContain('<span class="badge b-active">Active</span>');
    expect(row.match(/<form /g)).toHaveLength(1);
    expect(row.match(/<button /g)).toHaveLength(1);
    expect(row).toMatch(/<select name="action"[^>]*><option value="resolve">Resolve<\/option><option value="falsePositive">False positive<\/option><option value="ignore">Ignore<\/option><\/select>/);
    expect(rowOf(page, 'd-portal')).toContain('<span class="badge b-resolved">Resolved</span>');
    expect(page).toContain('class="select-all"');
  });

  it('shows the columns a columns= bookmark names, in table order, and ticks them in the Columns form', async () => {
    const page = await html(`${LIST}?columns=result,user&columns=level`);
    const headers = [...page.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/ &#859[35];$/, ''));
    expect(headers).toEqual(['Select', 'User', 'Risk level', 'Result', 'Feedback']);
    expect(rowOf(page, 'd-teams')).toContain('Success');
    expect(rowOf(page, 'd-teams')).not.toContain('Microsoft Teams');
    const ticked = [...page.matchAll(/name="columns" value="(\w+)" checked/g)].map((m) => m[1]);
    expect(ticked).toEqual(['user', 'level', 'result']);
    expect(page).toContain('name="returnTo" value="/security/risky-sign-ins?columns=user,level,result"');
  });

  it('answers 400 naming columns for a column it does not have', async () => {
    const res = await get(app, admin, `${LIST}?columns=user,password`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid value for columns');
  });

  it('filters by application name prefix, case-insensitively and literally', async () => {
    expect(rowIds(await html(`${LIST}?app=microsoft`))).toEqual(['d-teams']);
    expect(rowIds(await html(`${LIST}?app=%25`))).toEqual([]);
    expect(rowIds(await html(`/security/sign-ins?app=azure`))).toEqual(['d-portal']);
  });

  it('ticks exactly the statuses and types a bookmark names, and lists what they match', async () => {
    const page = await html(`${LIST}?status=active&status=dismissedAsIgnore&type=unlikelyTravel&type=unfamiliarFeatures`);
    expect(rowIds(page)).toEqual(['d-teams', 'd-outlook', 'd-other']);
    expect([...page.matchAll(/name="status" value="(\w+)" checked/g)].map((m) => m[1])).toEqual(['active', 'dismissedAsIgnore']);
    expect([...page.matchAll(/name="type" value="(\w+)" checked/g)].map((m) => m[1])).toEqual(['unlikelyTravel', 'unfamiliarFeatures']);
  });

  it('sorts from the column headers: links that set sort, with aria-sort on the sorted column', async () => {
    const page = await html(`${LIST}?sort=-level&app=o`);
    expect(rowIds(page)).toEqual(['d-outlook', 'd-other']);
    expect(page).toMatch(/<th scope="col" aria-sort="descending"><a href="\/security\/risky-sign-ins\?app=o&amp;sort=level"/);
    expect(page).toMatch(/<th scope="col" aria-sort="none"><a href="\/security\/risky-sign-ins\?app=o&amp;sort=-time"/);
    expect(page).toContain('<input type="hidden" name="sort" value="-level" form="filters"/>');
    expect(page).not.toContain('<select name="sort"');
  });
});

describe('the URL a filter swap pushes', () => {
  it('carries only the non-empty parameters of the list, whatever the form sent', async () => {
    const res = await get(app, admin, `${LIST}?range=&from=&to=&level=high&user=&ip=&country=&result=&app=&columns=user&columns=time&columns=ip&columns=location&columns=level&columns=status&columns=types`, PARTIAL);
    expect(res.headers.get('HX-Push-Url')).toBe(`${LIST}?level=high`);
    expect(rowIds(await res.text())).toEqual(['d-teams']);
  });

  it('replaces instead of pushing when the URL is the one already shown, so one Enter makes one history entry', async () => {
    const res = await get(app, admin, `${LIST}?level=high&user=`, { ...PARTIAL, 'HX-Current-URL': `http://localhost${LIST}?level=high` });
    expect(res.headers.get('HX-Push-Url')).toBeNull();
    expect(res.headers.get('HX-Replace-Url')).toBe(`${LIST}?level=high`);
  });

  it('sends no history header to a plain page load', async () => {
    const res = await get(app, admin, `${LIST}?level=high&user=`);
    expect(res.headers.get('HX-Push-Url')).toBeNull();
  });
});

describe('after feedback on one row', () => {
  it('with htmx: the new row, the count under the list filters and a "Resolved — Undo" notice, as partials', async () => {
    const before = await html(`${LIST}?status=active`);
    expect(before).toContain('<strong class="font-semibold text-slate-900 dark:text-slate-100">2</strong> risky sign-ins');
    const version = /name="version" value="(\d+)"/.exec(rowOf(before, 'd-other'))![1];
    const res = await post(app, admin, `${LIST}/d-other/feedback`, { action: 'resolve', version, returnTo: `${LIST}?status=active` }, PARTIAL);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.trimStart()).toMatch(/^<tr id="sign-in-d-other"/);
    expect(body).toMatch(/<template hx="" type="partial" hx-target="#count" hx-swap="outerHTML"><p id="count"[^>]*><strong[^>]*>1<\/strong> risky sign-in<\/p><\/template>/);
    expect(body).toMatch(/<template hx="" type="partial" hx-target="#flash" hx-swap="outerHTML"><div id="flash"[^>]*><span>Resolved<\/span><form method="post" action="\/security\/risky-sign-ins\/d-other\/feedback"/);
    expect(body).toContain('<input type="hidden" name="action" value="reactivate"/>');
    expect((await eventsOfSignIn(database.db, tenant.id, 'd-other'))[0].status).toBe('dismissedAsFixed');

    const undoVersion = /name="action" value="reactivate"\/><input type="hidden" name="version" value="(\d+)"/.exec(body)![1];
    const undo = await post(app, admin, `${LIST}/d-other/feedback`, { action: 'reactivate', version: undoVersion, returnTo: `${LIST}?status=active` }, PARTIAL);
    expect(undo.status).toBe(200);
    expect(await undo.text()).toMatch(/<strong[^>]*>2<\/strong> risky sign-ins/);
    expect((await eventsOfSignIn(database.db, tenant.id, 'd-other'))[0].status).toBe('active');
  });

  it('without JavaScript: a 303 back to the list, whose page then says what was done', async () => {
    const version = /name="version" value="(\d+)"/.exec(rowOf(await html(LIST), 'd-other'))![1];
    const res = await post(app, admin, `${LIST}/d-other/feedback`, { action: 'falsePositive', version, returnTo: `${LIST}?level=low` });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/security\/risky-sign-ins\?level=low&feedback=falsePositive&changed=1/);
    const page = await html(location);
    expect(page).toContain('Marked as false positive: 1 sign-in.');
    expect(rowOf(page, 'd-other')).toContain('False positive');
  });
});

describe('a refused bulk submission', () => {
  it('shows the list again with the message next to the form and the filters kept', async () => {
    const res = await post(app, admin, `${LIST}/bulk-feedback`, { action: 'resolve', scope: 'selected', filter: 'level=medium', returnTo: `${LIST}?level=medium&app=out` });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<!DOCTYPE html>');
    expect(page).toMatch(/<p role="alert" data-testid="bulk-error"[^>]*>Select at least one sign-in, or apply the action to all matching the filter\.<\/p>/);
    expect(rowIds(page)).toEqual(['d-outlook']);
    expect(page).toMatch(/<select name="level"[^>]*>.*<option value="medium" selected="">/s);
    expect(page).toContain('name="app" value="out"');
  });

  it('tells a boosted form to show the list URL, not the POST URL', async () => {
    const res = await post(app, admin, `${LIST}/bulk-feedback`, { action: 'resolve', returnTo: `${LIST}?level=medium` }, { 'HX-Request': 'true', 'HX-Request-Type': 'full' });
    expect(res.status).toBe(400);
    expect(res.headers.get('HX-Push-Url')).toBe(`${LIST}?level=medium`);
  });
});
