import type { Context } from 'hono';
import { ErrorPage } from '../../views/errors.js';
import { ActionError } from '../actions/errors.js';
import type { AppEnv } from '../app-env.js';
import type { Form } from './forms.js';
import { layoutAdmin } from './layout-admin.js';
import { capBody } from './limits.js';

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const UPLOAD_MAX_LABEL = '10 MB';

export const uploadLimit = capBody<AppEnv>({
  maxSize: UPLOAD_MAX_BYTES,
  onError: (c: Context<AppEnv>) =>
    c.html(
      <ErrorPage
        status={413}
        title="Upload too large"
        message={`The upload is over ${UPLOAD_MAX_LABEL}. Split the file and upload the parts one after another.`}
        admin={layoutAdmin(c)}
      />,
      413,
    ),
});

/** The chosen file or the pasted text, not both; a byte-order mark is dropped, as spreadsheet tools write one. */
export async function uploadedText(form: Form, names = { file: 'file', text: 'text' }): Promise<{ text: string; fileName: string | null }> {
  const value = form[names.file];
  const file = (Array.isArray(value) ? value : [value]).find((item): item is File => typeof item === 'object' && item !== null && item.size > 0);
  const pastedValue = form[names.text];
  const pasted = typeof pastedValue === 'string' ? pastedValue : '';
  if (file && pasted.trim() !== '') throw new ActionError(400, `${names.file}: choose a file or paste the text, not both`);
  if (file) return { text: stripBom(await file.text()), fileName: file.name || null };
  if (pasted.trim() === '') throw new ActionError(400, `${names.file}: choose a file to upload or paste the text into ${names.text}`);
  return { text: stripBom(pasted), fileName: null };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
