// Copies htmx from node_modules into public/ so the app never loads a script from another origin.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const htmxDir = dirname(require.resolve('htmx.org/package.json'));
mkdirSync('public', { recursive: true });
copyFileSync(join(htmxDir, 'dist', 'htmx.min.js'), join('public', 'htmx.min.js'));
