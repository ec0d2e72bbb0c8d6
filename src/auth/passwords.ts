import { hash, verify } from '@node-rs/argon2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

// Argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/** Checks a throwaway hash when there is no such admin, so an unknown email takes as long as a wrong password. */
export async function verifyPasswordOrDummy(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash) return verifyPassword(passwordHash, password);
  dummyHash ??= hashPassword(generateTemporaryPassword());
  await verifyPassword(await dummyHash, password);
  return false;
}

export const MIN_PASSWORD_LENGTH = 12;

export function checkNewPassword(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (password.length > 256) return 'Password must be at most 256 characters long';
  return null;
}

/** A random temporary password: 20 base32 characters (100 bits). */
export function generateTemporaryPassword(): string {
  const bytes = new Uint8Array(13);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes).slice(0, 20);
}
