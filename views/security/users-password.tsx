import type { DirectoryUser } from '../../src/db/schema.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { userPath } from './users.js';

export interface TemporaryPasswordPageProps {
  admin: LayoutAdmin;
  user: Pick<DirectoryUser, 'id' | 'userPrincipalName' | 'displayName'>;
  /** Null when the link was opened before (or expired): the password is gone for good. */
  shown: { temporaryPassword: string; remediated: number } | null;
}

const LINK = 'text-blue-700 underline hover:no-underline dark:text-blue-400';

/** The one time the temporary password is shown; a reload of this page finds it gone. */
export function TemporaryPasswordPage({ admin, user, shown }: TemporaryPasswordPageProps) {
  const name = user.displayName || user.userPrincipalName;
  return (
    <Layout title="Temporary password" admin={admin} crumbs={[{ label: 'Security', href: '/security' }, { label: name, href: userPath(user.id) }, { label: 'Password reset' }]} current="/security/users-at-risk">
      <h1 class="text-xl font-semibold">Password reset for {name}</h1>
      {shown ? (
        <section role="status" class="mt-4 rounded border border-green-300 bg-green-50 p-4 dark:border-green-800 dark:bg-green-950">
          <p>Give this temporary password to the user through a channel you trust. They must change it at their next sign-in.</p>
          <p class="mt-3">
            <code class="select-all rounded bg-white px-2 py-1 font-mono text-lg dark:bg-slate-900" data-testid="temporary-password">
              {shown.temporaryPassword}
            </code>
          </p>
          <p class="mt-3 text-sm">It is shown only this once and Riskdesk does not keep it: copy it now. Reloading this page will not show it again.</p>
          <p class="mt-1 text-sm">
            {shown.remediated === 0 ? 'The user had no active risk event.' : `${shown.remediated} active risk ${shown.remediated === 1 ? 'event was' : 'events were'} remediated.`}
          </p>
        </section>
      ) : (
        <section role="status" class="mt-4 rounded border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900" data-testid="password-gone">
          <p>The password was reset, but its temporary password has already been shown (or the 10 minutes to see it have passed), and Riskdesk does not keep it.</p>
          <p class="mt-2 text-sm">If it was not copied, reset the password again from the user's page: that makes a new one.</p>
        </section>
      )}
      <p class="mt-4">
        <a href={userPath(user.id)} class={LINK}>
          Back to the user
        </a>
      </p>
    </Layout>
  );
}
