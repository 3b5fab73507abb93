import { describe, expect, it } from 'vitest';
import { ONE, formatFixed } from '../shared/decimal.ts';
import { annualPercentageRate, effectiveAnnualRate, exponentialFixed, naturalLogarithmFixed } from './apr.ts';

describe('apr', () => {
  it('finds 1% a month for 12 payments of the 1% annuity', () => {
    const payments = Array.from({ length: 12 }, (_, index) => ({ amountMinor: 88849n, timeInPeriods: BigInt(index + 1) * ONE }));
    expect(formatFixed(annualPercentageRate({ amountFinancedMinor: 1_000_000n, payments, periodsPerYear: 12n * ONE }), 2)).toBe('12.00');
  });

  it('rises when an upfront fee reduces the amount financed', () => {
    const payments = Array.from({ length: 12 }, (_, index) => ({ amountMinor: 88849n, timeInPeriods: BigInt(index + 1) * ONE }));
    const withFee = annualPercentageRate({ amountFinancedMinor: 980_000n, payments, periodsPerYear: 12n * ONE });
    expect(formatFixed(withFee, 2)).toBe('15.85');
  });

  it('computes effective rates for whole and fractional periods per year', () => {
    expect(formatFixed(effectiveAnnualRate(ONE / 100n, 12n * ONE) * 100n, 2)).toBe('12.68');
    expect(formatFixed(effectiveAnnualRate((ONE * 12n) / 36500n * 7n, (365n * ONE) / 7n) * 100n, 4)).toBe('12.7341');
  });

  it('has exp and ln that invert each other', () => {
    expect(formatFixed(exponentialFixed(naturalLogarithmFixed(3n * ONE)), 20)).toBe('3.00000000000000000000');
  });
});
