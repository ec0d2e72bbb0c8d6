/** How records are laid out in a file or body, told from its first bytes rather than its name. */
export type Container = 'json' | 'jsonl' | 'csv' | 'empty';

const BOM = '\uFEFF';

/** Windows PowerShell 5.1 and Excel write UTF-8 with a byte-order mark; it is not part of the content. */
export const withoutBom = (text: string): string => (text.startsWith(BOM) ? text.slice(1) : text);

/** A JSON document starts with [ or { and does not end on its first line; JSON lines have a whole value on it; anything else is CSV. */
export function containerOf(head: string, complete: boolean): Container {
  const text = withoutBom(head).trimStart();
  if (text === '') return 'empty';
  if (text.startsWith('[')) return 'json';
  if (!text.startsWith('{')) return 'csv';
  const newline = text.indexOf('\n');
  if (newline === -1) return complete ? 'json' : 'jsonl';
  try {
    JSON.parse(text.slice(0, newline));
  } catch {
    return 'json';
  }
  return text.slice(newline + 1).trim() === '' && complete ? 'json' : 'jsonl';
}
