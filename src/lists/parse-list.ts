import { isIP } from 'node:net';
import { ActionError } from '../actions/errors.js';

/** The entries of a list file: one a line; blank lines and `#` comments (whole-line or trailing) are ignored. */
export function listLines(text: string): { value: string; line: number }[] {
  const entries: { value: string; line: number }[] = [];
  // Windows files and browser form fields end lines with CRLF; a trailing CR would hide a # comment's end.
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.replace(/#.*$/, '').trim();
    if (value !== '') entries.push({ value, line: i + 1 });
  });
  return entries;
}

export interface BadLine {
  line: number;
  text: string;
}

export function badIpLines(text: string): BadLine[] {
  return listLines(text)
    .filter(({ value }) => !isIpOrCidr(value))
    .map(({ value, line }) => ({ line, text: value.slice(0, 80) }));
}

/** IPs and CIDR ranges, checked; the bad ones are named by line (the first few). */
export function parseIpList(text: string): string[] {
  const bad = badIpLines(text);
  if (bad.length > 0) {
    const named = bad.slice(0, 5).map(({ line, text }) => `line ${line}: not an IP address or CIDR range: "${text}"`);
    throw new ActionError(400, named.join('; ') + (bad.length > 5 ? `; and ${bad.length - 5} more bad lines` : ''));
  }
  return listLines(text).map(({ value }) => value);
}

export function isIpOrCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Leak list entries (UPNs or mail addresses), lower-cased since they match case-insensitively. */
export function parseLeakList(text: string): string[] {
  return listLines(text).map(({ value, line }) => {
    if (/\s|\u0000/.test(value) || value.length > 320) throw new ActionError(400, `line ${line}: not a user principal name or mail address: "${value.slice(0, 80)}"`);
    return value.toLowerCase();
  });
}
