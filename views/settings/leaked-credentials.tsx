import { Layout, type LayoutAdmin } from '../layout.js';
import { STATUS_LABELS } from '../components/labels.js';
import { Time } from '../components/time.js';
import { UserCell } from '../components/user-link.js';
import type { LeakEntryRow, LeakEventRow, LeakSummary } from '../../src/queries/leaked-credentials.js';
import { buttonClass, dangerButtonClass, ErrorNotice, Notice, Section } from './parts.js';
import { UploadFields } from './upload.js';

export interface LeakedCredentialsPageProps {
  layout: LayoutAdmin | null;
  premium: boolean;
  /** Readers see the counts only, never the leaked addresses. */
  canChange: boolean;
  timeZone: string;
  maxUploadLabel: string;
  summary: LeakSummary;
  entries: LeakEntryRow[];
  nextCursor: string | null;
  events: LeakEventRow[];
  notice?: string;
  error?: string;
}

export function LeakedCredentialsPage(props: LeakedCredentialsPageProps) {
  const { summary, canChange } = props;
  return (
    <Layout title="Leaked credentials" admin={props.layout} current="/settings/leaked-credentials" crumbs={[{ label: 'Settings' }, { label: 'Leaked credentials' }]}>
      <h1 class="mb-1 text-xl font-semibold">Leaked credentials</h1>
      <p class="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
        A leak list names the accounts found in a breach, one user principal name or mail address a line. A user whose UPN or mail equals an entry
        (case-insensitive) gets a high-level <strong>leaked credentials</strong> event, once per entry: at upload for known users, and when a user
        first appears for the rest.
      </p>
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      <dl class="mb-6 grid max-w-3xl grid-cols-2 gap-3 sm:grid-cols-4" data-testid="leak-summary">
        <Count label="Entries" value={summary.entries} />
        <Count label="Users matched" value={summary.usersMatched} />
        <Count label="Events raised" value={summary.events} />
        <Count label="Still active" value={summary.activeEvents} />
      </dl>
      {canChange ? (
        <>
          <Section title="Upload a leak list">
            <form method="post" action="/settings/leaked-credentials" enctype="multipart/form-data" class="max-w-2xl space-y-3">
              <UploadFields
                fileLabel="Leak list file (.txt)"
                accept=".txt,.csv,.lst,text/plain"
                textLabel="Or paste the entries, one a line (# starts a comment)"
                placeholder={'# breach of 2026-11\nalice@contoso.com'}
                maxLabel={props.maxUploadLabel}
              />
              <label class="flex items-center gap-2 text-sm">
                <input type="checkbox" name="replace" value="true" /> Replace the whole list with this one (otherwise entries are added)
              </label>
              <button type="submit" class={buttonClass}>
                Upload
              </button>
            </form>
          </Section>
          <EntriesSection {...props} />
          <EventsSection {...props} />
        </>
      ) : (
        <p class="text-sm text-slate-600 dark:text-slate-400">Security readers see the counts only; the leaked addresses are shown to global and security administrators.</p>
      )}
    </Layout>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div class="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <dt class="text-xs uppercase text-slate-600 dark:text-slate-400">{label}</dt>
      <dd class="text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

function EntriesSection({ entries, nextCursor, premium, timeZone }: LeakedCredentialsPageProps) {
  return (
    <Section title="Entries" id="entries">
      {entries.length === 0 ? (
        <p class="text-sm text-slate-600 dark:text-slate-400">No entries.</p>
      ) : (
        <form method="post" action="/settings/leaked-credentials/remove">
          <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
              <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
                <tr>
                  <th class="py-1 pr-3">
                    <span class="sr-only">Select</span>
                  </th>
                  <th class="py-1 pr-3">Entry</th>
                  <th class="py-1 pr-3">Matched users</th>
                  <th class="py-1 pr-3">List</th>
                  <th class="py-1">Added</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr class="border-t border-slate-200 align-top dark:border-slate-800">
                    <td class="py-2 pr-3">
                      <input type="checkbox" name="entry" value={entry.value} aria-label={`Select ${entry.value}`} />
                    </td>
                    <td class="whitespace-nowrap py-2 pr-3 font-mono">{entry.value}</td>
                    <td class="py-2 pr-3">
                      {entry.matches.length === 0 ? (
                        <span class="text-slate-600 dark:text-slate-400">No user yet</span>
                      ) : (
                        <ul class="space-y-1">
                          {entry.matches.map((match) => (
                            <li>
                              <UserCell userId={match.userId} displayName={match.userDisplayName} userPrincipalName={match.userPrincipalName} premium={premium} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td class="py-2 pr-3">{entry.source}</td>
                    <td class="whitespace-nowrap py-2">
                      <Time date={entry.addedAt} timeZone={timeZone} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="mt-3 flex flex-wrap items-center gap-3">
            <button type="submit" class={dangerButtonClass}>
              Remove selected entries
            </button>
            <span class="text-sm text-slate-600 dark:text-slate-400">The events they raised stay, with their own status.</span>
            {nextCursor ? (
              <a class="ml-auto text-sm text-blue-700 hover:underline dark:text-blue-400" href={`/settings/leaked-credentials?cursor=${encodeURIComponent(nextCursor)}#entries`}>
                Next entries
              </a>
            ) : null}
          </div>
        </form>
      )}
    </Section>
  );
}

function EventsSection({ events, premium, timeZone }: LeakedCredentialsPageProps) {
  return (
    <Section title="Leaked credentials events raised (newest 50)">
      {events.length === 0 ? (
        <p class="text-sm text-slate-600 dark:text-slate-400">No events yet.</p>
      ) : (
        <div class="overflow-x-auto">
          <table class="w-full text-left text-sm">
            <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
              <tr>
                <th class="py-1 pr-3">User</th>
                <th class="py-1 pr-3">Entry matched</th>
                <th class="py-1 pr-3">Detected</th>
                <th class="py-1">Status</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr class="border-t border-slate-200 align-top dark:border-slate-800">
                  <td class="py-2 pr-3">
                    <UserCell userId={event.userId} displayName={event.userDisplayName} userPrincipalName={event.userPrincipalName} premium={premium} />
                  </td>
                  <td class="whitespace-nowrap py-2 pr-3 font-mono">{event.entry}</td>
                  <td class="whitespace-nowrap py-2 pr-3">
                    <Time date={event.detectedDateTime} timeZone={timeZone} />
                  </td>
                  <td class="py-2">
                    {premium ? (
                      <a class="text-blue-700 hover:underline dark:text-blue-400" href={`/security/risk-events/leakedCredentials/${encodeURIComponent(event.eventId)}`}>
                        {STATUS_LABELS[event.status]}
                      </a>
                    ) : (
                      STATUS_LABELS[event.status]
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
