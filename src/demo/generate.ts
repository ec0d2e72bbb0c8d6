import { ANONYMOUS_RANGE, MALWARE_RANGE } from './addresses.js';
import { findCity } from './cities.js';
import { toGraphSignIn, type Draft } from './draft.js';
import { makeGuid } from './ids.js';
import { splitSeed } from './random.js';
import { draftScenarios } from './scenarios.js';
import { TENANT_PROFILES } from './tenants.js';
import { createTimeline, type Timeline } from './timeline.js';
import { planTraffic, type TrafficPlan } from './traffic.js';
import { draftArrivals, planTrips } from './trips.js';
import type { DemoOptions, DemoTenantData, DemoTenantKind, GraphSignIn } from './types.js';
import { createUsers, pickLeakedEntries } from './users.js';

export type { DemoOptions, DemoTenantData, DemoTenantKind, GraphSignIn, GraphUser } from './types.js';

const MAX_SIGN_INS = 50_000_000;

/** Pure: the same seed and `now` give the same data; moving `now` by whole weeks moves every sign-in by exactly that much. */
export function generateDemoTenant(kind: DemoTenantKind, options: DemoOptions): DemoTenantData {
  const profile = TENANT_PROFILES[kind];
  const seed = splitSeed(options.seed);
  const timeline = createTimeline(options.now);
  const users = createUsers(profile, seed);
  const trips = users.map((user) => planTrips(user, timeline, seed));
  const scripted = [
    ...draftScenarios(profile, users, timeline, seed),
    ...users.flatMap((user) => draftArrivals(user, trips[user.index], seed)),
  ].sort(byTime);
  const total = options.signIns ?? profile.defaultSignIns;
  if (!Number.isSafeInteger(total) || total < scripted.length || total > MAX_SIGN_INS) {
    throw new RangeError(`signIns must be an integer from ${scripted.length} to ${MAX_SIGN_INS}, got ${total}`);
  }
  const traffic = planTraffic({
    seed,
    tenant: profile.index,
    users,
    trips,
    timeline,
    vpnCity: profile.vpn ? findCity(profile.vpn.city) : null,
    total: total - scripted.length,
  });
  const signIn = (draft: Draft, sequence: number, at: number) => toGraphSignIn(draft, makeGuid(seed, 'signIn', profile.index, sequence), at);
  return {
    users: users.map((user) => user.graph),
    signIns: { [Symbol.iterator]: () => streamSignIns(timeline, traffic, scripted, signIn) },
    anonymousIps: [ANONYMOUS_RANGE],
    malwareIps: [MALWARE_RANGE],
    trusted: profile.vpn ? [{ name: profile.vpn.name, ranges: [profile.vpn.range] }] : [],
    leaked: pickLeakedEntries(users, profile.domain, seed, profile.index),
  };
}

/**
 * Emits day by day. A day's drafts may spill into the next day (trips move sign-ins by under a
 * day), so day k is emitted once day k+1 is drafted: everything still pending before the end of
 * day k is final. Memory holds about two days of traffic.
 */
function* streamSignIns(
  timeline: Timeline,
  traffic: TrafficPlan,
  scripted: Draft[],
  signIn: (draft: Draft, sequence: number, at: number) => GraphSignIn,
): Generator<GraphSignIn> {
  let pending = traffic.draftSlot(0);
  let nextScripted = 0;
  let sequence = 0;
  let last = -Infinity;
  let lastPlanned = -Infinity;
  for (let slot = 0; slot < timeline.days; slot++) {
    const isLast = slot + 1 === timeline.days;
    if (!isLast) pending = pending.concat(traffic.draftSlot(slot + 1));
    const cut = isLast ? Infinity : timeline.windowStart(slot + 1);
    const due = pending.filter((draft) => draft.at < cut);
    pending = pending.filter((draft) => draft.at >= cut);
    while (nextScripted < scripted.length && scripted[nextScripted].at < cut) due.push(scripted[nextScripted++]);
    due.sort(byTime);
    if (due.length > 0 && due[0].at < lastPlanned) throw new Error('demo sign-ins drafted out of order');
    for (const draft of due) {
      lastPlanned = draft.at;
      // Strictly increasing times, even where two drafts fall on the same millisecond.
      last = Math.max(draft.at, last + 1);
      yield signIn(draft, sequence++, last);
    }
  }
}

function byTime(a: Draft, b: Draft): number {
  return a.at - b.at;
}
