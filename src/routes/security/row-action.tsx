import type { Context } from 'hono';
import { ConflictPage, type ConflictPageProps } from '../../../views/components/conflict.js';
import { ActionError } from '../../actions/errors.js';
import { FEEDBACK_ACTIONS, FEEDBACK_DONE, isFeedbackAction, type FeedbackAction } from '../../actions/event-status.js';
import type { AppEnv } from '../../app-env.js';
import { field, optionalVersion, readForm } from '../../http/forms.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { redirectTo, refuse, safeLocalPath, wantsSwap, type Html, type Refusal } from '../../http/render.js';

export interface StatusForm {
  action: FeedbackAction;
  version: number;
  returnTo: string;
}

/** The form a row's status buttons post (action, version, returnTo), or what is wrong with it. */
export async function parseStatusForm(c: Context<AppEnv>, list: string): Promise<StatusForm | Refusal> {
  const form = await readForm(c);
  const action = field(form, 'action');
  const version = optionalVersion(form);
  if (!isFeedbackAction(action)) return { status: 400, title: 'Bad value for action', message: `action must be one of ${FEEDBACK_ACTIONS.join(', ')}` };
  if (version === null) return { status: 400, title: 'Bad value for version', message: 'version must be the whole number the form was loaded with' };
  return { action, version, returnTo: safeLocalPath(field(form, 'returnTo'), list) };
}

export function isRefusal(value: StatusForm | Refusal): value is Refusal {
  return 'status' in value;
}

export interface RowAction {
  form: StatusForm;
  list: { path: string; label: string };
  run: () => Promise<unknown>;
  freshRow: (message: string) => Promise<Html | null>;
  table: ConflictPageProps['table'];
  /** What a row swap gets after success, when more than the row changes (a count, a notice). */
  swapped?: () => Promise<Html | null>;
  /** Where a plain form goes after success, when not simply back (the list with a notice). */
  doneLocation?: string;
}

/**
 * Runs a row's status action and answers it: a row swap gets the fresh row (200, or 409 with why
 * when the row changed meanwhile); a plain or boosted form goes back to the list, or, on 409, gets
 * a page with the fresh row; any other refusal goes through refuse().
 */
export async function answerRowAction(c: Context<AppEnv>, { form, list, table, run, freshRow, swapped, doneLocation }: RowAction): Promise<Response> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    if (error.status !== 409) return refuse(c, error);
    const row = await freshRow(error.message);
    if (wantsSwap(c) && row) return c.html(row, 409);
    return c.html(
      <ConflictPage admin={layoutAdmin(c)} message={error.message} returnTo={form.returnTo} list={list} table={table}>
        {row}
      </ConflictPage>,
      409,
    );
  }
  if (!wantsSwap(c)) return redirectTo(c, doneLocation ?? form.returnTo);
  const row = swapped ? await swapped() : await freshRow(`${FEEDBACK_DONE[form.action]}.`);
  return row ? c.html(row) : redirectTo(c, form.returnTo);
}
