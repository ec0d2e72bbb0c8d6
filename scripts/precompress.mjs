// Writes public/<file>.gz and .br beside each text asset so the server sends them without compressing
// per request (src/http/static.ts). Runs last in `npm run build`, after the CSS is built.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

for (const name of readdirSync('public')) {
  if (!/\.(css|js|svg|txt)$/.test(name)) continue;
  const body = readFileSync(join('public', name));
  writeFileSync(join('public', `${name}.gz`), gzipSync(body, { level: 9 }));
  writeFileSync(join('public', `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
}
