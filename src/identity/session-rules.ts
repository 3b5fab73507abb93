/**
 * The rules of signing in, as pure decisions: when a session is still good, when a username is
 * locked out, which requests must prove they come from our own pages (CSRF), and what a valid
 * username and password look like. The service supplies the facts and the instant.
 */

export interface SessionPolicy {
  /** A session ends this long after login, however active. */
  absoluteLifetimeMs: number;
  /** A session ends after this long without a request. */
  idleTimeoutMs: number;
  /** Failures within `failureWindowMs` that lock the username out. */
  maximumFailures: number;
  failureWindowMs: number;
  lockoutMs: number;
}

const MINUTE_MS = 60_000;

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  absoluteLifetimeMs: 12 * 60 * MINUTE_MS,
  idleTimeoutMs: 30 * MINUTE_MS,
  maximumFailures: 5,
  failureWindowMs: 15 * MINUTE_MS,
  lockoutMs: 15 * MINUTE_MS,
};

export interface SessionFacts {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userDisabledAt: Date | null;
}

export type SessionState = 'active' | 'revoked' | 'user-disabled' | 'expired' | 'idle';

/**
 * Whether a session may still be used at `now`, and if not, why (first reason in precedence order).
 *
 * @example sessionStateAt(facts, new Date('2026-01-05T03:00:00Z'), DEFAULT_SESSION_POLICY) // 'active'
 */
export function sessionStateAt(session: SessionFacts, now: Date, policy: SessionPolicy): SessionState {
  if (session.revokedAt && session.revokedAt <= now) return 'revoked';
  if (session.userDisabledAt && session.userDisabledAt <= now) return 'user-disabled';
  if (now >= session.expiresAt) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.idleTimeoutMs) return 'idle';
  return 'active';
}

export interface ThrottleFacts {
  failedCount: number;
  firstFailedAt: Date;
  lockedUntil: Date | null;
}

/**
 * Whether a login attempt for a username may be checked at all at `now`.
 *
 * @example loginAllowedAt(null, now) // true: no failures recorded
 */
export function loginAllowedAt(throttle: ThrottleFacts | null, now: Date): boolean {
  return !throttle?.lockedUntil || throttle.lockedUntil <= now;
}

/**
 * The counter after one more failed login: failures outside the window start a new count, and the
 * count reaching the maximum locks the username until `now + lockoutMs`.
 *
 * @example throttleAfterFailure(null, now, DEFAULT_SESSION_POLICY) // { failedCount: 1, firstFailedAt: now, lockedUntil: null }
 */
export function throttleAfterFailure(throttle: ThrottleFacts | null, now: Date, policy: SessionPolicy): ThrottleFacts {
  // A lockout that has run its course wipes the slate: the next failure is the first again.
  const windowOpen = throttle !== null && throttle.lockedUntil === null && now.getTime() - throttle.firstFailedAt.getTime() < policy.failureWindowMs;
  const failedCount = windowOpen ? throttle.failedCount + 1 : 1;
  const firstFailedAt = windowOpen ? throttle.firstFailedAt : now;
  const lockedUntil = failedCount >= policy.maximumFailures ? new Date(now.getTime() + policy.lockoutMs) : null;
  return { failedCount, firstFailedAt, lockedUntil };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request authenticated by the session cookie that may change something must carry the CSRF
 * token; API keys travel in a header a foreign page cannot set, so they need none.
 *
 * @example csrfTokenRequired('POST', 'session') // true
 */
export function csrfTokenRequired(method: string, authenticatedBy: 'session' | 'api-key'): boolean {
  return authenticatedBy === 'session' && !SAFE_METHODS.has(method.toUpperCase());
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;
export const PASSWORD_MINIMUM_LENGTH = 8;
export const PASSWORD_MAXIMUM_LENGTH = 256;

/** Usernames are compared lower-cased, so `Admin` and `admin` are one person. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/**
 * Why a new password is refused, or null when it is acceptable (length only: NIST SP 800-63B
 * advises against composition rules).
 *
 * @example passwordProblem('short') // 'must have at least 8 characters'
 */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MINIMUM_LENGTH) return `must have at least ${PASSWORD_MINIMUM_LENGTH} characters`;
  if (length > PASSWORD_MAXIMUM_LENGTH) return `must have at most ${PASSWORD_MAXIMUM_LENGTH} characters`;
  return null;
}

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
