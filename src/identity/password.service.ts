import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto): a random 16-byte salt per password, and the cost
 * parameters stored beside the hash so that raising them later leaves old hashes verifiable.
 * A service, not a pure file: it draws random salt and spends CPU.
 */

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  cost: number;
  blockSize: number;
  parallelization: number;
}

/** OWASP's minimum for scrypt (N=2^17 costs 128 MiB per hash; 2^15 keeps a login near 50 ms on small machines). */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };

const KEY_LENGTH_BYTES = 32;
const SALT_LENGTH_BYTES = 16;

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    maxmem: 256 * parameters.cost * parameters.blockSize * parameters.parallelization,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password for storage.
 *
 * @example await hashPassword('correct horse') // 'scrypt$32768$8$1$<salt>$<hash>'
 */
export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS, salt: Buffer = randomBytes(SALT_LENGTH_BYTES)): Promise<string> {
  const key = await derive(password, salt, parameters);
  return ['scrypt', parameters.cost, parameters.blockSize, parameters.parallelization, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether a password matches a stored hash, compared in constant time. A malformed hash never matches.
 *
 * @example await verifyPassword('correct horse', stored) // true
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![cost, blockSize, parallelization].every((value) => Number.isSafeInteger(value) && value > 0)) return false;
  // A stored hash is ours, but a limit keeps a tampered row from asking for gigabytes.
  if (cost > 2 ** 20 || blockSize > 32 || parallelization > 16) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH_BYTES) return false;
  const key = await derive(password, Buffer.from(parts[4]!, 'base64url'), { cost, blockSize, parallelization });
  return timingSafeEqual(key, expected);
}

/**
 * Compares two secrets in constant time (for the CSRF token); different lengths never match.
 *
 * @example secretsEqual('abc', 'abc') // true
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new random token (session cookie, CSRF token): 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
