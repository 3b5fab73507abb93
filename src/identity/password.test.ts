import { describe, expect, it } from 'vitest';
import { hashPassword, secretsEqual, verifyPassword } from './password.service.ts';

// Cheap parameters keep the test fast; the format and the checks are the same as in production.
const FAST = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

describe('password hashing (scrypt)', () => {
  it('stores the parameters and a random salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse battery', FAST);
    const second = await hashPassword('correct horse battery', FAST);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse battery', second)).toBe(true);
    expect(await verifyPassword('correct horse batterY', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('is deterministic for a given salt and treats NFC and NFD spellings as one password', async () => {
    const salt = Buffer.alloc(16, 7);
    const composed = await hashPassword('caf\u00e9 密码 1234', FAST, salt);
    expect(await hashPassword('caf\u00e9 密码 1234', FAST, salt)).toBe(composed);
    expect(await verifyPassword('cafe\u0301 密码 1234', composed)).toBe(true);
  });

  const malformed: Array<[string, string]> = [
    ['another scheme', 'bcrypt$10$abc'],
    ['missing parts', 'scrypt$1024$8$1$salt'],
    ['non-numeric cost', 'scrypt$x$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['absurd cost', 'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['short hash', 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'],
  ];
  it.each(malformed)('never matches a malformed hash: %s', async (_name, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
  });

  const comparisons: Array<[string, string, boolean]> = [['abc', 'abc', true], ['abc', 'abd', false], ['abc', 'abcd', false], ['', '', true], ['', 'a', false]];
  it.each(comparisons)('secretsEqual(%j, %j) = %s', (given, expected, result) => {
    expect(secretsEqual(given, expected)).toBe(result);
  });
});
