import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { judgePromise, type PromiseToPay } from './promise.ts';

const date = (text: string) => text as BusinessDate;
const single: PromiseToPay = { id: 'ptp_1', instalments: [{ dueOn: date('2026-03-10'), amountMinor: 50_000n }], toleranceMinor: 100n, graceDays: 1 };
const three: PromiseToPay = {
  id: 'ptp_2',
  instalments: [
    { dueOn: date('2026-03-10'), amountMinor: 20_000n },
    { dueOn: date('2026-03-17'), amountMinor: 20_000n },
    { dueOn: date('2026-03-24'), amountMinor: 20_000n },
  ],
  toleranceMinor: 0n,
  graceDays: 0,
};
const pay = (paidOn: string, amountMinor: bigint) => ({ paidOn: date(paidOn), amountMinor });

// In precedence order: promise, payments, judgement date, expected verdict.
const cases: Array<[string, PromiseToPay, ReturnType<typeof pay>[], string, string]> = [
  ['nothing paid before the due date', single, [], '2026-03-09', 'pending'],
  ['nothing paid on the due date (grace remains)', single, [], '2026-03-10', 'pending'],
  ['nothing paid after grace', single, [], '2026-03-12', 'broken'],
  ['paid in full on time', single, [pay('2026-03-10', 50_000n)], '2026-03-12', 'kept'],
  ['paid within grace', single, [pay('2026-03-11', 50_000n)], '2026-03-12', 'kept'],
  ['short by less than the tolerance', single, [pay('2026-03-10', 49_950n)], '2026-03-12', 'kept'],
  ['short by more than the tolerance', single, [pay('2026-03-10', 40_000n)], '2026-03-12', 'partly-kept'],
  ['paid after grace does not count', single, [pay('2026-03-13', 50_000n)], '2026-03-13', 'broken'],
  ['a payment after the judgement date does not count', single, [pay('2026-03-11', 50_000n)], '2026-03-10', 'pending'],
  ['instalments: first paid, second not yet due', three, [pay('2026-03-10', 20_000n)], '2026-03-12', 'pending'],
  ['instalments: second missed', three, [pay('2026-03-10', 20_000n)], '2026-03-18', 'broken'],
  ['instalments: second short', three, [pay('2026-03-10', 20_000n), pay('2026-03-17', 5_000n)], '2026-03-18', 'partly-kept'],
  ['instalments: one payment covers two', three, [pay('2026-03-10', 40_000n)], '2026-03-18', 'pending'],
  ['instalments: all kept', three, [pay('2026-03-10', 20_000n), pay('2026-03-17', 20_000n), pay('2026-03-24', 20_000n)], '2026-03-25', 'kept'],
];

describe('judgePromise', () => {
  it.each(cases)('%s', (_, promise, payments, on, verdict) => {
    expect(judgePromise(promise, payments, date(on)).verdict).toBe(verdict);
  });

  it('reports paid and promised amounts in minor units', () => {
    const judgement = judgePromise(three, [pay('2026-03-10', 25_000n)], date('2026-03-11'));
    expect(judgement.paidMinor).toBe(25_000n);
    expect(judgement.promisedMinor).toBe(60_000n);
    expect(judgement.instalments.map((instalment) => instalment.paidMinor)).toEqual([20_000n, 5_000n, 0n]);
  });

  it('refuses promises beyond its limits', () => {
    expect(() => judgePromise({ ...single, instalments: [] }, [], date('2026-03-10'))).toThrow(RangeError);
    expect(() => judgePromise({ ...single, graceDays: 30 }, [], date('2026-03-10'))).toThrow(RangeError);
  });
});
