import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { certificationStatus } from './certification-status.ts';

const TODAY = '2026-03-10' as BusinessDate;

describe('certificationStatus', () => {
  it.each([
    ['revoked wins over a future expiry', '2027-01-01', true, 'revoked'],
    ['revoked wins over a past expiry', '2026-01-01', true, 'revoked'],
    ['no expiry date stays valid', null, false, 'valid'],
    ['expired yesterday', '2026-03-09', false, 'expired'],
    ['expires today: still certifies, flagged', '2026-03-10', false, 'expiring'],
    ['expires in exactly 30 days: flagged', '2026-04-09', false, 'expiring'],
    ['expires in 31 days: valid', '2026-04-10', false, 'valid'],
  ] as const)('%s', (_name, expiresOn, revoked, expected) => {
    expect(certificationStatus({ expiresOn, revoked }, TODAY)).toBe(expected);
  });
});
