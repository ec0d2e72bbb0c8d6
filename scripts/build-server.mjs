// Compiles src/ and views/ to dist/ (one JavaScript file per TypeScript file, same layout), so
// `npm start` runs plain node: no compiler in the serving process, a faster start and less memory.
// esbuild (already under tsx) only strips types and JSX; `npm run typecheck` is the type check.
import { rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

async function sources(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')).map((e) => join(e.parentPath, e.name));
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: [...(await sources('src')), ...(await sources('views'))],
  outdir: 'dist',
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  sourcemap: 'linked',
  logLevel: 'warning',
});
