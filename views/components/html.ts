import { raw } from 'hono/html';
import { escapeToBuffer, type HtmlEscapedString } from 'hono/utils/html';

// A list row built as a template renders in a fraction of a JSX row's time (BENCHMARKS.md), and JSX
// takes a template's result as a child. This is hono's `html` tag, escaping every value with hono's
// own escaper as JSX does, less what our templates never need: hono's tag also waits for promises
// and for callbacks of streamed rendering, and for that wraps each value in an array first. Ours
// are finished strings, so a value that is a promise is a mistake and throws, as does one with
// callbacks; what is left is a loop over the values (a quarter faster on a page of rows).

export type Html = HtmlEscapedString;

/** Appends one value to buffer[0]: strings and other values escaped, escaped strings as they are, arrays flattened, nothing for null, undefined and booleans. */
function append(value: unknown, buffer: [string]): void {
  if (typeof value === 'string') return escapeToBuffer(value, buffer);
  if (value === null || value === undefined || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    buffer[0] += value;
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) append(item, buffer);
    return;
  }
  if (value instanceof Promise) throw new TypeError('an html template was given a promise');
  if (typeof value === 'object' && (value as { isEscaped?: boolean }).isEscaped) {
    if ((value as HtmlEscapedString).callbacks?.length) throw new TypeError('an html template was given a value with rendering callbacks');
    // An escaped string, or a JSX element, whose string is its HTML.
    const text = (value as object).toString() as unknown;
    if (typeof text !== 'string' && !(text instanceof String)) throw new TypeError('an html template was given a value that renders later');
    buffer[0] += text;
    return;
  }
  escapeToBuffer(String(value), buffer);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const buffer: [string] = [strings[0]];
  for (let i = 0; i < values.length; i++) {
    append(values[i], buffer);
    buffer[0] += strings[i + 1];
  }
  return raw(buffer[0]);
}
