import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { assetUrl } from './assets.js';
import { html } from './components/html.js';
import { CRUMB_SEPARATOR } from './components/chars.js';

export interface Crumb {
  label: string;
  href?: string;
}

/** The signed-in admin as the layout shows them; absent on the login and error pages. */
export interface LayoutAdmin {
  email: string;
  role: string;
  tenantName: string;
  edition: string;
  premium: boolean;
}

export interface LayoutProps {
  title: string;
  admin?: LayoutAdmin | null;
  crumbs?: Crumb[];
  current?: string;
  children?: Child;
}

const EDITION_LABELS: Record<string, string> = {
  free: 'Free',
  basic: 'Basic',
  premium_p1: 'Premium P1',
  premium_p2: 'Premium P2',
};

export function editionLabel(edition: string): string {
  return EDITION_LABELS[edition] ?? edition;
}

// htmx 4: no inline indicator CSS (our CSP allows no inline style) and 4xx/5xx swap, so error
// fragments are written to be safe to swap in.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorCSS: false });

export function Layout({ title, admin, crumbs = [], current, children }: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{title} · Riskdesk</title>
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        <script src={assetUrl('htmx.min.js')} defer></script>
        <script src={assetUrl('list.js')} defer></script>
      </head>
      <body hx-boost="true" class="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        <a href="#main" class="sr-only focus:not-sr-only">
          Skip to content
        </a>
        <Header admin={admin} current={current} />
        <div class="flex">
          {admin ? <Nav admin={admin} current={current} /> : null}
          <main id="main" class="min-w-0 flex-1 p-4 sm:p-6">
            {crumbs.length > 0 ? <Breadcrumbs crumbs={crumbs} /> : null}
            {children}
          </main>
        </div>
      </body>
    </html>
    </>
  );
}

function Header({ admin, current }: { admin?: LayoutAdmin | null; current?: string }) {
  return (
    <header class="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-slate-200 bg-white px-4 py-2 dark:border-slate-800 dark:bg-slate-900">
      {admin ? <PhoneNav admin={admin} current={current} /> : null}
      <a href="/" class="font-semibold tracking-tight text-blue-700 dark:text-blue-300">
        Riskdesk
      </a>
      {admin ? (
        <>
          <span class="text-sm text-slate-700 dark:text-slate-300" data-testid="tenant">
            {admin.tenantName}
            <span class="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">{editionLabel(admin.edition)}</span>
          </span>
          <a href="/settings/account" class="ml-auto hidden text-sm text-slate-700 hover:underline sm:inline dark:text-slate-300">
            {admin.email}
          </a>
          <form method="post" action="/logout" class="ml-auto inline sm:ml-0">
            <button type="submit" class="text-sm text-slate-700 underline-offset-2 hover:underline dark:text-slate-300">
              Sign out
            </button>
          </form>
        </>
      ) : null}
    </header>
  );
}

interface NavItem {
  href: string;
  label: string;
  premium?: boolean;
}

const SECURITY_NAV: NavItem[] = [
  { href: '/security/risky-sign-ins', label: 'Risky sign-ins' },
  { href: '/security/users-at-risk', label: 'Users flagged for risk' },
  { href: '/security/risk-events', label: 'Risk events', premium: true },
  { href: '/security/policies/user-risk', label: 'Risk policies', premium: true },
  { href: '/security/sign-ins', label: 'Sign-ins' },
];

const ADMIN_NAV: NavItem[] = [
  { href: '/audit', label: 'Audit log' },
  { href: '/settings/account', label: 'Settings' },
  { href: '/settings/trusted-locations', label: 'Trusted locations' },
  { href: '/settings/leaked-credentials', label: 'Leaked credentials' },
  { href: '/settings/ip-lists', label: 'IP lists' },
  { href: '/settings/directory', label: 'Directory' },
];

/** Both menus list the same links: a template (components/html.ts), since every page renders it twice. */
function NavLists({ admin, current }: { admin: LayoutAdmin; current?: string }) {
  const item = (entry: NavItem) =>
    entry.premium && !admin.premium ? '' : html`<li><a href="${entry.href}"${current === entry.href ? html` aria-current="page"` : ''} class="nav-link">${entry.label}</a></li>`;
  return html`<h2 class="px-2 pb-1 text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">Security</h2><ul class="space-y-0.5">${SECURITY_NAV.map(item)}</ul><h2 class="px-2 pt-4 pb-1 text-xs font-semibold uppercase text-slate-600 dark:text-slate-400">Manage</h2><ul class="space-y-0.5">${ADMIN_NAV.map(item)}</ul>`;
}

function Nav({ admin, current }: { admin: LayoutAdmin; current?: string }) {
  return (
    <nav aria-label="Main" class="hidden w-48 shrink-0 border-r border-slate-200 p-3 sm:block dark:border-slate-800">
      <NavLists admin={admin} current={current} />
    </nav>
  );
}

/** Below 640 px the sidebar gives way to a menu that opens without JavaScript. */
function PhoneNav({ admin, current }: { admin: LayoutAdmin; current?: string }) {
  return (
    <details class="relative sm:hidden">
      <summary class="cursor-pointer list-none rounded border border-slate-400 px-2 py-0.5 text-sm dark:border-slate-500">
        Menu
      </summary>
      <nav aria-label="Main" class="absolute left-0 z-20 mt-2 w-64 rounded border border-slate-300 bg-white p-3 shadow-lg dark:border-slate-600 dark:bg-slate-900">
        <NavLists admin={admin} current={current} />
      </nav>
    </details>
  );
}

function Breadcrumbs({ crumbs }: { crumbs: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" class="mb-3 text-sm text-slate-600 dark:text-slate-400">
      <ol class="flex flex-wrap gap-1">
        {crumbs.map((crumb, index) => (
          <li class="flex gap-1">
            {index > 0 ? <span aria-hidden="true">{CRUMB_SEPARATOR}</span> : null}
            {crumb.href && index < crumbs.length - 1 ? (
              <a href={crumb.href} class="underline-offset-2 hover:underline">
                {crumb.label}
              </a>
            ) : (
              <span aria-current={index === crumbs.length - 1 ? 'page' : undefined}>{crumb.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
