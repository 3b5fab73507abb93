import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { IN_POSTGRES_PASS } from './support/database.ts';

const LENITY = join(process.cwd(), 'bin', 'lenity.js');

/** The command line as an operator uses it: `lenity start` on a fresh embedded database, then `lenity verify`. */
describe.skipIf(IN_POSTGRES_PASS)('the lenity command on a fresh embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lenity-cli-'));
  // PORT 0: the system picks a free port (a fixed one can be taken by a client socket's ephemeral port),
  // and the test reads the address from the start-up line.
  const environment = { ...process.env, LENITY_DATA: join(dataDir, 'nested', 'data'), DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1' };

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts with a demo book that borrowers and staff can use, then stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [LENITY, 'start'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const deadline = Date.now() + 150_000;
      while (!/Lenity is running at (http:\/\/\S+)/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`lenity start did not come up:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(output).toContain('lnty_demo_admin');
      const base = /Lenity is running at (http:\/\/\S+)/.exec(output)![1]!;
      const own = await (await fetch(`${base}/v1/loans`, { headers: { authorization: 'Bearer lnty_demo_borrower' } })).json() as { items: Array<{ borrowerId: string }> };
      expect(own.items.length).toBeGreaterThan(0);
      expect(new Set(own.items.map((loan: { borrowerId: string }) => loan.borrowerId)).size).toBe(1);
      const all = await (await fetch(`${base}/v1/loans?limit=200`, { headers: { authorization: 'Bearer lnty_demo_admin' } })).json() as { items: unknown[] };
      expect(all.items.length).toBe(180);
      expect((await fetch(`${base}/docs/json`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited, output).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    }
  }, 200_000);

  it('verifies the book, and reports a loan whose balances disagree with its ledger', async () => {
    const clean = spawnSync(process.execPath, [LENITY, 'verify', '--json'], { env: environment, encoding: 'utf8' });
    expect(clean.status, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout).ok).toBe(true);
    const handle = await openDatabase({ dataDir: environment.LENITY_DATA });
    const tampered = await sql<{ id: string }>`UPDATE loan SET principal_outstanding_minor = principal_outstanding_minor + 1
      WHERE id = (SELECT min(id) FROM loan WHERE status = 'active') RETURNING id`.execute(handle.db);
    // A position changed behind the triggers' back no longer counts the book.
    await sql`UPDATE portfolio_position SET loans = loans + 1 WHERE bucket = 'current'`.execute(handle.db);
    await handle.close();
    const broken = spawnSync(process.execPath, [LENITY, 'verify'], { env: environment, encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(tampered.rows[0]!.id);
    expect(broken.stdout).toMatch(/FAIL the portfolio position equals a count of the book[^\n]*\n\s+\w+ \w+ current: position \d+ loans/);
    expect(broken.stdout).toContain('does NOT verify');
  }, 120_000);

  it('answers bad input with exit 2 and problem details', () => {
    const result = spawnSync(process.execPath, [LENITY, 'seed', '--loans', 'many'], { env: environment, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stderr)).toMatchObject({ code: 'VALIDATION_FAILED', field: '--loans' });
  });
});
