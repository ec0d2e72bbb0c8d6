import type { Context } from 'hono';
import { ActionError } from '../actions/errors.js';

export type Form = Record<string, string | File | (string | File)[]>;

export async function readForm(c: Context): Promise<Form> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return {};
  }
}

export function field(form: Form, name: string): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

export function fields(form: Form, name: string): string[] {
  const value = form[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The `version` a form carries back for the row it edits (a stale one is a conflict), or null when missing. */
export function optionalVersion(form: Form): number | null {
  const text = field(form, 'version');
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

export function versionField(form: Form): number {
  const version = optionalVersion(form);
  if (version === null) throw new ActionError(400, 'version is required: reload the page and try again');
  return version;
}
