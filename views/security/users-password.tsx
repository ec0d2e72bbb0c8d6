import type { DirectoryUser } from '../../src/db/schema.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { userPath } from './users.js';

export interface TemporaryPasswordPageProps {
  admin: LayoutAdmin;
  user: Pick<DirectoryUser, 'id' | 'userPrincipalName' | 'displayName'>;
  temporaryPassword: string;
  remediated: number;
}

/** The one time the temporary password is shown: it is stored nowhere, so it cannot be shown again. */
export function TemporaryPasswordPage({ admin, user, temporaryPassword, remediated }: TemporaryPasswordPageProps) {
  const name = user.displayName || user.userPrincipalName;
  return (
    <Layout title="Temporary password" admin={admin} crumbs={[{ label: 'Security', href: '/security' }, { label: name, href: userPath(user.id) }, { label: 'Password reset' }]} current="/security/users-at-risk">
      <h1 class="text-xl font-semibold">Password reset for {name}</h1>
      <section role="status" class="mt-4 rounded border border-green-300 bg-green-50 p-4 dark:border-green-800 dark:bg-green-950">
        <p>Give this temporary password to the user through a channel you trust. They must change it at their next sign-in.</p>
        <p class="mt-3">
          <code class="select-all rounded bg-white px-2 py-1 font-mono text-lg dark:bg-slate-900" data-testid="temporary-password">
            {temporaryPassword}
          </code>
        </p>
        <p class="mt-3 text-sm">It is shown only this once and Riskdesk does not keep it: copy it now.</p>
        <p class="mt-1 text-sm">
          {remediated === 0 ? 'The user had no active risk event.' : `${remediated} active risk ${remediated === 1 ? 'event was' : 'events were'} remediated.`}
        </p>
      </section>
      <p class="mt-4">
        <a href={userPath(user.id)} class="text-blue-700 hover:underline dark:text-blue-400">
          Back to the user
        </a>
      </p>
    </Layout>
  );
}
