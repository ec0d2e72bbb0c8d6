import { Layout, type LayoutAdmin } from '../layout.js';
import { Time } from '../components/time.js';
import { buttonClass, dangerButtonClass, ErrorNotice, inputClass, Notice, OneTimeSecrets, Section, SettingsTabs } from './parts.js';

export interface ApiKeyRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeysPageProps {
  layout: LayoutAdmin | null;
  tenantName: string;
  keys: ApiKeyRow[];
  timeZone: string;
  notice?: string;
  error?: string;
  created?: { name: string; key: string };
}

export function ApiKeysPage(props: ApiKeysPageProps) {
  const { layout, tenantName, keys, created, timeZone } = props;
  return (
    <Layout title="API keys" admin={layout} current="/settings/account" crumbs={[{ label: 'Settings' }, { label: 'API keys' }]}>
      <h1 class="mb-3 text-xl font-semibold">API keys of {tenantName}</h1>
      <SettingsTabs current="/settings/api-keys" canAdminister={true} premium={layout?.premium} />
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      {created ? (
        <Section title={`API key "${created.name}" was created`}>
          <p class="text-sm">
            Copy the key now and store it where the caller keeps secrets: it is <strong>not shown again</strong>. Send it as{' '}
            <code>Authorization: Bearer …</code>.
          </p>
          <OneTimeSecrets items={[created.key]} />
        </Section>
      ) : null}
      <Section title="Keys">
        {keys.length === 0 ? (
          <p class="text-sm text-slate-600 dark:text-slate-400">No API keys yet.</p>
        ) : (
          <table class="w-full text-left text-sm">
            <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
              <tr>
                <th class="py-1 pr-3">Name</th>
                <th class="py-1 pr-3">Key id</th>
                <th class="py-1 pr-3">Created</th>
                <th class="py-1 pr-3">Last used</th>
                <th class="py-1 pr-3">Revoked</th>
                <th class="py-1">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr class="border-t border-slate-200 align-top dark:border-slate-800" id={`api-key-${key.id}`}>
                  <td class="py-2 pr-3">{key.name}</td>
                  <td class="py-2 pr-3 font-mono">{key.id}</td>
                  <td class="whitespace-nowrap py-2 pr-3">
                    <Time date={key.createdAt} timeZone={timeZone} />
                  </td>
                  <td class="whitespace-nowrap py-2 pr-3">{key.lastUsedAt ? <Time date={key.lastUsedAt} timeZone={timeZone} /> : 'Never'}</td>
                  <td class="whitespace-nowrap py-2 pr-3">{key.revokedAt ? <Time date={key.revokedAt} timeZone={timeZone} /> : '—'}</td>
                  <td class="py-2">
                    {key.revokedAt ? null : (
                      <form method="post" action={`/settings/api-keys/${key.id}/revoke`}>
                        <button type="submit" class={dangerButtonClass}>
                          Revoke
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Create a key">
        <form method="post" action="/settings/api-keys" class="flex max-w-2xl flex-wrap items-end gap-2">
          <label class="block min-w-64 flex-1 text-sm font-medium">
            Name
            <input class={inputClass} type="text" name="name" maxlength={100} required placeholder="e.g. Identity provider" />
          </label>
          <button type="submit" class={buttonClass}>
            Create
          </button>
        </form>
        <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">The key is shown once. It reads and changes this tenant's data through the API at /api/v1.</p>
      </Section>
    </Layout>
  );
}
