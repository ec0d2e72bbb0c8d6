import { createHmac, randomBytes } from 'node:crypto';

// Riskdesk-Signature: v1=<hex HMAC-SHA256 of "timestamp.body">, the scheme of Stripe and Standard
// Webhooks. During a rotation both secrets sign ("v1=new v1=old"), so a receiver holding either verifies.

export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`).join(' ');
}
