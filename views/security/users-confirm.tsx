import type { DirectoryUser } from '../../src/db/schema.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { userPath } from './users.js';

// The confirmation step of the user blade's destructive actions: a GET page that says what will
// happen and holds the POST button; with htmx the same box opens in place on the blade.

export const USER_ACTIONS = ['reset-password', 'dismiss', 'confirm-compromised'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];
export const CONFIRM_REGION_ID = 'user-confirm';

type ConfirmUser = Pick<DirectoryUser, 'id' | 'userPrincipalName' | 'displayName' | 'version' | 'activeEventCount'>;

const LINK = 'text-blue-700 underline hover:no-underline dark:text-blue-400';

export const ACTION_TITLES: Record<UserAction, string> = {
  'reset-password': 'Reset password',
  dismiss: 'Dismiss all events',
  'confirm-compromised': 'Confirm compromised',
};

function events(n: number): string {
  return n === 1 ? '1 active risk event' : `${n} active risk events`;
}

function consequences(action: UserAction, user: ConfirmUser): string[] {
  const name = user.displayName || user.userPrincipalName;
  switch (action) {
    case 'reset-password':
      return [
        `Riskdesk generates a temporary password and shows it to you once, on the next page, for you to give to ${name}.`,
        `${name} must change it at their next sign-in.`,
        user.activeEventCount > 0
          ? `Their ${events(user.activeEventCount)} ${user.activeEventCount === 1 ? 'becomes' : 'become'} Remediated. That is final: a remediated event cannot be reactivated.`
          : 'They have no active risk event, so no event changes.',
      ];
    case 'dismiss':
      return [
        `Their ${events(user.activeEventCount)} ${user.activeEventCount === 1 ? 'becomes' : 'become'} Ignored, with the detail “admin dismissed all risk for user”.`,
        `${name}'s risk level drops to None and their state becomes Dismissed.`,
        'You can reactivate each event from its details afterwards.',
      ];
    case 'confirm-compromised':
      return [
        `Riskdesk records a high-risk event “Admin confirmed compromised” for ${name}, naming you.`,
        `${name}'s risk level becomes High and their state Confirmed compromised, so the user risk policy applies to them (block or require a password change).`,
        'Only dismissing that event or resetting the password lowers the risk again.',
      ];
  }
}

export interface UserConfirmProps {
  action: UserAction;
  user: ConfirmUser;
  /** In place on the blade (htmx): Cancel only closes the box. */
  inPlace: boolean;
}

export function UserConfirmBox({ action, user, inPlace }: UserConfirmProps) {
  const danger = action !== 'dismiss';
  const back = userPath(user.id);
  return (
    <section
      role="region"
      aria-labelledby="confirm-title"
      class={`mb-4 rounded border p-4 ${danger ? 'border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950' : 'border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950'}`}
      data-testid="confirm-box"
    >
      <h2 id="confirm-title" class="text-base font-semibold">
        {ACTION_TITLES[action]} for {user.displayName || user.userPrincipalName}?
      </h2>
      <ul class="mt-2 list-disc space-y-1 pl-5 text-sm">
        {consequences(action, user).map((line) => (
          <li>{line}</li>
        ))}
      </ul>
      <form method="post" action={`${back}/${action}`} class="mt-3 flex flex-wrap items-center gap-3">
        <input type="hidden" name="version" value={String(user.version)} />
        <button
          type="submit"
          class={`rounded px-3 py-1 text-sm font-medium text-white ${danger ? 'bg-red-700 hover:bg-red-800' : 'bg-amber-800 hover:bg-amber-900'}`}
          data-testid="confirm-button"
        >
          {ACTION_TITLES[action]}
        </button>
        {inPlace ? (
          <a href={back} hx-get={back} hx-target="closest [data-testid=confirm-box]" hx-swap="delete" hx-push-url="false" class={`text-sm ${LINK}`}>
            Cancel
          </a>
        ) : (
          <a href={back} class={`text-sm ${LINK}`}>
            Cancel
          </a>
        )}
      </form>
    </section>
  );
}

export function UserConfirmPage(props: UserConfirmProps & { admin: LayoutAdmin }) {
  const name = props.user.displayName || props.user.userPrincipalName;
  return (
    <Layout
      title={`${ACTION_TITLES[props.action]}: ${name}`}
      admin={props.admin}
      crumbs={[{ label: 'Security', href: '/security' }, { label: 'Users flagged for risk', href: '/security/users-at-risk' }, { label: name, href: userPath(props.user.id) }, { label: ACTION_TITLES[props.action] }]}
      current="/security/users-at-risk"
    >
      <h1 class="mb-3 text-xl font-semibold">{ACTION_TITLES[props.action]}</h1>
      <UserConfirmBox {...props} />
    </Layout>
  );
}
