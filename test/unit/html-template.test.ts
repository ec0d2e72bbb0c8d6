import fc from 'fast-check';
import { html as honoHtml, raw } from 'hono/html';
import { describe, expect, it } from 'vitest';
import { html } from '../../views/components/html.js';

// Our `html` tag (views/components/html.ts) must write exactly what hono's does for every value a
// template of ours is given, since it stands in for it on every list row.

const HOSTILE = `<script>alert("x")</script>&'`;

// Values as our templates get them: text (hostile or not), numbers, nothing, escaped pieces
// (another template's result), and arrays of those (rows, options).
const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(HOSTILE, '', '&amp;', '"', "'", '<', '>'),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(null, undefined, true, false),
  fc.string().map((text) => raw(text)),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.array(fc.array(scalar, { maxLength: 3 }), { maxLength: 3 }));

const template = (tag: (strings: TemplateStringsArray, ...values: unknown[]) => unknown, values: unknown[]) =>
  String(tag(Object.assign(['<td title="', '">', '</td>', ''], { raw: [] }) as unknown as TemplateStringsArray, ...values));

describe('the html template tag', () => {
  it('writes what hono/html writes, for any values of the kinds our templates pass', () => {
    fc.assert(
      fc.property(fc.tuple(value, value, value), (values) => {
        expect(template(html, values)).toBe(template(honoHtml, values));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes text in attributes and content, and leaves escaped pieces as they are', () => {
    const inner = html`<b>${HOSTILE}</b>`;
    expect(String(html`<a title="${HOSTILE}">${inner}${[HOSTILE, 1, null, false]}</a>`)).toBe(
      '<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;1</a>',
    );
  });

  it('is a finished string, marked escaped, so JSX does not escape it again', () => {
    const result = html`<i>${'a&b'}</i>`;
    expect(result.isEscaped).toBe(true);
    expect(typeof result.toString()).toBe('string');
  });

  it('refuses a promise rather than writing "[object Promise]" or going asynchronous', () => {
    expect(() => html`<p>${Promise.resolve('late')}</p>`).toThrow(/promise/);
  });
});
