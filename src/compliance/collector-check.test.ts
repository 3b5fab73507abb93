import { describe, expect, it } from 'vitest';
import { checkAgencyAssignable, checkCollectorMayContact, type CollectorCertification } from './collector-check.ts';

const DAY_MS = 86_400_000;
const AT_MS = Date.parse('2026-05-12T02:00:00Z');
const certificate = (extra: Partial<CollectorCertification> = {}): CollectorCertification => ({
  collectorId: 'c1', jurisdiction: 'CN', channels: ['call', 'sms'], issuedAtMs: AT_MS - 100 * DAY_MS, expiresAtMs: null, revoked: false, ...extra,
});

describe('checkCollectorMayContact (CN-12)', () => {
  it.each([
    ['a current certificate for the jurisdiction and channel', [certificate()], 'call', true],
    ['no certificate', [], 'call', false],
    ['a certificate for another channel', [certificate()], 'visit', false],
    ['a certificate for another jurisdiction', [certificate({ jurisdiction: 'UK' })], 'call', false],
    ['an expired certificate', [certificate({ expiresAtMs: AT_MS })], 'call', false],
    ['a revoked certificate', [certificate({ revoked: true })], 'call', false],
    ['a certificate older than a year (retraining is yearly)', [certificate({ issuedAtMs: AT_MS - 365 * DAY_MS })], 'call', false],
    ['a certificate issued in the future', [certificate({ issuedAtMs: AT_MS + DAY_MS })], 'call', false],
  ] as const)('%s', (_name, certifications, channel, allowed) => {
    const result = checkCollectorMayContact({ collectorId: 'c1', jurisdiction: 'CN', channel, atMs: AT_MS, certifications });
    expect(result.allowed).toBe(allowed);
    if (!allowed) expect(result.reasons[0]).toMatchObject({ code: 'COLLECTOR_NOT_CERTIFIED', rule: 'CN-12' });
  });

  it('a US certification has no yearly age limit but must still be current', () => {
    const old = certificate({ jurisdiction: 'US', issuedAtMs: AT_MS - 800 * DAY_MS });
    expect(checkCollectorMayContact({ collectorId: 'c1', jurisdiction: 'US', channel: 'call', atMs: AT_MS, certifications: [old] }).allowed).toBe(true);
    expect(checkCollectorMayContact({ collectorId: 'c1', jurisdiction: 'US-MA', channel: 'call', atMs: AT_MS, certifications: [old] }).allowed).toBe(false);
  });
});

describe('checkAgencyAssignable (CN-11)', () => {
  it.each([
    ['evaluated and passed 200 days ago', [{ agencyId: 'a1', evaluatedAtMs: AT_MS - 200 * DAY_MS, passed: true }], true],
    ['never evaluated', [], false],
    ['last evaluated 366 days ago', [{ agencyId: 'a1', evaluatedAtMs: AT_MS - 366 * DAY_MS, passed: true }], false],
    ['evaluated exactly 365 days ago has lapsed', [{ agencyId: 'a1', evaluatedAtMs: AT_MS - 365 * DAY_MS, passed: true }], false],
    ['the latest evaluation failed', [{ agencyId: 'a1', evaluatedAtMs: AT_MS - 400 * DAY_MS, passed: true }, { agencyId: 'a1', evaluatedAtMs: AT_MS - 10 * DAY_MS, passed: false }], false],
    ["another agency's evaluation does not count", [{ agencyId: 'a2', evaluatedAtMs: AT_MS - 10 * DAY_MS, passed: true }], false],
  ] as const)('%s', (_name, evaluations, allowed) => {
    const result = checkAgencyAssignable({ agencyId: 'a1', jurisdiction: 'CN', atMs: AT_MS, evaluations });
    expect(result.allowed).toBe(allowed);
    if (!allowed) expect(result.reasons[0]).toMatchObject({ code: 'AGENCY_EVALUATION_LAPSED', rule: 'CN-11' });
  });

  it('packs without a yearly evaluation rule allow assignment', () => {
    expect(checkAgencyAssignable({ agencyId: 'a1', jurisdiction: 'UK', atMs: AT_MS, evaluations: [] }).allowed).toBe(true);
  });
});
