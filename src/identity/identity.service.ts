import { createHash } from 'node:crypto';
import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { ROLES, ROLE_PERMISSIONS, type Permission, type Role } from '../http/permissions.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { readEnum, readObject, readOptionalString, readString } from '../shared/input.ts';
import { hashPassword, newToken, verifyPassword } from './password.service.ts';
import {
  DEFAULT_SESSION_POLICY, LANGUAGES, type Language, loginAllowedAt, normalizeUsername, passwordProblem, sessionStateAt, type SessionPolicy,
  throttleAfterFailure, USERNAME_PATTERN,
} from './session-rules.ts';
import {
  clearThrottle, findSessionByTokenHash, findUserById, findUserByUsername, loadThrottle, pruneEndedSessions, pruneThrottles, revokeSessionsOfUser, saveThrottle,
  type UserRow,
} from './identity.store.ts';

/** What the API shows of a user: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  borrowerId: string | null;
  displayName: string;
  preferredLanguage: Language;
  createdAt: string;
  disabledAt: string | null;
}

export function formatUser(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    role: row.role as Role,
    borrowerId: row.borrower_id,
    displayName: row.display_name,
    preferredLanguage: row.preferred_language as Language,
    createdAt: row.created_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
  };
}

/** The permissions a role holds, for the web application to show only what the user may use. */
export function permissionsOfRole(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const LOGIN_FAILED = 'The username or password is not correct';
// Verifying against this when the username is unknown makes every failure cost the same time.
const UNKNOWN_USER_HASH = 'scrypt$32768$8$1$bGVuaXR5LXVua25vd24$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Ended sessions stay this long (who was signed in when), then go at the user's next login. */
const ENDED_SESSIONS_KEPT_MS = 30 * 24 * 60 * 60_000;

export interface IdentityServices {
  db: Executor;
  ids: IdGenerator;
  clock: Clock;
  policy?: SessionPolicy;
}

export interface LoginResult {
  user: UserView;
  permissions: Permission[];
  csrfToken: string;
  /** The cookie's secret; only its hash is stored. */
  sessionToken: string;
  expiresAt: string;
}

/**
 * Checks a username and password and opens a session. Every failure (unknown user, wrong password,
 * disabled user) is the same UNAUTHENTICATED answer; repeated failures lock the username out.
 *
 * @example const { sessionToken, csrfToken } = await login(services, { username: 'agent', password: 'lenity-demo' });
 */
export async function login(services: IdentityServices, input: unknown): Promise<LoginResult> {
  const body = readObject(input, '', ['username', 'password']);
  const username = normalizeUsername(readString(body, 'username', '')).slice(0, 64);
  const password = readString(body, 'password', '').slice(0, 1024);
  const policy = services.policy ?? DEFAULT_SESSION_POLICY;
  const now = services.clock.now();
  const throttle = await loadThrottle(services.db, username);
  if (!loginAllowedAt(throttle, now)) {
    throw new LenityError('TOO_MANY_ATTEMPTS', 'Too many failed logins for this username; try again later', { retryAfter: throttle!.lockedUntil!.toISOString() });
  }
  const user = await findUserByUsername(services.db, username);
  const passwordMatches = await verifyPassword(password, user?.password_hash ?? UNKNOWN_USER_HASH);
  if (!user || !passwordMatches || user.disabled_at) {
    await saveThrottle(services.db, username, throttleAfterFailure(throttle, now, policy));
    await pruneThrottles(services.db, new Date(now.getTime() - policy.failureWindowMs), now);
    throw new LenityError('UNAUTHENTICATED', LOGIN_FAILED);
  }
  const sessionToken = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + policy.absoluteLifetimeMs);
  await inTransaction(services.db, async (transaction) => {
    if (throttle) await clearThrottle(transaction, username);
    await pruneEndedSessions(transaction, user.id, new Date(now.getTime() - ENDED_SESSIONS_KEPT_MS));
    await transaction
      .insertInto('user_session')
      .values({ id: services.ids('ses'), user_id: user.id, token_hash: hashSessionToken(sessionToken), csrf_token: csrfToken, created_at: now, last_seen_at: now, expires_at: expiresAt, revoked_at: null })
      .execute();
  });
  const role = user.role as Role;
  return { user: formatUser(user), permissions: permissionsOfRole(role), csrfToken, sessionToken, expiresAt: expiresAt.toISOString() };
}

export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  role: Role;
  borrowerId: string | null;
  csrfToken: string;
}

/** Activity refreshes `last_seen_at` at most this often, so reads do not each write. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * The signed-in user behind a session token, or an UNAUTHENTICATED error when the session is
 * unknown, revoked, expired, idle too long, or its user is disabled.
 *
 * @example const principal = await authenticateSession(services, cookieToken);
 */
export async function authenticateSession(services: IdentityServices, token: string): Promise<SessionPrincipal> {
  const policy = services.policy ?? DEFAULT_SESSION_POLICY;
  const now = services.clock.now();
  const row = await findSessionByTokenHash(services.db, hashSessionToken(token));
  if (!row) throw new LenityError('UNAUTHENTICATED', 'The session is not valid; log in again');
  const state = sessionStateAt({ createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, userDisabledAt: row.disabled_at }, now, policy);
  if (state !== 'active') throw new LenityError('UNAUTHENTICATED', `The session has ended (${state}); log in again`, { reason: state });
  if (now.getTime() - row.last_seen_at.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await services.db.updateTable('user_session').set({ last_seen_at: now }).where('id', '=', row.session_id).execute();
  }
  return { sessionId: row.session_id, userId: row.user_id, role: row.role as Role, borrowerId: row.borrower_id, csrfToken: row.csrf_token };
}

/** Ends a session (logout). */
export async function revokeSession(services: IdentityServices, sessionId: string): Promise<void> {
  await services.db.updateTable('user_session').set({ revoked_at: services.clock.now() }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function getUser(db: Executor, id: string): Promise<UserView> {
  const row = await findUserById(db, id);
  if (!row) throw new LenityError('NOT_FOUND', `User ${id} does not exist`);
  return formatUser(row);
}

function readRole(body: Record<string, unknown>): Role {
  return readEnum(body, 'role', '', ROLES);
}

function checkBorrowerLink(role: Role, borrowerId: string | null): void {
  if ((role === 'borrower') !== Boolean(borrowerId)) {
    throw validationError('borrowerId', 'a borrower user needs a borrower id, and only a borrower user may have one');
  }
}

function readNewPassword(body: Record<string, unknown>): string {
  const password = readString(body, 'password', '');
  const problem = passwordProblem(password);
  if (problem) throw validationError('password', problem);
  return password;
}

/**
 * Creates a user who logs in with a username and password.
 *
 * @example await createUser(services, { username: 'li.na', password: 'a long passphrase', role: 'agent', displayName: '李娜' });
 */
export async function createUser(services: Pick<IdentityServices, 'db' | 'ids'>, input: unknown): Promise<UserView> {
  const body = readObject(input, '', ['username', 'password', 'role', 'displayName', 'preferredLanguage', 'borrowerId']);
  const username = normalizeUsername(readString(body, 'username', ''));
  if (!USERNAME_PATTERN.test(username)) throw validationError('username', 'must be 2 to 63 lower-case letters, digits, dots, dashes or underscores');
  const password = readNewPassword(body);
  const role = readRole(body);
  const borrowerId = readOptionalString(body, 'borrowerId', '');
  checkBorrowerLink(role, borrowerId);
  const displayName = readString(body, 'displayName', '').trim().slice(0, 200);
  const preferredLanguage = readEnum(body, 'preferredLanguage', '', LANGUAGES, 'zh-CN');
  if (borrowerId) {
    const borrower = await services.db.selectFrom('borrower').select('id').where('id', '=', borrowerId).executeTakeFirst();
    if (!borrower) throw validationError('borrowerId', `borrower ${borrowerId} does not exist`);
  }
  if (await findUserByUsername(services.db, username)) throw new LenityError('CONFLICT', `The username "${username}" is taken`, { field: 'username' });
  const id = services.ids('usr');
  await services.db
    .insertInto('app_user')
    .values({ id, username, password_hash: await hashPassword(password), role, borrower_id: borrowerId, display_name: displayName || username, preferred_language: preferredLanguage, disabled_at: null })
    .execute();
  return getUser(services.db, id);
}

/** Users in id order, a page at a time. */
export async function listUsers(db: Executor, page: { cursor: string; limit: number }): Promise<{ items: UserView[]; nextCursor: string | null }> {
  const rows = await db.selectFrom('app_user').selectAll().where('id', '>', page.cursor).orderBy('id').limit(page.limit + 1).execute();
  const items = rows.slice(0, page.limit).map(formatUser);
  return { items, nextCursor: rows.length > page.limit ? items.at(-1)!.id : null };
}

/** Changes a user's role; their sessions end so the new permissions apply at the next login. */
export async function changeUserRole(services: IdentityServices, id: string, input: unknown): Promise<UserView> {
  const body = readObject(input, '', ['role', 'borrowerId']);
  const role = readRole(body);
  const borrowerId = readOptionalString(body, 'borrowerId', '');
  checkBorrowerLink(role, borrowerId);
  await getUser(services.db, id);
  await inTransaction(services.db, async (transaction) => {
    await transaction.updateTable('app_user').set({ role, borrower_id: borrowerId }).where('id', '=', id).execute();
    await revokeSessionsOfUser(transaction, id, services.clock.now());
  });
  return getUser(services.db, id);
}

/** Disables a user: their sessions end and their linked API keys stop working. */
export async function disableUser(services: IdentityServices, id: string): Promise<UserView> {
  const user = await getUser(services.db, id);
  if (user.disabledAt) return user;
  const now = services.clock.now();
  await inTransaction(services.db, async (transaction) => {
    await transaction.updateTable('app_user').set({ disabled_at: now }).where('id', '=', id).execute();
    await revokeSessionsOfUser(transaction, id, now);
  });
  return getUser(services.db, id);
}

/** Sets a new password (by an administrator); the user's sessions end. */
export async function resetPassword(services: IdentityServices, id: string, input: unknown): Promise<UserView> {
  const body = readObject(input, '', ['password']);
  const password = readNewPassword(body);
  await getUser(services.db, id);
  const passwordHash = await hashPassword(password);
  await inTransaction(services.db, async (transaction) => {
    await transaction.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    await revokeSessionsOfUser(transaction, id, services.clock.now());
  });
  return getUser(services.db, id);
}

/** Changes the signed-in user's own preferred language. */
export async function setPreferredLanguage(db: Executor, userId: string, input: unknown): Promise<UserView> {
  const body = readObject(input, '', ['preferredLanguage']);
  const preferredLanguage = readEnum(body, 'preferredLanguage', '', LANGUAGES);
  await db.updateTable('app_user').set({ preferred_language: preferredLanguage }).where('id', '=', userId).execute();
  return getUser(db, userId);
}

/** Lets an API key act as a user, so the person behind it is one agent id by key or by login. */
export async function linkApiKeyToUser(db: Executor, keyId: string, userId: string): Promise<void> {
  await db.updateTable('api_key').set({ user_id: userId }).where('id', '=', keyId).execute();
}
