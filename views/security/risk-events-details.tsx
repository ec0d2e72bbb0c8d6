import type { Child } from 'hono/jsx';
import type { RiskEvent, SignIn } from '../../src/db/schema.js';
import type { RiskEventDetails } from '../../src/queries/risk-events-details.js';
import { LevelBadge, STATUS_LABELS, location } from '../components/labels.js';
import { Time } from '../components/time.js';
import { EvidenceWords } from '../components/evidence.js';
import { signInPath } from '../components/sign-in-link.js';
import { TravelEvidenceMap } from '../components/travel-map.js';
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

function EventFields({ event, timeZone, linkable }: { event: RiskEvent; timeZone: string; linkable: Set<string> }) {
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
        {event.requestId && linkable.has(event.requestId) ? (
          <a href={signInPath(event.requestId)} class={`font-mono text-xs ${LINK}`}>
            {event.requestId}
          </a>
        ) : event.requestId ? (
          <span class="font-mono text-xs">{event.requestId}</span>
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
  returnTo: string;
}

export function RiskEventDetailsPage({ admin, event, signIn, linkable, history, canAct, timeZone, returnTo }: RiskEventDetailsPageProps) {
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
        <EventFields event={event} timeZone={timeZone} linkable={linkable} />
      </section>
      <section class={SECTION} aria-labelledby="evidence">
        <h2 id="evidence" class="mb-1 font-semibold">
          Evidence
        </h2>
        {event.riskEventType === 'unlikelyTravel' ? <TravelEvidenceMap event={event} /> : null}
        <div class="mt-2">
          <EvidenceWords event={event} timeZone={timeZone} linkable={linkable} />
        </div>
      </section>
      {event.requestId ? (
        <section class={SECTION} aria-labelledby="sign-in">
          <h2 id="sign-in" class="mb-1 font-semibold">
            The sign-in
          </h2>
          {signIn ? (
            <>
              <SignInFields signIn={signIn} timeZone={timeZone} />
              {linkable.has(signIn.id) ? (
              <p class="mt-1 text-sm">
                <a href={signInPath(signIn.id)} class={LINK}>
                  Sign-in details and the user's recent sign-ins
                </a>
              </p>
              ) : null}
            </>
          ) : (
            <p class="text-sm">This sign-in is past your edition's retention and no longer stored; the event keeps its time, IP and location.</p>
          )}
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
