import type { Child } from 'hono/jsx';

export const inputClass =
  'mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900';
export const buttonClass = 'rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800';
export const secondaryButtonClass =
  'rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';
export const dangerButtonClass =
  'rounded border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950';

export function Notice({ message }: { message?: string }) {
  return message ? (
    <p role="status" class="mb-4 rounded bg-green-50 px-3 py-2 text-sm text-green-900 dark:bg-green-950 dark:text-green-200">
      {message}
    </p>
  ) : null;
}

export function ErrorNotice({ message }: { message?: string }) {
  return message ? (
    <p role="alert" class="mb-4 rounded bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      {message}
    </p>
  ) : null;
}

export function Section({ title, id, children }: { title: string; id?: string; children?: Child }) {
  return (
    <section id={id} class="mb-6 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 class="mb-3 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export function SettingsTabs({ current, canAdminister, premium = false }: { current: string; canAdminister: boolean; premium?: boolean }) {
  const tabs = [
    { href: '/settings/account', label: 'Account' },
    ...(canAdminister ? [{ href: '/settings/admins', label: 'Admins' }, { href: '/settings/api-keys', label: 'API keys' }, { href: '/settings/webhooks', label: 'Webhooks' }] : []),
    ...(premium ? [{ href: '/settings/detection', label: 'Detection' }] : []),
  ];
  return (
    <nav aria-label="Settings" class="mb-4 flex flex-wrap gap-4 border-b border-slate-200 text-sm dark:border-slate-800">
      {tabs.map((tab) => (
        <a
          href={tab.href}
          aria-current={tab.href === current ? 'page' : undefined}
          class="-mb-px border-b-2 border-transparent px-1 pb-2 hover:text-blue-700 aria-[current=page]:border-blue-700 aria-[current=page]:font-medium"
        >
          {tab.label}
        </a>
      ))}
    </nav>
  );
}

export function OneTimeSecrets({ items }: { items: string[] }) {
  return (
    <ul class="my-3 grid max-w-md grid-cols-2 gap-2 rounded bg-slate-100 p-3 font-mono text-sm dark:bg-slate-800" data-testid="one-time-secrets">
      {items.map((item) => (
        <li>{item}</li>
      ))}
    </ul>
  );
}
