import type { DeliveryLogEntry } from '../../src/queries/webhooks.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { Time } from '../components/time.js';
import { buttonClass, dangerButtonClass, ErrorNotice, Notice, secondaryButtonClass, Section, SettingsTabs } from './parts.js';
import { CreatedSecret, EVENT_LABELS, type WebhookRow } from './webhooks.js';

export type DeliveryLogRow = DeliveryLogEntry;

export interface WebhookPageProps {
  layout: LayoutAdmin | null;
  webhook: WebhookRow & { version: number; previousSecretUntil: Date | null };
  log: DeliveryLogRow[];
  timeZone: string;
  now: Date;
  notice?: string;
  error?: string;
  rotatedSecret?: string;
}

function outcomeOf(row: DeliveryLogRow): string {
  if (row.at === null) return 'Queued';
  if (row.statusCode !== null && row.statusCode >= 200 && row.statusCode < 300) return 'Delivered';
  if (row.deliveryStatus === 'failed') return 'Failed';
  if (row.deliveryStatus === 'succeeded') return 'Failed, delivered later';
  return 'Failed, will retry';
}

/** The last attempts; it asks for itself again every few seconds while something is still queued. */
export function DeliveryLog({ webhookId, log, timeZone }: { webhookId: string; log: DeliveryLogRow[]; timeZone: string }) {
  const waiting = log.some((row) => row.at === null);
  return (
    <section
      id="delivery-log"
      class="mb-6 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      hx-get={waiting ? `/settings/webhooks/${webhookId}/log` : undefined}
      hx-trigger={waiting ? 'every 2s' : undefined}
      hx-swap={waiting ? 'outerHTML' : undefined}
    >
      <h2 class="mb-3 text-lg font-semibold">Delivery log</h2>
      {log.length === 0 ? (
        <p class="text-sm text-slate-600 dark:text-slate-400">Nothing sent yet. Press Send test to try the endpoint.</p>
      ) : (
        <div class="overflow-x-auto">
          <table class="w-full text-left text-sm">
            <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
              <tr>
                <th class="py-1 pr-3">Time</th>
                <th class="py-1 pr-3">Event</th>
                <th class="py-1 pr-3">Delivery</th>
                <th class="py-1 pr-3">Status</th>
                <th class="py-1 pr-3">Duration</th>
                <th class="py-1 pr-3">Response (first 1 KB)</th>
                <th class="py-1">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.map((row) => (
                <tr class="border-t border-slate-200 align-top dark:border-slate-800" data-delivery={row.deliveryId}>
                  <td class="whitespace-nowrap py-2 pr-3">{row.at ? <Time date={row.at} timeZone={timeZone} /> : 'Queued'}</td>
                  <td class="py-2 pr-3 font-mono text-xs">{row.event}</td>
                  <td class="py-2 pr-3 font-mono text-xs">{row.deliveryId}</td>
                  <td class="whitespace-nowrap py-2 pr-3">
                    {row.statusCode ?? '—'} <span class="text-slate-600 dark:text-slate-400">{outcomeOf(row)}</span>
                  </td>
                  <td class="whitespace-nowrap py-2 pr-3">{row.durationMs === null ? '—' : `${row.durationMs} ms`}</td>
                  <td class="max-w-md py-2 pr-3">
                    <pre class="max-h-24 overflow-auto whitespace-pre-wrap break-all text-xs">{row.error ?? row.responseBody ?? ''}</pre>
                  </td>
                  <td class="py-2">
                    {row.at === null ? null : (
                      <form method="post" action={`/settings/webhooks/${webhookId}/deliveries/${row.deliveryId}/redeliver`}>
                        <button type="submit" class={secondaryButtonClass}>
                          Redeliver
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function WebhookPage(props: WebhookPageProps) {
  const { layout, webhook, timeZone } = props;
  const base = `/settings/webhooks/${webhook.id}`;
  const rotating = webhook.previousSecretUntil !== null && webhook.previousSecretUntil > props.now;
  return (
    <Layout title={`Webhook ${webhook.name}`} admin={layout} current="/settings/account" crumbs={[{ label: 'Settings' }, { label: 'Webhooks', href: '/settings/webhooks' }, { label: webhook.name }]}>
      <h1 class="mb-3 text-xl font-semibold">Webhook {webhook.name}</h1>
      <SettingsTabs current="/settings/webhooks" canAdminister={true} />
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      {props.rotatedSecret ? <CreatedSecret title="New signing secret" secret={props.rotatedSecret} /> : null}
      <Section title="Endpoint">
        <dl class="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt class="text-slate-600 dark:text-slate-400">URL</dt>
          <dd class="break-all font-mono text-xs">{webhook.url}</dd>
          <dt class="text-slate-600 dark:text-slate-400">Events</dt>
          <dd>{webhook.events.map((event) => EVENT_LABELS[event] ?? event).join('; ')}</dd>
          <dt class="text-slate-600 dark:text-slate-400">State</dt>
          <dd>{webhook.enabled ? 'Enabled' : `Disabled${webhook.disabledReason ? `: ${webhook.disabledReason}` : ''}`}</dd>
          <dt class="text-slate-600 dark:text-slate-400">Added</dt>
          <dd>
            <Time date={webhook.createdAt} timeZone={timeZone} />
          </dd>
          {rotating ? (
            <>
              <dt class="text-slate-600 dark:text-slate-400">Old secret</dt>
              <dd>
                still signs until <Time date={webhook.previousSecretUntil!} timeZone={timeZone} />
              </dd>
            </>
          ) : null}
        </dl>
        <div class="mt-4 flex flex-wrap gap-2">
          <form method="post" action={`${base}/test`}>
            <button type="submit" class={buttonClass} disabled={!webhook.enabled}>
              Send test
            </button>
          </form>
          <form method="post" action={`${base}/${webhook.enabled ? 'disable' : 'enable'}`}>
            <input type="hidden" name="version" value={String(webhook.version)} />
            <button type="submit" class={secondaryButtonClass}>
              {webhook.enabled ? 'Disable' : 'Enable'}
            </button>
          </form>
          <form method="post" action={`${base}/rotate`}>
            <input type="hidden" name="version" value={String(webhook.version)} />
            <button type="submit" class={secondaryButtonClass}>
              Rotate secret
            </button>
          </form>
          <form method="post" action={`${base}/remove`} hx-confirm="Remove this webhook and its delivery log?">
            <input type="hidden" name="version" value={String(webhook.version)} />
            <button type="submit" class={dangerButtonClass}>
              Remove
            </button>
          </form>
        </div>
      </Section>
      <DeliveryLog webhookId={webhook.id} log={props.log} timeZone={timeZone} />
    </Layout>
  );
}
