import { html } from './html.js';

// Times render in the signed-in admin's timezone (a per-admin setting, default UTC), with the exact
// instant in the datetime attribute so nothing is lost and the browser could reformat it.

const OPTIONS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};

// Building a formatter costs far more than using one, and a list page formats many times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-GB', { ...OPTIONS, timeZone });
  } catch {
    // Names are validated when saved; anything unknown still renders, in UTC.
    formatter = formatterFor('UTC');
  }
  formatters.set(timeZone, formatter);
  return formatter;
}

/** "2026-11-27 12:05:09 UTC" from "2026-11-27T12:05:09.000Z". */
const utcText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** "2026-11-27 13:05:09 CET": sortable and unambiguous, in the given IANA timezone (UTC if unknown). */
export function formatDateTime(date: Date, timeZone = 'UTC'): string {
  // The default timezone needs no Intl at all, and list pages format a time per row.
  if (timeZone === 'UTC') return utcText(date.toISOString());
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

export interface TimeProps {
  date: Date;
  timeZone?: string;
  class?: string;
}

/** <time datetime="2026-11-27T12:05:09.000Z">2026-11-27 13:05:09 CET</time>, as a template: list rows render one each. */
export function Time({ date, timeZone = 'UTC', class: className }: TimeProps) {
  const classes = className === undefined ? '' : html` class="${className}"`;
  const iso = date.toISOString();
  return html`<time datetime="${iso}"${classes}>${timeZone === 'UTC' ? utcText(iso) : formatDateTime(date, timeZone)}</time>`;
}
