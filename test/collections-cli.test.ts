import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_POSTGRES_PASS } from './support/database.ts';

const LENITY = join(process.cwd(), 'bin', 'lenity.js');

/** `lenity collections run` as an operator runs it after `lenity eod`, on an embedded database. */
describe.skipIf(IN_POSTGRES_PASS)('lenity collections run', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lenity-collections-'));
  const environment = { ...process.env, LENITY_DATA: join(dataDir, 'data'), DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs a date, prints its summary, adds nothing when run again, and refuses a bad date', () => {
    const first = spawnSync(process.execPath, [LENITY, 'collections', 'run', '--date', '2026-03-10', '--json'], { env: environment, encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ businessDate: '2026-03-10', casesOpened: 0, messagesQueued: 0 });
    const again = spawnSync(process.execPath, [LENITY, 'collections', 'run', '--date', '2026-03-10'], { env: environment, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('2026-03-10: 0 events, 0 cases opened');
    const bad = spawnSync(process.execPath, [LENITY, 'collections', 'run', '--date', '2026-02-30'], { env: environment, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stderr)).toMatchObject({ field: '--date' });
  }, 60_000);

  it('prints the effectiveness report as JSON', () => {
    const result = spawnSync(process.execPath, [LENITY, 'report', 'effectiveness', '--from', '2026-03-01', '--to', '2026-03-31', '--json'], { env: environment, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ from: '2026-03-01', to: '2026-03-31', attributionDays: 30, rows: [] });
  }, 60_000);
});
