import type { FeedbackAction } from '../../src/actions/event-status.js';
import { FEEDBACK_LABELS } from '../components/feedback-form.js';
import { Layout, type LayoutAdmin } from '../layout.js';

const QUESTION: Record<FeedbackAction, (n: string) => string> = {
  resolve: (n) => `Resolve ${n}?`,
  falsePositive: (n) => `Mark ${n} as false positive?`,
  ignore: (n) => `Ignore ${n}?`,
  reactivate: (n) => `Reactivate ${n}?`,
};

export interface BulkConfirmProps {
  admin: LayoutAdmin | null;
  action: FeedbackAction;
  count: number;
  filter: string;
  filterLabels: string[];
  returnTo: string;
}

/** "Apply to all N matching the filter" asks once more before it runs. */
export function BulkFeedbackConfirmPage({ admin, action, count, filter, filterLabels, returnTo }: BulkConfirmProps) {
  const signIns = `${count.toLocaleString('en-US')} sign-in${count === 1 ? '' : 's'}`;
  return (
    <Layout title="Confirm bulk feedback" admin={admin} current="/security/risky-sign-ins" crumbs={[{ label: 'Risky sign-ins', href: returnTo }, { label: 'Confirm' }]}>
      <section class="max-w-xl rounded border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
        <h1 class="text-xl font-semibold">{QUESTION[action](signIns)}</h1>
        <p class="mt-2 text-slate-700 dark:text-slate-300">
          {filterLabels.length > 0 ? `Every risky sign-in matching ${filterLabels.join('; ')} in the period shown.` : 'Every risky sign-in in the period shown.'}{' '}
          Sign-ins whose status does not allow it are skipped.
        </p>
        <form method="post" action="/security/risky-sign-ins/bulk-feedback" class="mt-4 flex gap-3">
          <input type="hidden" name="action" value={action} />
          <input type="hidden" name="scope" value="all" />
          <input type="hidden" name="filter" value={filter} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800" disabled={count === 0}>
            {FEEDBACK_LABELS[action]} {signIns}
          </button>
          <a href={returnTo} class="px-3 py-2 text-blue-700 hover:underline dark:text-blue-400">
            Cancel
          </a>
        </form>
      </section>
    </Layout>
  );
}
