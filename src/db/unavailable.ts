/**
 * Whether an error means the database is out of reach (down, restarting, connection lost) or too
 * slow (statement timeout), rather than a bug: such requests answer 503 and can be retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (NETWORK_CODES.has(code)) return true;
    // SQLSTATE class 08 (connection exception), 57P0x (shutdown, cannot connect now), 57014 (statement timeout), 53300 (too many connections).
    if (/^08/.test(code) || /^57P0[1-4]$/.test(code) || code === '57014' || code === '53300') return true;
  }
  return false;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);
