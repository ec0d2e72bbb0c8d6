import { Layout, type LayoutAdmin } from '../layout.js';
import { Time } from '../components/time.js';
import type { GlobalIpListRow, IpLookup } from '../../src/queries/ip-lists.js';
import { buttonClass, ErrorNotice, inputClass, Section } from './parts.js';

export interface IpListsPageProps {
  layout: LayoutAdmin | null;
  timeZone: string;
  lists: GlobalIpListRow[];
  query: string;
  lookup: IpLookup | null;
  error?: string;
}

const KIND_LABELS = { anonymous: 'Anonymous', malware: 'Malware' } as const;
const EVENT_OF = { anonymous: 'anonymous IP address (medium)', malware: 'infected device (low)' } as const;

export function IpListsPage({ layout, timeZone, lists, query, lookup, error }: IpListsPageProps) {
  return (
    <Layout title="IP lists" admin={layout} current="/settings/ip-lists" crumbs={[{ label: 'Settings' }, { label: 'IP lists' }]}>
      <h1 class="mb-1 text-xl font-semibold">IP lists</h1>
      <p class="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
        The anonymous (Tor exits, anonymising VPNs) and malware (botnets, C2 sinkholes) lists are shared by every tenant and managed by the operator with{' '}
        <code>riskdesk import ip-list</code>. They are read-only here. Your own ranges are under <a class="text-blue-700 hover:underline dark:text-blue-400" href="/settings/trusted-locations">trusted locations</a>.
      </p>
      <ErrorNotice message={error} />
      <Section title="Look up an IP address">
        <form method="get" action="/settings/ip-lists" class="flex max-w-xl flex-wrap items-end gap-2">
          <label class="block min-w-64 flex-1 text-sm font-medium">
            IP address
            <input class={`${inputClass} font-mono`} type="text" name="ip" value={query} required maxlength={64} placeholder="203.0.113.7" />
          </label>
          <button type="submit" class={buttonClass}>
            Look up
          </button>
        </form>
        {lookup ? <LookupResult lookup={lookup} /> : null}
      </Section>
      <Section title="Global lists">
        {lists.length === 0 ? (
          <p class="text-sm text-slate-600 dark:text-slate-400">No list has been imported yet.</p>
        ) : (
          <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
              <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
                <tr>
                  <th class="py-1 pr-3">Kind</th>
                  <th class="py-1 pr-3">Name</th>
                  <th class="py-1 pr-3 text-right">Entries</th>
                  <th class="py-1">Last import</th>
                </tr>
              </thead>
              <tbody>
                {lists.map((list) => (
                  <tr class="border-t border-slate-200 dark:border-slate-800">
                    <td class="py-2 pr-3">{KIND_LABELS[list.kind]}</td>
                    <td class="py-2 pr-3">{list.name}</td>
                    <td class="py-2 pr-3 text-right tabular-nums">{list.entries}</td>
                    <td class="whitespace-nowrap py-2">
                      <Time date={list.updatedAt} timeZone={timeZone} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </Layout>
  );
}

function LookupResult({ lookup }: { lookup: IpLookup }) {
  const found = lookup.lists.length > 0 || lookup.trusted !== null;
  return (
    <div role="status" class="mt-4 text-sm" data-testid="lookup">
      {found ? (
        <ul class="list-disc space-y-1 pl-5">
          {lookup.lists.map((match) => (
            <li>
              <code>{lookup.ip}</code> is on the {match.kind} list <strong>{match.list}</strong>, entry <code>{match.entry}</code>: a sign-in from it raises an{' '}
              {EVENT_OF[match.kind]} event.
            </li>
          ))}
          {lookup.trusted ? (
            <li>
              <code>{lookup.ip}</code> is in your trusted location <strong>{lookup.trusted.name}</strong>, entry <code>{lookup.trusted.entry}</code>.
            </li>
          ) : null}
        </ul>
      ) : (
        <p>
          <code>{lookup.ip}</code> is on no list: not anonymous, not malware, and in none of your trusted locations.
        </p>
      )}
    </div>
  );
}
