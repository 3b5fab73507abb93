import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { newInstallment } from './loan-state.ts';
import { nextEventAfterChange } from './ageing.ts';

const day = (text: string) => text as BusinessDate;
// 250.00 due on the 1st of each month from October.
function installments(paidNumbers: number[]) {
  return ['2023-10-01', '2023-11-01', '2023-12-01'].map((due, index) => {
    const installment = newInstallment(index + 1, day('2023-09-01'), day(due), 25000n, 0n);
    if (paidNumbers.includes(index + 1)) installment.principalPaidMinor = 25000n;
    return installment;
  });
}

describe('nextEventAfterChange', () => {
  // name, business date of the change, installments paid after it, status → next event date
  const table: Array<[string, string, number[], string, string | null]> = [
    ['a current loan: its next due date', '2023-09-20', [], 'active', '2023-10-01'],
    ['paid on the due date: the next due date', '2023-10-01', [1], 'active', '2023-11-01'],
    ['unpaid on its due date: that night (the due event)', '2023-10-01', [], 'active', '2023-10-01'],
    ['still overdue after a partial catch-up: that night', '2023-11-10', [1], 'active', '2023-11-10'],
    ['brought back to current by a late payment: the next due date, no visit that night', '2023-11-10', [1, 2], 'active', '2023-12-01'],
    ['everything paid: no event', '2023-12-05', [1, 2, 3], 'active', null],
    ['charged off: no scheduled event', '2023-11-10', [], 'charged-off', null],
  ];
  for (const [name, businessDate, paid, status, expected] of table) {
    it(name, () => {
      expect(nextEventAfterChange({ installments: installments(paid), businessDate: day(businessDate), status })).toBe(expected);
    });
  }
});
