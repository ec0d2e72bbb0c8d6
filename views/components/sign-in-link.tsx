import { html } from './html.js';
import type { Child } from 'hono/jsx';

// Every row of the risky sign-ins list and the sign-in log leads to the sign-in's detail: with htmx
// into the page's side panel (the list keeps its scroll and filters), without it as a page.

export const SIGN_IN_PANEL_ID = 'sign-in-panel';

const BOOST = html`target:#${SIGN_IN_PANEL_ID} swap:innerHTML`;

// A list's rows all carry the same `back`: its query string is encoded once, not once a row.
let lastBack = { back: '', query: '' };

export function signInPath(signInId: string, back?: string): string {
  const path = `/security/sign-ins/${encodeURIComponent(signInId)}`;
  if (!back) return path;
  if (lastBack.back !== back) lastBack = { back, query: String(new URLSearchParams({ back })) };
  return `${path}?${lastBack.query}`;
}

export function SignInDetailLink({ signInId, back, label, children }: { signInId: string; back: string; label: string; children?: Child }) {
  const href = signInPath(signInId, back);
  // A template rather than JSX: every list row has one. Boosted, htmx takes the address from href
  // (written once, not twice) and pushes it; the boost's config sends the answer to the side panel.
  return html`<a href="${href}" hx-boost="${BOOST}" title="${label}" class="link">${children}</a>`;
}

/** Where the detail opens with htmx; empty (and hidden) until a row asks for it. */
export function SignInPanelRegion() {
  return (
    <aside
      id={SIGN_IN_PANEL_ID}
      aria-label="Sign-in detail"
      aria-live="polite"
      class="fixed top-10 bottom-0 right-0 z-30 w-full max-w-xl overflow-y-auto border-l border-slate-200 bg-white p-4 shadow-2xl empty:hidden dark:border-slate-700 dark:bg-slate-900"
    ></aside>
  );
}
