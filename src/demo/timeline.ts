export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Days of ordinary traffic: the 30 days the reports show, plus the history that learning needs. */
export const HISTORY_DAYS = 60;
const END_MARGIN = 10 * MINUTE;

/**
 * The demo's days are 24-hour windows ending just before `now`; slot 0 is the oldest. Ordinary
 * traffic keeps local office hours, so moving `now` by whole weeks shifts the data exactly.
 */
export interface Timeline {
  end: number;
  days: number;
  windowStart(slot: number): number;
}

export function createTimeline(now: Date): Timeline {
  const time = now.getTime();
  if (!Number.isFinite(time)) throw new RangeError('now must be a valid Date');
  const end = time - END_MARGIN;
  return { end, days: HISTORY_DAYS, windowStart: (slot) => end - (HISTORY_DAYS - slot) * DAY };
}

/** The first moment at or after `from` whose local time of day (at that UTC offset) is `msOfDay`. */
export function atLocalTime(from: number, utcOffsetHours: number, msOfDay: number): number {
  const offset = utcOffsetHours * HOUR;
  const local = from + offset;
  const at = local - modulo(local, DAY) + msOfDay - offset;
  return at < from ? at + DAY : at;
}

export function isLocalWeekend(at: number, utcOffsetHours: number): boolean {
  const weekday = new Date(at + utcOffsetHours * HOUR).getUTCDay();
  return weekday === 0 || weekday === 6;
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
