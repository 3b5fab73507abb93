import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import { createMemoryIo } from '../src/cli/io.ts';
import { IN_POSTGRES_PASS } from './support/database.ts';

/** `lenity users …` as an operator creates the first administrator of a new installation (in process: one database open per command). */
describe.skipIf(IN_POSTGRES_PASS)('lenity users', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lenity-users-'));
  const environment = { ...process.env, LENITY_DATA: join(dataDir, 'data'), DATABASE_URL: '' };
  const run = async (args: string[], input = '') => {
    const io = createMemoryIo(input);
    const status = await main(['users', ...args], { io, environment });
    return { status, stdout: io.out, stderr: io.err };
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a user with the password from standard input, lists, resets and disables them', async () => {
    const created = await run(['create', '--username', 'Chief', '--role', 'admin', '--display-name', '首席管理员'], 'a first admin passphrase\n');
    expect(created.status, created.stderr).toBe(0);
    const user = JSON.parse(created.stdout);
    expect(user).toMatchObject({ username: 'chief', role: 'admin', displayName: '首席管理员', preferredLanguage: 'zh-CN', disabledAt: null });
    expect(created.stdout).not.toContain('passphrase');

    const listed = await run(['list']);
    expect(listed.stdout.trim().split('\n').map((line) => JSON.parse(line).username)).toEqual(['chief']);

    expect((await run(['password', user.id], 'a second passphrase\n')).status).toBe(0);
    const disabled = await run(['disable', user.id]);
    expect(disabled.status).toBe(0);
    expect(JSON.parse(disabled.stdout).disabledAt).not.toBeNull();
  });

  it('refuses a missing password, a short one, a taken username and an unknown role with exit 2', async () => {
    const cases: Array<[string[], string, string]> = [
      [['create', '--username', 'nopass', '--role', 'agent'], '', 'password'],
      [['create', '--username', 'short', '--role', 'agent'], 'short\n', 'password'],
      [['create', '--username', 'chief', '--role', 'agent'], 'long enough password\n', 'username'],
      [['create', '--username', 'king', '--role', 'king'], 'long enough password\n', 'role'],
    ];
    for (const [args, input, field] of cases) {
      const result = await run(args, input);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(JSON.parse(result.stderr).field).toBe(field);
    }
  });
});
