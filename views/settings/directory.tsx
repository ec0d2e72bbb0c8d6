import { Layout, type LayoutAdmin } from '../layout.js';
import type { DirectorySummary } from '../../src/queries/directory.js';
import { buttonClass, ErrorNotice, Notice, Section } from './parts.js';
import { UploadFields } from './upload.js';

export interface DirectoryPageProps {
  layout: LayoutAdmin | null;
  canChange: boolean;
  maxUploadLabel: string;
  summary: DirectorySummary;
  notice?: string;
  error?: string;
}

const EXAMPLE = '[{"id": "6e7b768e-07e2-4810-8459-485f84f8f204", "userPrincipalName": "alice@contoso.com", "displayName": "Alice", "mail": "alice.smith@contoso.com"}]';

export function DirectoryPage({ layout, canChange, maxUploadLabel, summary, notice, error }: DirectoryPageProps) {
  return (
    <Layout title="Directory" admin={layout} current="/settings/directory" crumbs={[{ label: 'Settings' }, { label: 'Directory' }]}>
      <h1 class="mb-1 text-xl font-semibold">Directory</h1>
      <p class="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
        The tenant's users, as Microsoft Graph <code>user</code> objects. Sign-ins create users too; an upload adds the mail addresses leak lists
        match against and the display names the console shows. Users seen for the first time are judged against the leak list at once.
      </p>
      <Notice message={notice} />
      <ErrorNotice message={error} />
      <dl class="mb-6 grid max-w-xl grid-cols-3 gap-3" data-testid="directory-summary">
        <Count label="Users" value={summary.users} />
        <Count label="With mail" value={summary.withMail} />
        <Count label="At risk" value={summary.atRisk} />
      </dl>
      {canChange ? (
        <Section title="Upload users">
          <form method="post" action="/settings/directory" enctype="multipart/form-data" class="max-w-2xl space-y-3">
            <UploadFields
              fileLabel="Users file (.json, .ndjson, .csv)"
              accept=".json,.ndjson,.jsonl,.csv,application/json,text/csv"
              textLabel="Or paste the users"
              placeholder={EXAMPLE}
              maxLabel={maxUploadLabel}
            />
            <p class="text-sm text-slate-600 dark:text-slate-400">
              A JSON array, a Graph page <code>{'{"value": [...]}'}</code>, one object a line (NDJSON), or CSV with a header row. Fields:{' '}
              <code>id</code> and <code>userPrincipalName</code> (required), <code>displayName</code>, <code>mail</code>. Known users are updated.
            </p>
            <button type="submit" class={buttonClass}>
              Upload
            </button>
          </form>
        </Section>
      ) : null}
    </Layout>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div class="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <dt class="text-xs uppercase text-slate-600 dark:text-slate-400">{label}</dt>
      <dd class="text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
