import { createTOTPKeyURI, generateHOTP, verifyHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import { renderSVG } from 'uqr';

// RFC 6238 with the parameters every authenticator app supports: SHA-1, 30 s steps, 6 digits.
// The step counter is computed from our injectable clock, which is why HOTP is called directly.

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const KEY_BYTES = 20;
const ALLOWED_DRIFT_STEPS = 1;

export function generateTotpKey(): Uint8Array {
  const key = new Uint8Array(KEY_BYTES);
  crypto.getRandomValues(key);
  return key;
}

export function encodeTotpKey(key: Uint8Array): string {
  return encodeBase32NoPadding(key);
}

export function decodeTotpKey(text: string | undefined): Uint8Array | null {
  if (!text || !/^[A-Z2-7]{32}$/.test(text)) return null;
  try {
    const key = decodeBase32IgnorePadding(text);
    return key.length === KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

export function totpCounter(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code an app shows at a given time (tests use it; the server never needs to). */
export function totpCodeAt(key: Uint8Array, at: Date): string {
  return generateHOTP(key, BigInt(totpCounter(at)), TOTP_DIGITS);
}

export function looksLikeTotpCode(code: string): boolean {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code);
}

/** The step a code belongs to (now or one either side); the caller refuses one at or below the last used, so codes cannot replay. */
export function matchTotpCode(key: Uint8Array, code: string, now: Date): number | null {
  if (!looksLikeTotpCode(code)) return null;
  const current = totpCounter(now);
  for (let counter = current - ALLOWED_DRIFT_STEPS; counter <= current + ALLOWED_DRIFT_STEPS; counter++) {
    if (verifyHOTP(key, BigInt(counter), TOTP_DIGITS, code)) return counter;
  }
  return null;
}

export function totpKeyUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI('Riskdesk', accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The otpauth:// URI as a QR code, as an image data URL (the CSP allows data: images, not inline SVG styles). */
export function totpQrDataUrl(uri: string): string {
  const svg = renderSVG(uri, { ecc: 'M', border: 2, pixelSize: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
