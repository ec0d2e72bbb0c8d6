import type { Child } from 'hono/jsx';
import { Layout, type LayoutAdmin } from '../layout.js';

export interface FeedbackConflictProps {
  admin: LayoutAdmin | null;
  message: string;
  returnTo: string;
  /** The sign-in's current state, e.g. its list row. */
  children?: Child;
}

/** 409 without JavaScript: why the action was refused, the fresh state, and the way back. */
export function FeedbackConflictPage({ admin, message, returnTo, children }: FeedbackConflictProps) {
  return (
    <Layout title="Not changed" admin={admin} current="/security/risky-sign-ins" crumbs={[{ label: 'Risky sign-ins', href: returnTo }, { label: 'Not changed' }]}>
      <section role="alert" class="rounded border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
        <h1 class="text-lg font-semibold">Nothing was changed</h1>
        <p class="mt-1">{message}</p>
      </section>
      {children ? <div class="mt-4 overflow-x-auto">{children}</div> : null}
      <p class="mt-4">
        <a href={returnTo} class="text-blue-700 hover:underline dark:text-blue-400">
          Back to the list
        </a>
      </p>
    </Layout>
  );
}

/** A one-row table around the sign-in's current list row. */
export function FreshRowTable({ children }: { children?: Child }) {
  return (
    <table class="w-full rounded border border-slate-200 bg-white text-left text-sm dark:border-slate-800 dark:bg-slate-900">
      <caption class="sr-only">The sign-in as it is now</caption>
      <tbody>{children}</tbody>
    </table>
  );
}
