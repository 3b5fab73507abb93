#!/usr/bin/env node
// `npm start` runs this first: build the web application when dist/web is missing (a clone whose
// install skipped scripts), so the server always has something to serve at `/`.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/web/index.html`)) {
  process.stderr.write('Building the web application (dist/web is missing)…\n');
  const result = spawnSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
