import type { Executor } from '../db/transaction.ts';
import type { ThrottleFacts } from './session-rules.ts';

/** SQL for users, sessions and the login lockout. */

export type UserRow = {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  borrower_id: string | null;
  display_name: string;
  preferred_language: string;
  created_at: Date;
  disabled_at: Date | null;
};

export function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function loadThrottle(db: Executor, username: string): Promise<ThrottleFacts | null> {
  const row = await db.selectFrom('login_throttle').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? { failedCount: row.failed_count, firstFailedAt: row.first_failed_at, lockedUntil: row.locked_until } : null;
}

export async function saveThrottle(db: Executor, username: string, throttle: ThrottleFacts): Promise<void> {
  const values = { failed_count: throttle.failedCount, first_failed_at: throttle.firstFailedAt, locked_until: throttle.lockedUntil };
  await db.insertInto('login_throttle').values({ username, ...values }).onConflict((conflict) => conflict.column('username').doUpdateSet(values)).execute();
}

export async function clearThrottle(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('username', '=', username).execute();
}

export function findSessionByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .select([
      'user_session.id as session_id', 'user_session.csrf_token', 'user_session.created_at', 'user_session.last_seen_at', 'user_session.expires_at',
      'user_session.revoked_at', 'app_user.id as user_id', 'app_user.role', 'app_user.borrower_id', 'app_user.disabled_at',
    ])
    .where('user_session.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function revokeSessionsOfUser(db: Executor, userId: string, at: Date): Promise<void> {
  await db.updateTable('user_session').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

/**
 * Forgets counters that no longer matter (window over, no lockout running), so that guessing at
 * many usernames cannot grow the table without bound.
 */
export async function pruneThrottles(db: Executor, windowStartedBefore: Date, now: Date): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where('first_failed_at', '<=', windowStartedBefore)
    .where((where) => where.or([where('locked_until', 'is', null), where('locked_until', '<=', now)]))
    .execute();
}

/** Deletes a user's sessions that ended long ago; a login keeps each user's list short. */
export async function pruneEndedSessions(db: Executor, userId: string, endedBefore: Date): Promise<void> {
  await db
    .deleteFrom('user_session')
    .where('user_id', '=', userId)
    .where((where) => where.or([where('expires_at', '<', endedBefore), where('revoked_at', '<', endedBefore)]))
    .execute();
}
