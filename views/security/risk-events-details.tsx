import type { Child } from 'hono/jsx';
import type { EvidenceItem, RiskEvent, SignIn } from '../../src/db/schema.js';
import type { RiskEventDetails } from '../../src/queries/risk-events-details.js';
import { LevelBadge, STATUS_LABELS, location } from '../components/labels.js';
import { Time } from '../components/time.js';
import { TravelMap } from '../components/travel-map.js';
import { userHref } from '../components/user-link.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { TYPE_NAMES_2017 } from './risk-events-about.js';
import { History } from './risk-events-history.js';
import { EventStatusForm } from './risk-events-row.js';
import { RISK_EVENTS_CRUMBS, riskEventTypePath } from './risk-events.js';

const LINK = 'text-blue-700 hover:underline dark:text-blue-400';
const SECTION = 'mb-4 rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900';

function Field({ label, children }: { label: string; children?: Child }) {
  return (
    <div class="grid grid-cols-3 gap-2 py-1">
      <dt class="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd class="col-span-2 break-words">{children}</dd>
    </div>
  );
}

function evidenceValue(evidence: EvidenceItem[], key: string): string | null {
  return evidence.find((item) => item.key === key)?.value ?? null;
}

function finite(value: string | null): number | null {
  const n = value === null ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Both sign-ins of an impossible travel, when both have coordinates. */
function TravelEvidence({ event }: { event: RiskEvent }) {
  const previousLat = finite(evidenceValue(event.evidence, 'previousLatitude'));
  const previousLon = finite(evidenceValue(event.evidence, 'previousLongitude'));
  if (event.latitude === null || event.longitude === null || previousLat === null || previousLon === null) return null;
  return (
    <TravelMap
      from={{ latitude: previousLat, longitude: previousLon, label: evidenceValue(event.evidence, 'previousLocation') ?? 'Previous sign-in' }}
      to={{ latitude: event.latitude, longitude: event.longitude, label: location(event) || 'This sign-in' }}
      distanceKm={evidenceValue(event.evidence, 'distanceKm')}
      elapsedMinutes={evidenceValue(event.evidence, 'elapsedMinutes')}
      speedKmh={evidenceValue(event.evidence, 'speedKmh')}
    />
  );
}

/** The sign-in in the log: the user's sign-ins at that very instant. */
function signInLogHref(event: RiskEvent): string {
  const at = event.activityDateTime.toISOString();
  return `/security/sign-ins?${new URLSearchParams({ userId: event.userId, from: at, to: at })}`;
}

function EventFields({ event, timeZone }: { event: RiskEvent; timeZone: string }) {
  return (
    <dl class="text-sm" data-testid="event-fields">
      <Field label="Risk event type">
        {TYPE_NAMES_2017[event.riskEventType]} <span class="font-mono text-xs text-slate-600 dark:text-slate-400">{event.riskEventType}</span>
      </Field>
      <Field label="Risk level">
        <LevelBadge level={event.riskLevel} />
      </Field>
      <Field label="Status">{STATUS_LABELS[event.status]}</Field>
      <Field label="Risk detail">{event.riskDetail}</Field>
      <Field label="Detection timing">{event.detectionTimingType}</Field>
      <Field label="Activity">{event.activity === 'signin' ? 'Sign-in' : 'User'}</Field>
      <Field label="User">
        <a href={userHref(event.userId, true)} class={LINK}>
          {event.userDisplayName || event.userPrincipalName}
        </a>{' '}
        <span class="text-xs text-slate-600 dark:text-slate-400">{event.userPrincipalName}</span>
      </Field>
      <Field label="IP address">
        <span class="font-mono">{event.ipAddress ?? '—'}</span>
      </Field>
      <Field label="Location">
        {location(event) || '—'}
        {event.latitude !== null && event.longitude !== null ? <span class="text-xs text-slate-600 dark:text-slate-400"> ({event.latitude}, {event.longitude})</span> : null}
      </Field>
      <Field label="Activity time">
        <Time date={event.activityDateTime} timeZone={timeZone} />
      </Field>
      <Field label="Detected">
        <Time date={event.detectedDateTime} timeZone={timeZone} />
      </Field>
      <Field label="Last updated">
        <Time date={event.lastUpdatedDateTime} timeZone={timeZone} />
      </Field>
      <Field label="Request id (sign-in)">
        {event.requestId ? (
          <a href={signInLogHref(event)} class={`font-mono text-xs ${LINK}`}>
            {event.requestId}
          </a>
        ) : (
          '—'
        )}
      </Field>
      <Field label="Event id">
        <span class="font-mono text-xs">{event.id}</span>
      </Field>
    </dl>
  );
}

function SignInFields({ signIn, timeZone }: { signIn: SignIn; timeZone: string }) {
  return (
    <dl class="text-sm" data-testid="sign-in">
      <Field label="Time">
        <Time date={signIn.createdDateTime} timeZone={timeZone} />
      </Field>
      <Field label="Application">{signIn.appDisplayName ?? '—'}</Field>
      <Field label="Client app">{signIn.clientAppUsed ?? '—'}</Field>
      <Field label="Result">{signIn.errorCode === 0 ? 'Success' : `Failure (${signIn.errorCode}) ${signIn.failureReason ?? ''}`}</Field>
      <Field label="Browser">{signIn.browser ?? '—'}</Field>
      <Field label="Operating system">{signIn.operatingSystem ?? '—'}</Field>
      <Field label="IP address">
        <span class="font-mono">{signIn.ipAddress ?? '—'}</span>
      </Field>
      <Field label="Location">{location(signIn) || '—'}</Field>
    </dl>
  );
}

export interface RiskEventDetailsPageProps extends RiskEventDetails {
  admin: LayoutAdmin;
  canAct: boolean;
  timeZone: string;
  /** This page's own URL: actions come back here. */
  returnTo: string;
}

export function RiskEventDetailsPage({ admin, event, signIn, history, canAct, timeZone, returnTo }: RiskEventDetailsPageProps) {
  const name = TYPE_NAMES_2017[event.riskEventType];
  return (
    <Layout title={`${name}: details`} admin={admin} crumbs={[...RISK_EVENTS_CRUMBS, { label: name, href: riskEventTypePath(event.riskEventType) }, { label: 'Details' }]} current="/security/risk-events">
      <h1 class="text-xl font-semibold">Details</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">
        {name} for {event.userDisplayName || event.userPrincipalName}: {STATUS_LABELS[event.status]}
      </p>
      <div class="mb-4">
        <EventStatusForm event={event} returnTo={returnTo} canAct={canAct} swapRow={false} />
      </div>
      <section class={SECTION} aria-labelledby="fields">
        <h2 id="fields" class="mb-1 font-semibold">
          Risk event
        </h2>
        <EventFields event={event} timeZone={timeZone} />
      </section>
      <section class={SECTION} aria-labelledby="evidence">
        <h2 id="evidence" class="mb-1 font-semibold">
          Evidence
        </h2>
        {event.riskEventType === 'unlikelyTravel' ? <TravelEvidence event={event} /> : null}
        {event.evidence.length === 0 ? (
          <p class="text-sm">No evidence was recorded.</p>
        ) : (
          <dl class="mt-2 text-sm" data-testid="evidence">
            {event.evidence.map((item) => (
              <Field label={item.key}>{item.value}</Field>
            ))}
          </dl>
        )}
      </section>
      {event.requestId ? (
        <section class={SECTION} aria-labelledby="sign-in">
          <h2 id="sign-in" class="mb-1 font-semibold">
            The sign-in
          </h2>
          {signIn ? <SignInFields signIn={signIn} timeZone={timeZone} /> : <p class="text-sm">This sign-in is past your edition's retention and no longer stored; the event keeps its time, IP and location.</p>}
        </section>
      ) : null}
      <section aria-labelledby="history">
        <h2 id="history" class="mb-2 font-semibold">
          Status history
        </h2>
        <History entries={history} timeZone={timeZone} />
      </section>
    </Layout>
  );
}
