import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE = resolve('src');

/** Contexts and what each may import (DESIGN.md: contexts depend downward only). */
const ALLOWED: Record<string, string[]> = {
  shared: ['shared'],
  db: ['shared', 'db', 'ledger', 'lending', 'compliance', 'delinquency', 'collections', 'hardship', 'origination'],
  ledger: ['shared', 'db', 'ledger'],
  lending: ['shared', 'db', 'ledger', 'lending', 'http'],
  delinquency: ['shared', 'db', 'ledger', 'lending', 'delinquency', 'http'],
  collections: ['shared', 'db', 'ledger', 'lending', 'delinquency', 'compliance', 'collections', 'http'],
  hardship: ['shared', 'db', 'ledger', 'lending', 'delinquency', 'collections', 'compliance', 'hardship', 'http'],
  origination: ['shared', 'db', 'ledger', 'lending', 'delinquency', 'origination', 'http'],
  compliance: ['shared', 'db', 'compliance', 'http'],
  identity: ['shared', 'db', 'identity', 'http'],
  eod: ['shared', 'db', 'ledger', 'lending', 'delinquency', 'collections', 'hardship', 'origination', 'compliance', 'eod', 'http', 'scenario'],
};

/** Files that are edges or I/O by their role: stores, services, routes, table types, migrations. */
const EDGE_FILE = /\.(store|service|routes|tables)\.ts$/;
const IO_MODULES = ['kysely', 'pg', '@electric-sql/pglite', 'fastify', 'node:fs', 'node:net', 'node:http', 'node:child_process', 'node:crypto'];
const IO_PATHS = ['/db/', '/http/', '/cli/', 'shared/clock.ts', 'shared/random.ts', 'shared/ids.ts'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s+(?!type\b)(?:[^'"]*from\s+)?['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

describe('architecture', () => {
  const files = sourceFiles(SOURCE);

  it('keeps pure domain files free of I/O: no database, HTTP, file system, clock or randomness', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const path = relative(SOURCE, file);
      const context = path.split('/')[0]!;
      if (!(context in ALLOWED) || context === 'db' || EDGE_FILE.test(path) || path.includes('/packs/')) continue;
      for (const specifier of importsOf(file)) {
        const target = specifier.startsWith('.') ? relative(SOURCE, resolve(dirname(file), specifier)) : specifier;
        if (IO_MODULES.includes(specifier) || IO_PATHS.some((fragment) => `/${target}`.includes(fragment) || target.endsWith(fragment))) {
          offenders.push(`${path} imports ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lets contexts depend downward only', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const path = relative(SOURCE, file);
      const context = path.split('/')[0]!;
      const allowed = ALLOWED[context];
      if (!allowed) continue;
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = relative(SOURCE, resolve(dirname(file), specifier)).split('/')[0]!;
        if (target !== context && !allowed.includes(target)) offenders.push(`${path} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
