import { Layout, type LayoutAdmin } from '../layout.js';
import { Time } from '../components/time.js';
import { buttonClass, ErrorNotice, inputClass, Notice, OneTimeSecrets, Section, SettingsTabs } from './parts.js';

export const EVENT_LABELS: Record<string, string> = {
  'riskDetection.created': 'A risk detection is created',
  'riskDetection.statusChanged': "A risk detection's status changes",
  'riskyUser.riskChanged': "A user's risk changes",
};

export interface WebhookRow {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
}

export interface WebhooksPageProps {
  layout: LayoutAdmin | null;
  tenantName: string;
  webhooks: WebhookRow[];
  timeZone: string;
  /** Whether SECRETS_KEY is set: without it no endpoint can be added. */
  canStoreSecrets: boolean;
  notice?: string;
  error?: string;
  draft?: { name: string; url: string; events: string[] };
}

export function CreatedSecret({ title, secret }: { title: string; secret: string }) {
  return (
    <Section title={title}>
      <p class="text-sm">
        Copy the signing secret now and store it with the receiver: it is <strong>not shown again</strong>. Verify each request's{' '}
        <code>Riskdesk-Signature</code> with it (see the API documentation).
      </p>
      <OneTimeSecrets items={[secret]} />
    </Section>
  );
}

export function WebhooksPage(props: WebhooksPageProps) {
  const { layout, tenantName, webhooks, timeZone, draft } = props;
  return (
    <Layout title="Webhooks" admin={layout} current="/settings/account" crumbs={[{ label: 'Settings' }, { label: 'Webhooks' }]}>
      <h1 class="mb-3 text-xl font-semibold">Webhooks of {tenantName}</h1>
      <SettingsTabs current="/settings/webhooks" canAdminister={true} />
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      <Section title="Endpoints">
        {webhooks.length === 0 ? (
          <p class="text-sm text-slate-600 dark:text-slate-400">No webhooks yet. Add an endpoint below to push risk changes to a SIEM, SOAR or chat.</p>
        ) : (
          <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
              <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
                <tr>
                  <th class="py-1 pr-3">Name</th>
                  <th class="py-1 pr-3">URL</th>
                  <th class="py-1 pr-3">Events</th>
                  <th class="py-1 pr-3">State</th>
                  <th class="py-1 pr-3">Added</th>
                </tr>
              </thead>
              <tbody>
                {webhooks.map((webhook) => (
                  <tr class="border-t border-slate-200 align-top dark:border-slate-800" id={`webhook-${webhook.id}`}>
                    <td class="py-2 pr-3">
                      <a class="text-blue-700 hover:underline dark:text-blue-400" href={`/settings/webhooks/${webhook.id}`}>
                        {webhook.name}
                      </a>
                    </td>
                    <td class="break-all py-2 pr-3 font-mono text-xs">{webhook.url}</td>
                    <td class="py-2 pr-3 font-mono text-xs">{webhook.events.join(', ')}</td>
                    <td class="py-2 pr-3">{webhook.enabled ? 'Enabled' : `Disabled${webhook.disabledReason ? `: ${webhook.disabledReason}` : ''}`}</td>
                    <td class="whitespace-nowrap py-2 pr-3">
                      <Time date={webhook.createdAt} timeZone={timeZone} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section title="Add an endpoint">
        {props.canStoreSecrets ? null : (
          <p role="alert" class="mb-3 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            SECRETS_KEY is not set, so Riskdesk cannot store signing secrets: set it (<code>openssl rand -hex 32</code>) and restart to add webhooks.
          </p>
        )}
        <form method="post" action="/settings/webhooks" class="grid max-w-2xl gap-3">
          <label class="block text-sm font-medium">
            Name
            <input class={inputClass} type="text" name="name" maxlength={100} required value={draft?.name} placeholder="e.g. Sentinel" />
          </label>
          <label class="block text-sm font-medium">
            URL (HTTPS)
            <input class={inputClass} type="url" name="url" maxlength={2000} required value={draft?.url} placeholder="https://siem.example.com/riskdesk" />
          </label>
          <fieldset class="text-sm">
            <legend class="font-medium">Events</legend>
            {Object.entries(EVENT_LABELS).map(([event, label]) => (
              <label class="mt-1 flex items-center gap-2">
                <input type="checkbox" name="events" value={event} checked={draft ? draft.events.includes(event) : true} />
                <span>
                  {label} <code class="text-xs text-slate-600 dark:text-slate-400">{event}</code>
                </span>
              </label>
            ))}
          </fieldset>
          <div>
            <button type="submit" class={buttonClass}>
              Add webhook
            </button>
          </div>
        </form>
        <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">Its signing secret is shown once, right after adding it.</p>
      </Section>
    </Layout>
  );
}
