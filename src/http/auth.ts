import { createHash, randomBytes } from 'node:crypto';
import { LenityError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Executor } from '../db/transaction.ts';
import { ROLES, type Role } from './permissions.ts';

/** Who is calling: the role and, for a borrower, whose records they may see. */
export interface Principal {
  /**
   * The acting id: the user's id when a person is behind the call (a session, or a key linked to a
   * user), else the key's id. Collections uses it as the agent id, so one person is one agent
   * whichever way they sign in.
   */
  keyId: string;
  role: Role;
  borrowerId: string | null;
  /** The signed-in or linked user, if any. */
  userId?: string | null;
  /** The API key used, if the call came with one. */
  apiKeyId?: string | null;
  /** The session used, if the call came with the session cookie. */
  sessionId?: string | null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Creates an API key and returns its secret once; only the hash is stored.
 *
 * @example const { key } = await createApiKey(db, ids, { name: 'ops', role: 'admin' });
 */
export async function createApiKey(
  db: Executor,
  ids: IdGenerator,
  options: { name: string; role: Role; borrowerId?: string | null; secret?: string; userId?: string | null },
): Promise<{ id: string; key: string }> {
  if (!ROLES.includes(options.role)) throw new LenityError('VALIDATION_FAILED', `Unknown role "${options.role}"`, { field: 'role' });
  if ((options.role === 'borrower') !== Boolean(options.borrowerId)) {
    throw new LenityError('VALIDATION_FAILED', 'A borrower key needs a borrower id, and only a borrower key may have one', { field: 'borrowerId' });
  }
  const id = ids('key');
  const key = options.secret ?? `lnty_${randomBytes(24).toString('base64url')}`;
  await db
    .insertInto('api_key')
    .values({ id, key_hash: hashApiKey(key), name: options.name, role: options.role, borrower_id: options.borrowerId ?? null, user_id: options.userId ?? null, revoked_at: null })
    .execute();
  return { id, key };
}

/** Reads the key from `Authorization: Bearer …` or `X-Api-Key`. */
export function apiKeyFromHeaders(headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7).trim() || null;
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}

export async function authenticate(db: Executor, key: string | null): Promise<Principal> {
  if (!key) throw new LenityError('UNAUTHENTICATED', 'An API key is required (Authorization: Bearer <key>)');
  const row = await db
    .selectFrom('api_key')
    .leftJoin('app_user', 'app_user.id', 'api_key.user_id')
    .select(['api_key.id', 'api_key.role', 'api_key.borrower_id', 'api_key.user_id', 'app_user.disabled_at'])
    .where('api_key.key_hash', '=', hashApiKey(key))
    .where('api_key.revoked_at', 'is', null)
    .executeTakeFirst();
  // A key acting for a disabled user stops working with the user.
  if (!row || row.disabled_at) throw new LenityError('UNAUTHENTICATED', 'The API key is not valid or has been revoked');
  return { keyId: row.user_id ?? row.id, role: row.role as Role, borrowerId: row.borrower_id, userId: row.user_id, apiKeyId: row.id, sessionId: null };
}

/**
 * A borrower key sees only its own borrower's records; others are reported as not found so that a
 * borrower cannot learn which ids exist.
 */
export function assertCanSeeBorrower(principal: Principal, borrowerId: string, what = 'resource'): void {
  if (principal.role === 'borrower' && principal.borrowerId !== borrowerId) {
    throw new LenityError('NOT_FOUND', `The ${what} does not exist or is not visible to this key`);
  }
}
