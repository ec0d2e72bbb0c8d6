// ISO 8601 as every input reads it (files, API, URLs, the command line): a date, or a date and time
// to the minute with an optional zone (Z, +02:00 or +0200). A time without a zone is UTC.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

export interface IsoTime {
  at: Date;
  dateOnly: boolean;
  zoned: boolean;
}

export function parseIso8601(text: string): IsoTime | null {
  if (!ISO_8601.test(text)) return null;
  const dateOnly = text.length === 10;
  const zoned = !dateOnly && ZONE.test(text);
  const time = Date.parse(dateOnly ? `${text}T00:00:00Z` : zoned ? text : `${text}Z`);
  return Number.isNaN(time) ? null : { at: new Date(time), dateOnly, zoned };
}

/** A date, or a time that names its zone: what the API and the command line take as since/until. */
export function parseInstant(text: string): Date | null {
  const parsed = parseIso8601(text);
  return parsed && (parsed.dateOnly || parsed.zoned) ? parsed.at : null;
}
