import type { Child } from 'hono/jsx';
import { Layout, type LayoutAdmin } from '../layout.js';
import { ResultsTable, type Column } from './results.js';

export interface ConflictPageProps {
  admin: LayoutAdmin | null;
  message: string;
  returnTo: string;
  list: { path: string; label: string };
  table: { caption: string; columns: Column[] };
  children?: Child;
}

/** 409 without JavaScript: why nothing was changed, the fresh state, and the way back. */
export function ConflictPage({ admin, message, returnTo, list, table, children }: ConflictPageProps) {
  return (
    <Layout title="Not changed" admin={admin} current={list.path} crumbs={[{ label: list.label, href: returnTo }, { label: 'Not changed' }]}>
      <section role="alert" class="rounded border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
        <h1 class="text-lg font-semibold">Nothing was changed</h1>
        <p class="mt-1">{message}</p>
      </section>
      {children ? (
        <div class="mt-4">
          <ResultsTable caption={table.caption} columns={table.columns}>
            {children}
          </ResultsTable>
        </div>
      ) : null}
      <p class="mt-4">
        <a href={returnTo} class="text-blue-700 hover:underline dark:text-blue-400">
          Back to the list
        </a>
      </p>
    </Layout>
  );
}
