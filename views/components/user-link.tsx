import { html } from './html.js';

/** Where a user's name leads: the user blade on premium, else the user's sign-ins. */
export function userHref(userId: string, premium: boolean): string {
  return premium ? `/security/users/${encodeURIComponent(userId)}` : `/security/sign-ins?userId=${encodeURIComponent(userId)}`;
}

/** The name leading to the user, with the UPN under it: a template, since event lists have one a row. */
export function UserCell({ userId, displayName, userPrincipalName, premium }: { userId: string; displayName: string | null; userPrincipalName: string; premium: boolean }) {
  return html`<a href="${userHref(userId, premium)}" class="font-medium text-blue-700 hover:underline dark:text-blue-400">${displayName || userPrincipalName}</a><div class="text-xs text-slate-600 dark:text-slate-400">${userPrincipalName}</div>`;
}
