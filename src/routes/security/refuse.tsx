import type { Context } from 'hono';
import { ErrorPage } from '../../../views/errors.js';
import { FeedbackFlash } from '../../../views/security/feedback-flash.js';
import type { AppEnv } from '../../app-env.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { wantsSwap } from '../../http/render.js';

/**
 * Refuses a feedback action. htmx 4 swaps 4xx responses, so for a row swap the row stays
 * (HX-Reswap: none) and the message goes to the page's status region; otherwise an error page.
 */
export function refuseAction(c: Context<AppEnv>, status: 400 | 404, title: string, message: string) {
  if (wantsSwap(c)) {
    c.header('HX-Reswap', 'none');
    return c.html(<FeedbackFlash message={message} tone="refused" oob />, status);
  }
  return c.html(<ErrorPage status={status} title={title} message={message} admin={layoutAdmin(c)} />, status);
}
