import { describe, expect, it } from 'vitest';
import {
  csrfTokenRequired, DEFAULT_SESSION_POLICY, loginAllowedAt, passwordProblem, sessionStateAt, throttleAfterFailure, type SessionFacts,
} from './session-rules.ts';

const at = (iso: string) => new Date(iso);
const policy = DEFAULT_SESSION_POLICY; // 12 h lifetime, 30 min idle, 5 failures in 15 min lock for 15 min

describe('sessionStateAt', () => {
  const base: SessionFacts = {
    createdAt: at('2026-01-05T00:00:00Z'), lastSeenAt: at('2026-01-05T01:00:00Z'), expiresAt: at('2026-01-05T12:00:00Z'), revokedAt: null, userDisabledAt: null,
  };
  // Rows in precedence order: revoked, then user disabled, then expired, then idle.
  const cases: Array<[string, Partial<SessionFacts>, string, string]> = [
    ['fresh activity', {}, '2026-01-05T01:10:00Z', 'active'],
    ['just under the idle limit', {}, '2026-01-05T01:29:59Z', 'active'],
    ['idle exactly 30 minutes', {}, '2026-01-05T01:30:00Z', 'idle'],
    ['past the absolute lifetime though active', { lastSeenAt: at('2026-01-05T11:59:00Z') }, '2026-01-05T12:00:00Z', 'expired'],
    ['revoked (logout)', { revokedAt: at('2026-01-05T01:05:00Z') }, '2026-01-05T01:10:00Z', 'revoked'],
    ['revoked wins over expired', { revokedAt: at('2026-01-05T01:05:00Z') }, '2026-01-06T00:00:00Z', 'revoked'],
    ['user disabled', { userDisabledAt: at('2026-01-05T01:05:00Z') }, '2026-01-05T01:10:00Z', 'user-disabled'],
    ['disabled in the future is not yet disabled', { userDisabledAt: at('2026-01-05T02:00:00Z') }, '2026-01-05T01:10:00Z', 'active'],
  ];
  it.each(cases)('%s', (_name, overrides, now, expected) => {
    expect(sessionStateAt({ ...base, ...overrides }, at(now), policy)).toBe(expected);
  });
});

describe('login lockout', () => {
  it('locks the username on the fifth failure within the window, and only until the lockout ends', () => {
    let throttle = null as ReturnType<typeof throttleAfterFailure> | null;
    for (let minute = 0; minute < 4; minute++) {
      throttle = throttleAfterFailure(throttle, at(`2026-01-05T01:0${minute}:00Z`), policy);
      expect(throttle.lockedUntil).toBeNull();
      expect(loginAllowedAt(throttle, at(`2026-01-05T01:0${minute}:30Z`))).toBe(true);
    }
    throttle = throttleAfterFailure(throttle, at('2026-01-05T01:04:00Z'), policy);
    expect(throttle.failedCount).toBe(5);
    expect(throttle.lockedUntil).toEqual(at('2026-01-05T01:19:00Z'));
    expect(loginAllowedAt(throttle, at('2026-01-05T01:18:59Z'))).toBe(false);
    expect(loginAllowedAt(throttle, at('2026-01-05T01:19:00Z'))).toBe(true);
  });

  const cases: Array<[string, { failedCount: number; firstFailedAt: string; lockedUntil: string | null } | null, string, number, boolean]> = [
    ['first failure', null, '2026-01-05T01:00:00Z', 1, false],
    ['inside the window counts on', { failedCount: 2, firstFailedAt: '2026-01-05T01:00:00Z', lockedUntil: null }, '2026-01-05T01:14:59Z', 3, false],
    ['outside the window starts again', { failedCount: 4, firstFailedAt: '2026-01-05T01:00:00Z', lockedUntil: null }, '2026-01-05T01:15:00Z', 1, false],
    ['after a lockout ends the count starts again', { failedCount: 5, firstFailedAt: '2026-01-05T01:00:00Z', lockedUntil: '2026-01-05T01:05:00Z' }, '2026-01-05T01:06:00Z', 1, false],
    ['fourth to fifth locks', { failedCount: 4, firstFailedAt: '2026-01-05T01:00:00Z', lockedUntil: null }, '2026-01-05T01:01:00Z', 5, true],
  ];
  it.each(cases)('%s', (_name, before, now, count, locked) => {
    const facts = before && { failedCount: before.failedCount, firstFailedAt: at(before.firstFailedAt), lockedUntil: before.lockedUntil ? at(before.lockedUntil) : null };
    const after = throttleAfterFailure(facts, at(now), policy);
    expect(after.failedCount).toBe(count);
    expect(after.lockedUntil !== null).toBe(locked);
  });
});

describe('csrfTokenRequired', () => {
  const cases: Array<[string, 'session' | 'api-key', boolean]> = [
    ['GET', 'session', false], ['HEAD', 'session', false], ['OPTIONS', 'session', false],
    ['POST', 'session', true], ['PUT', 'session', true], ['PATCH', 'session', true], ['DELETE', 'session', true], ['post', 'session', true],
    ['POST', 'api-key', false], ['DELETE', 'api-key', false],
  ];
  it.each(cases)('%s by %s → %s', (method, by, expected) => {
    expect(csrfTokenRequired(method, by)).toBe(expected);
  });
});

describe('passwordProblem', () => {
  const cases: Array<[string, string | null]> = [
    ['1234567', 'must have at least 8 characters'],
    ['12345678', null],
    ['密码密码密码密码', null],
    ['x'.repeat(257), 'must have at most 256 characters'],
  ];
  it.each(cases)('%j', (password, expected) => {
    expect(passwordProblem(password)).toBe(expected);
  });
});
