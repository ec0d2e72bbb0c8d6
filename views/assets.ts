import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/paths.js';

export const publicDir = join(projectRoot, 'public');

const versions = new Map<string, string>();

/** URL of a file in public/ with a content hash, so it can be cached for a year. */
export function assetUrl(name: string): string {
  let version = versions.get(name);
  if (version === undefined) {
    try {
      version = createHash('sha256').update(readFileSync(`${publicDir}/${name}`)).digest('hex').slice(0, 12);
    } catch {
      version = 'missing';
    }
    versions.set(name, version);
  }
  return `/static/${name}?v=${version}`;
}
