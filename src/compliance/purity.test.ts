import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const FOLDER = path.dirname(new URL(import.meta.url).pathname);
const PURE_FILES = [
  'contact-request.ts', 'policy-pack.ts', 'overlay.ts', 'evaluate-contact.ts', 'local-time.ts', 'template-check.ts', 'collector-check.ts',
  ...readdirSync(path.join(FOLDER, 'packs')).map((name) => `packs/${name}`),
];
// The gate depends on src/shared alone and never on I/O, the clock or randomness.
const FORBIDDEN = [/from '\.\.\/(\.\.\/)?(db|http|cli|ledger|lending|collections)\//, /from 'node:/, /shared\/clock/, /shared\/random/, /from 'luxon'/, /Date\.now\(|new Date\(\)|Math\.random/];

describe('pure compliance files', () => {
  it.each(PURE_FILES)('%s imports no I/O, clock or randomness', (file) => {
    const text = readFileSync(path.join(FOLDER, file), 'utf8');
    for (const pattern of FORBIDDEN) expect(text).not.toMatch(pattern);
  });
});
