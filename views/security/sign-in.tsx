import type { RiskEvent } from '../../src/db/schema.js';
import type { SignInDetail, SignInLogRow } from '../../src/queries/sign-ins.js';
import { EvidenceWords } from '../components/evidence.js';
import { LevelBadge, STATUS_LABELS, TYPE_LABELS, location } from '../components/labels.js';
import { SignInDetailLink, signInPath } from '../components/sign-in-link.js';
import { Time } from '../components/time.js';
import { TravelEvidenceMap } from '../components/travel-map.js';
import { userHref } from '../components/user-link.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { riskEventTypePath } from './risk-events.js';
import { ENTRA_SAID_FIELDS, SignInFieldList } from './sign-in-fields.js';

// /security/sign-ins/:signInId: a page without JavaScript, the side panel of the two lists with htmx.
// Both render the same body.

const LINK = 'text-blue-700 underline hover:no-underline dark:text-blue-400';
const SECTION = 'mb-4 rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900';

export interface SignInDetailProps extends SignInDetail {
  premium: boolean;
  timeZone: string;
  back: string;
  /** Rendered into the list's side panel: links to other sign-ins stay in the panel. */
  inPanel: boolean;
}

function OtherSignIn({ row, current, back, inPanel, timeZone }: { row: SignInLogRow; current: string; back: string; inPanel: boolean; timeZone: string }) {
  const when = <Time date={row.createdDateTime} timeZone={timeZone} />;
  const label = `Sign-in at ${row.createdDateTime.toISOString()}`;
  return (
    <li class="flex flex-wrap items-baseline gap-x-2 py-1" data-testid="recent-sign-in">
      {row.id === current ? (
        <span class="font-medium" aria-current="true">
          {when} (this one)
        </span>
      ) : inPanel ? (
        <SignInDetailLink signInId={row.id} back={back} label={label}>
          {when}
        </SignInDetailLink>
      ) : (
        <a href={signInPath(row.id, back)} class={LINK}>
          {when}
        </a>
      )}
      <span class="text-slate-700 dark:text-slate-300">{location(row) || 'Unknown location'}</span>
      <span class="font-mono text-xs">{row.ipAddress ?? ''}</span>
      <span class="text-xs text-slate-600 dark:text-slate-300">{[row.appDisplayName, row.errorCode === 0 ? 'Success' : `Failure (${row.errorCode})`].filter(Boolean).join(' · ')}</span>
      {row.riskLevel ? <LevelBadge level={row.riskLevel} /> : null}
    </li>
  );
}

function EventEvidence({ event, premium, timeZone, linkable }: { event: RiskEvent; premium: boolean; timeZone: string; linkable: Set<string> }) {
  return (
    <li class="border-t border-slate-200 py-3 first:border-t-0 first:pt-0 dark:border-slate-800" data-testid="sign-in-event">
      <div class="mb-1 flex flex-wrap items-center gap-2">
        <h3 class="font-semibold">{TYPE_LABELS[event.riskEventType] ?? event.riskEventType}</h3>
        <LevelBadge level={event.riskLevel} />
        <span class="text-sm text-slate-700 dark:text-slate-300">{STATUS_LABELS[event.status]}</span>
        <span class="text-xs text-slate-600 dark:text-slate-300">{event.detectionTimingType === 'realtime' ? 'Real-time' : 'Offline'} detection</span>
        {premium ? (
          <a href={`${riskEventTypePath(event.riskEventType)}/${encodeURIComponent(event.id)}`} class={`ml-auto text-sm ${LINK}`}>
            Event details
          </a>
        ) : null}
      </div>
      {event.riskEventType === 'unlikelyTravel' ? (
        <div class="my-2">
          <TravelEvidenceMap event={event} />
        </div>
      ) : null}
      <EvidenceWords event={event} timeZone={timeZone} linkable={linkable} />
    </li>
  );
}

export function SignInDetailBody({ signIn, events, previous, recent, referenced, premium, timeZone, back, inPanel }: SignInDetailProps) {
  const name = signIn.userDisplayName || signIn.userPrincipalName;
  return (
    <>
      <section class={SECTION} aria-labelledby="sign-in-risk">
        <h2 id="sign-in-risk" class="mb-2 font-semibold">
          {events.length === 0 ? 'No risk detected' : events.length === 1 ? 'Why it is risky' : `Why it is risky: ${events.length} risk events`}
        </h2>
        {events.length === 0 ? (
          <p class="text-sm text-slate-700 dark:text-slate-300">{signIn.errorCode === 0 ? 'No rule fired for this sign-in.' : 'Failed sign-ins raise no risk event; credential failures count towards the suspicious-IP rule.'}</p>
        ) : (
          <ul>
            {events.map((event) => (
              <EventEvidence event={event} premium={premium} timeZone={timeZone} linkable={referenced} />
            ))}
          </ul>
        )}
      </section>
      <section class={SECTION} aria-labelledby="sign-in-fields">
        <h2 id="sign-in-fields" class="mb-1 font-semibold">
          The sign-in
        </h2>
        <SignInFieldList signIn={signIn} timeZone={timeZone} />
        <h3 class="mt-3 mb-1 text-sm font-semibold">Entra said</h3>
        <p class="mb-1 text-xs text-slate-600 dark:text-slate-300">As the identity provider recorded it; not Riskdesk's judgement.</p>
        <SignInFieldList signIn={signIn} timeZone={timeZone} fields={ENTRA_SAID_FIELDS} testId="entra-said-fields" />
      </section>
      <section class={SECTION} aria-labelledby="sign-in-recent">
        <h2 id="sign-in-recent" class="mb-1 font-semibold">
          Recent sign-ins of {name}
        </h2>
        <p class="text-sm">
          Previous sign-in:{' '}
          {previous ? (
            inPanel ? (
              <SignInDetailLink signInId={previous.id} back={back} label="Previous sign-in of this user">
                <Time date={previous.createdDateTime} timeZone={timeZone} /> from {location(previous) || 'an unknown place'}
              </SignInDetailLink>
            ) : (
              <a href={signInPath(previous.id, back)} class={LINK} data-testid="previous-of-user">
                <Time date={previous.createdDateTime} timeZone={timeZone} /> from {location(previous) || 'an unknown place'}
              </a>
            )
          ) : (
            'none within retention'
          )}
        </p>
        <ol class="mt-1 divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {recent.map((row) => (
            <OtherSignIn row={row} current={signIn.id} back={back} inPanel={inPanel} timeZone={timeZone} />
          ))}
        </ol>
        <p class="mt-1 text-sm">
          <a href={`/security/sign-ins?userId=${encodeURIComponent(signIn.userId)}`} class={LINK}>
            All sign-ins of {name}
          </a>
          {premium ? (
            <>
              {' · '}
              <a href={userHref(signIn.userId, true)} class={LINK}>
                User risk
              </a>
            </>
          ) : null}
        </p>
      </section>
    </>
  );
}

function Heading({ props, level }: { props: SignInDetailProps; level: 'h1' | 'h2' }) {
  const { signIn, timeZone } = props;
  const Tag = level;
  return (
    <div class="mb-3">
      <Tag class={level === 'h1' ? 'text-xl font-semibold' : 'text-lg font-semibold'} id="sign-in-title">
        Sign-in of {signIn.userDisplayName || signIn.userPrincipalName}
      </Tag>
      <p class="text-sm text-slate-700 dark:text-slate-300">
        <Time date={signIn.createdDateTime} timeZone={timeZone} /> · {location(signIn) || 'Unknown location'} · {signIn.appDisplayName ?? 'Unknown app'} ·{' '}
        {signIn.riskLevel ? <LevelBadge level={signIn.riskLevel} /> : 'No risk'}
      </p>
    </div>
  );
}

/** The fragment htmx puts in the list's side panel. Closing it empties the panel and goes back to the list's URL. */
export function SignInPanel(props: SignInDetailProps) {
  return (
    <div data-testid="sign-in-panel" aria-labelledby="sign-in-title">
      <div class="mb-2 flex items-center gap-3 text-sm">
        <a href={props.back} hx-get={props.back} hx-target="closest [data-testid=sign-in-panel]" hx-swap="delete" hx-push-url="true" class={LINK} data-testid="close-panel">
          Close
        </a>
        <a href={signInPath(props.signIn.id, props.back)} hx-boost="false" class={`ml-auto ${LINK}`}>
          Open as a page
        </a>
      </div>
      <Heading props={props} level="h2" />
      <SignInDetailBody {...props} />
    </div>
  );
}

function backLabel(back: string): { label: string; words: string; nav: string } {
  if (back.startsWith('/security/risky-sign-ins')) return { label: 'Risky sign-ins', words: 'the risky sign-ins', nav: '/security/risky-sign-ins' };
  if (back.startsWith('/security/users/')) return { label: 'User', words: 'the user', nav: '/security/users-at-risk' };
  return { label: 'Sign-ins', words: 'the sign-ins', nav: '/security/sign-ins' };
}

export function SignInPage(props: SignInDetailProps & { admin: LayoutAdmin }) {
  const from = backLabel(props.back);
  return (
    <Layout
      title={`Sign-in of ${props.signIn.userDisplayName || props.signIn.userPrincipalName}`}
      admin={props.admin}
      crumbs={[{ label: 'Security', href: '/security' }, { label: from.label, href: props.back }, { label: 'Sign-in' }]}
      current={from.nav}
    >
      <p class="mb-2 text-sm">
        <a href={props.back} class={LINK} data-testid="back-to-list">
          ← Back to {from.words}
        </a>
      </p>
      <Heading props={props} level="h1" />
      <SignInDetailBody {...props} />
    </Layout>
  );
}

