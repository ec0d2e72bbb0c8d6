import type { Child } from 'hono/jsx';
import { ResultsTable } from '../components/results.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { riskEventColumns } from './risk-events-row.js';

/** 409 without JavaScript: why the event was not changed, its fresh row, and the way back. */
export function EventConflictPage({ admin, message, returnTo, children }: { admin: LayoutAdmin | null; message: string; returnTo: string; children?: Child }) {
  return (
    <Layout title="Not changed" admin={admin} current="/security/risk-events">
      <section role="alert" class="rounded border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
        <h1 class="text-lg font-semibold">Nothing was changed</h1>
        <p class="mt-1">{message}</p>
      </section>
      <div class="mt-4">
        <ResultsTable caption="The risk event as it is now" columns={riskEventColumns(false)}>
          {children}
        </ResultsTable>
      </div>
      <p class="mt-4">
        <a href={returnTo} class="text-blue-700 hover:underline dark:text-blue-400">
          Back
        </a>
      </p>
    </Layout>
  );
}
