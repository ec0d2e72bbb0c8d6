import { html, type Html } from './html.js';
import { TruncatedNote } from './labels.js';
import { SignInDetailLink } from './sign-in-link.js';
import { Time } from './time.js';
import { userHref } from './user-link.js';

// The cells the risky sign-ins list and the sign-in log share, as templates: each list renders
// 50 rows a page (html.ts says why not JSX).

interface SignInOfUser {
  id: string;
  createdDateTime: Date;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  truncatedFields: string[];
}

/** The user's name, leading to the user (blade or sign-ins), with the note of fields cut on import. */
export function userNameCell(row: SignInOfUser, premium: boolean): Html {
  return html`<td class="cut key"><a href="${userHref(row.userId, premium)}" title="${row.userPrincipalName}" class="link font-medium">${row.userDisplayName || row.userPrincipalName}</a>${TruncatedNote({ fields: row.truncatedFields })}</td>`;
}

/** The sign-in's time, leading to its detail (the side panel with htmx); `back` is the list's address. */
export function signInTimeCell(row: SignInOfUser, timeZone: string, back: string): Html {
  const label = `Details of the sign-in of ${row.userDisplayName || row.userPrincipalName}`;
  return html`<td>${SignInDetailLink({ signInId: row.id, back, label, children: Time({ date: row.createdDateTime, timeZone }) })}</td>`;
}
