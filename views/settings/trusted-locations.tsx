import { Layout, type LayoutAdmin } from '../layout.js';
import { Time } from '../components/time.js';
import { buttonClass, dangerButtonClass, ErrorNotice, inputClass, Notice, Section } from './parts.js';

export interface TrustedLocationView {
  id: string;
  name: string;
  version: number;
  createdAt: Date;
  ranges: string[];
  signIns: number;
}

export interface BadLineView {
  line: number;
  text: string;
}

interface Common {
  layout: LayoutAdmin | null;
  canChange: boolean;
  timeZone: string;
  coverageDays: number;
  notice?: string;
  error?: string;
  badLines?: BadLineView[];
}

export interface TrustedLocationsPageProps extends Common {
  locations: TrustedLocationView[];
  draft?: { name: string; ranges: string };
}

const crumbs = [{ label: 'Settings' }, { label: 'Trusted locations', href: '/settings/trusted-locations' }];

export function TrustedLocationsPage(props: TrustedLocationsPageProps) {
  const { locations, canChange, timeZone, coverageDays } = props;
  return (
    <Layout title="Trusted locations" admin={props.layout} current="/settings/trusted-locations" crumbs={crumbs}>
      <h1 class="mb-1 text-xl font-semibold">Trusted locations</h1>
      <p class="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
        Named IP ranges of your own, such as the office VPN. Sign-ins from them raise no impossible travel, unfamiliar location or suspicious IP event
        and do not teach a user's profile. A change applies to sign-ins imported after it.
      </p>
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      <BadLines lines={props.badLines} />
      <Section title="Locations">
        {locations.length === 0 ? (
          <p class="text-sm text-slate-600 dark:text-slate-400">No trusted locations yet.</p>
        ) : (
          <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
              <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
                <tr>
                  <th class="py-1 pr-3">Name</th>
                  <th class="py-1 pr-3">Ranges</th>
                  <th class="py-1 pr-3 text-right">Sign-ins, last {coverageDays} days</th>
                  <th class="py-1">Added</th>
                </tr>
              </thead>
              <tbody>
                {locations.map((location) => (
                  <tr class="border-t border-slate-200 align-top dark:border-slate-800">
                    <td class="py-2 pr-3">
                      <a class="text-blue-700 hover:underline dark:text-blue-400" href={`/settings/trusted-locations/${location.id}`}>
                        {location.name}
                      </a>
                    </td>
                    <td class="py-2 pr-3 font-mono">
                      {location.ranges.slice(0, 3).join(', ')}
                      {location.ranges.length > 3 ? <span class="font-sans text-slate-600 dark:text-slate-400"> and {location.ranges.length - 3} more</span> : null}
                    </td>
                    <td class="py-2 pr-3 text-right tabular-nums" data-testid="coverage">
                      {location.signIns}
                    </td>
                    <td class="whitespace-nowrap py-2">
                      <Time date={location.createdAt} timeZone={timeZone} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {canChange ? (
        <Section title="Add a trusted location">
          <form method="post" action="/settings/trusted-locations" class="max-w-2xl space-y-3">
            <NameField value={props.draft?.name} />
            <RangesField value={props.draft?.ranges} />
            <p class="text-sm text-slate-600 dark:text-slate-400">Adding ranges under a name that exists adds them to that location.</p>
            <button type="submit" class={buttonClass}>
              Add trusted location
            </button>
          </form>
        </Section>
      ) : null}
    </Layout>
  );
}

export interface TrustedLocationPageProps extends Common {
  location: TrustedLocationView;
  draft?: { name: string; ranges: string };
}

export function TrustedLocationPage(props: TrustedLocationPageProps) {
  const { location, canChange, timeZone, coverageDays } = props;
  return (
    <Layout title={location.name} admin={props.layout} current="/settings/trusted-locations" crumbs={[...crumbs, { label: location.name }]}>
      <h1 class="mb-1 text-xl font-semibold">{location.name}</h1>
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">
        Trusted location added <Time date={location.createdAt} timeZone={timeZone} />; it covers{' '}
        <strong data-testid="coverage">{location.signIns}</strong> sign-ins of the last {coverageDays} days.
      </p>
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      <BadLines lines={props.badLines} />
      <Section title={`Ranges (${location.ranges.length})`}>
        <ul class="grid gap-1 font-mono text-sm sm:grid-cols-3">
          {location.ranges.map((range) => (
            <li>{range}</li>
          ))}
        </ul>
      </Section>
      {canChange ? (
        <>
          <Section title="Rename or change the ranges">
            <form method="post" action={`/settings/trusted-locations/${location.id}`} class="max-w-2xl space-y-3">
              <input type="hidden" name="version" value={String(location.version)} />
              <NameField value={props.draft?.name ?? location.name} />
              <RangesField value={props.draft?.ranges ?? location.ranges.join('\n')} />
              <button type="submit" class={buttonClass}>
                Save
              </button>
            </form>
          </Section>
          <Section title="Remove">
            <form method="post" action={`/settings/trusted-locations/${location.id}/remove`} class="flex flex-wrap items-center gap-3">
              <input type="hidden" name="version" value={String(location.version)} />
              <p class="text-sm">Sign-ins imported afterwards from these ranges are judged like any other. Events already raised stay.</p>
              <button type="submit" class={dangerButtonClass}>
                Remove {location.name}
              </button>
            </form>
          </Section>
        </>
      ) : null}
    </Layout>
  );
}

function NameField({ value }: { value?: string }) {
  return (
    <label class="block text-sm font-medium">
      Name
      <input class={inputClass} type="text" name="name" maxlength={200} required value={value ?? ''} placeholder="e.g. Office VPN" />
    </label>
  );
}

function RangesField({ value }: { value?: string }) {
  return (
    <label class="block text-sm font-medium">
      IP addresses or CIDR ranges, one a line (<code>#</code> starts a comment)
      <textarea class={`${inputClass} font-mono`} name="ranges" rows={6} required placeholder={'203.0.113.0/24\n198.51.100.7'}>
        {value ?? ''}
      </textarea>
    </label>
  );
}

function BadLines({ lines }: { lines?: BadLineView[] }) {
  if (!lines || lines.length === 0) return null;
  return (
    <div role="alert" class="mb-4 rounded bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200" data-testid="bad-lines">
      <p class="font-medium">Nothing was saved: fix these lines and try again.</p>
      <ul class="mt-1 list-disc pl-5">
        {lines.slice(0, 50).map((bad) => (
          <li>
            Line {bad.line}: <code>{bad.text}</code> is not an IP address or CIDR range
          </li>
        ))}
      </ul>
      {lines.length > 50 ? <p class="mt-1">and {lines.length - 50} more bad lines.</p> : null}
    </div>
  );
}
