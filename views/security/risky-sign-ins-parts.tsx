import { activeFilterLabels, type ListFilters } from '../../src/http/list-filters.js';
import { EmptyState, FilteredOutState } from '../components/results.js';

export function DownloadLinks({ query }: { query: URLSearchParams }) {
  const params = new URLSearchParams(query);
  params.delete('cursor');
  params.delete('limit');
  const search = params.toString() ? `?${params}` : '';
  const link = 'text-blue-700 hover:underline dark:text-blue-400';
  return (
    <p class="ml-auto flex gap-3">
      <span>Download:</span>
      <a href={`/security/risky-sign-ins/export.csv${search}`} download hx-boost="false" class={link}>
        CSV
      </a>
      <a href={`/security/risky-sign-ins/export.json${search}`} download hx-boost="false" class={link}>
        JSON (Graph riskDetection)
      </a>
    </p>
  );
}

/** Why the list is empty: nothing imported or detected yet, or the filters leave nothing. */
export function RiskySignInsEmpty({ filters, anyAtAll }: { filters: ListFilters; anyAtAll: boolean }) {
  if (!anyAtAll) {
    return (
      <EmptyState title="No risky sign-ins yet">
        <p>Riskdesk has not detected any risky sign-in for this tenant. Import sign-in logs and detection runs as they arrive:</p>
        <pre class="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
          <code>npm run riskdesk -- import sign-ins --tenant DOMAIN FILE</code>
        </pre>
        <p>FILE is a Graph export (.json), NDJSON or CSV. Sign-ins can also be sent to the API at POST /api/v1/sign-ins.</p>
      </EmptyState>
    );
  }
  return <FilteredOutState noun="risky sign-ins" active={activeFilterLabels(filters)} clearHref="/security/risky-sign-ins" />;
}
