import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { newInstallment } from '../lending/loan-state.ts';
import { classifyDelinquency, pausedDaysWithin, pausesOverlap, type AgeingPause } from './classification.ts';

const day = (text: string) => text as BusinessDate;
const RANGES = [
  { code: 'R1', minDays: 1, maxDays: 3 },
  { code: 'R3', minDays: 4, maxDays: 30 },
  { code: 'R30', minDays: 31, maxDays: null },
];
// 25% down payment on 2023-10-01, then 250.00 every 15 days.
function installments(paidNumbers: number[] = []) {
  return ['2023-10-01', '2023-10-16', '2023-10-31', '2023-11-15'].map((due, index) => {
    const installment = newInstallment(index + 1, day('2023-10-01'), day(due), 25000n, 0n);
    if (paidNumbers.includes(index + 1)) installment.principalPaidMinor = 25000n;
    return installment;
  });
}

describe('classifyDelinquency', () => {
  // name, business date, paid installments, grace, pauses → pastDueDays, delinquentDays, range, installment ranges
  const table: Array<[string, string, number[], number, AgeingPause[], number, number, string | null, Array<[string, bigint]>]> = [
    ['nothing due yet on the disbursement date (down payment due today)', '2023-10-01', [], 3, [], 0, 0, null, []],
    ['within the grace', '2023-10-04', [], 3, [], 3, 0, null, []],
    ['first delinquent day', '2023-10-05', [], 3, [], 4, 1, 'R1', [['R3', 25000n]]],
    ['two installments overdue', '2023-10-25', [], 3, [], 24, 21, 'R3', [['R3', 50000n]]],
    ['oldest paid: the next one counts', '2023-10-26', [1], 3, [], 10, 7, 'R3', [['R3', 25000n]]],
    ['all paid', '2023-12-01', [1, 2, 3, 4], 3, [], 0, 0, null, []],
    ['paused days inside the overdue span', '2023-10-25', [], 3, [{ from: day('2023-10-16'), until: day('2023-10-20') }], 24, 17, 'R3', [['R3', 50000n]]],
    ['open pause up to today', '2023-10-25', [], 0, [{ from: day('2023-10-05'), until: null }], 24, 4, 'R3', [['R3', 25000n]]],
    ['pause before the due date does not count', '2023-10-25', [1], 3, [{ from: day('2023-10-01'), until: day('2023-10-10') }], 9, 6, 'R3', [['R3', 25000n]]],
    ['no grace and a long arrear', '2023-12-20', [], 0, [], 80, 80, 'R30', [['R30', 100000n]]],
  ];
  for (const [name, businessDate, paid, grace, pauses, pastDueDays, delinquentDays, range, perRange] of table) {
    it(name, () => {
      const result = classifyDelinquency({ installments: installments(paid), businessDate: day(businessDate), agingGraceDays: grace, ranges: RANGES, pauses });
      expect(result).toEqual({ pastDueDays, delinquentDays, range, installmentRanges: perRange.map(([code, amountMinor]) => ({ range: code, amountMinor })) });
    });
  }
});

describe('pauses', () => {
  it('counts the overlap of half-open intervals', () => {
    expect(pausedDaysWithin([{ from: day('2023-10-16'), until: day('2023-10-30') }], day('2023-10-01'), day('2023-10-20'))).toBe(4);
    expect(pausedDaysWithin([{ from: day('2025-06-17'), until: day('2025-08-19') }], day('2025-05-28'), day('2025-10-31'))).toBe(63);
    expect(pausedDaysWithin([{ from: day('2023-11-01'), until: null }], day('2023-10-01'), day('2023-10-20'))).toBe(0);
  });
  it('detects overlap, touching ends do not overlap', () => {
    expect(pausesOverlap({ from: day('2023-10-01'), until: day('2023-10-10') }, { from: day('2023-10-10'), until: null })).toBe(false);
    expect(pausesOverlap({ from: day('2023-10-01'), until: null }, { from: day('2023-12-10'), until: day('2023-12-11') })).toBe(true);
  });
});
