import { describe, expect, it } from 'vitest';
import { addMonths, type BusinessDate } from '../shared/business-date.ts';
import { parseAllocationOrder } from './allocation.ts';
import { type InstallmentState, newInstallment, outstandingBalances } from './loan-state.ts';
import { applyReschedule, type LoanEvent, type LoanState, replayLoan, type ReamortizedInstallment, type ServicingRules } from './servicing.ts';

const start = '2026-01-01' as BusinessDate;
const day = (text: string) => text as BusinessDate;

/** Three installments of 100.00 principal and 10.00 interest, due 1 Feb, 1 Mar, 1 Apr. */
function threeInstallments(): InstallmentState[] {
  return [1, 2, 3].map((number) => newInstallment(number, addMonths(start, number - 1), addMonths(start, number), 10_000n, 1_000n));
}

function stateOf(installments: InstallmentState[]): LoanState {
  return { installments, receivedMinor: 0n, overpaymentMinor: 0n, writtenOff: { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n }, writtenOffOn: null };
}

/** A plan from 15 Feb: four installments from 1 May, 75.00 principal and 5.00 interest each. */
const plan: ReamortizedInstallment[] = [0, 1, 2, 3].map((index) => ({
  fromDate: index === 0 ? day('2026-02-15') : addMonths(day('2026-05-01'), index - 1), dueDate: addMonths(day('2026-05-01'), index), principalMinor: 7_500n, interestMinor: 500n,
}));

const rules: ServicingRules = {
  allocationOrder: parseAllocationOrder('penalties-fees-interest-principal'),
  prepaymentMode: 'next-installments', earlyPayoffInterest: 'scheduled', roundingMode: 'half-even',
  reamortize: () => [],
};

describe('reschedules', () => {
  it('closes what was owed at what was paid, moves arrears to the first new installment and numbers the new ones after the last', () => {
    const installments = threeInstallments();
    // The first installment is overdue on 15 Feb with a fee; 30.00 of its principal was paid.
    installments[0]!.principalPaidMinor = 3_000n;
    installments[0]!.feeMinor = 2_000n;
    const state = stateOf(installments);
    applyReschedule(state, day('2026-02-15'), plan);
    expect(state.installments.map((installment) => [installment.number, installment.dueDate, installment.principalMinor, installment.interestMinor, installment.feeMinor, installment.completedOn])).toEqual([
      // Installment 1 keeps what was paid on it and is complete; 2 and 3 had nothing paid and go.
      [1, '2026-02-01', 3_000n, 0n, 0n, '2026-02-15'],
      // 270.00 of principal was owed, the plan carries 300.00: the last row gives up the 30.00 difference.
      [4, '2026-05-01', 7_500n, 1_500n, 2_000n, null],
      [5, '2026-06-01', 7_500n, 500n, 0n, null],
      [6, '2026-07-01', 7_500n, 500n, 0n, null],
      [7, '2026-08-01', 4_500n, 500n, 0n, null],
    ]);
    expect(outstandingBalances(state.installments).principalMinor).toBe(27_000n);
  });

  it.each([
    ['owes more than the rows carry (a reversal): the last row takes it', 0n, [7_500n, 7_500n, 7_500n, 7_500n]],
    ['owes 200.00 less: the last rows give it up, the last first', 20_000n, [7_500n, 2_500n, 0n, 0n]],
  ] as const)('keeps a replay exact when %s', (_name, paidMinor, principals) => {
    const installments = threeInstallments();
    installments[0]!.principalPaidMinor = paidMinor > 10_000n ? 10_000n : paidMinor;
    installments[1]!.principalPaidMinor = paidMinor > 10_000n ? paidMinor - 10_000n : 0n;
    const state = stateOf(installments);
    applyReschedule(state, day('2026-02-15'), plan);
    expect(state.installments.filter((installment) => installment.completedOn === null).map((installment) => installment.principalMinor)).toEqual(principals);
    expect(state.installments.reduce((total, installment) => total + installment.principalMinor, 0n)).toBe(30_000n);
  });

  it.each([
    ['no installments', []],
    ['a due date on the reschedule date', [{ ...plan[0]!, dueDate: day('2026-02-15') }]],
    ['due dates out of order', [plan[1]!, plan[0]!]],
    ['a negative amount', [{ ...plan[0]!, interestMinor: -1n }]],
  ])('refuses %s', (_name, rows) => {
    expect(() => applyReschedule(stateOf(threeInstallments()), day('2026-02-15'), rows as ReamortizedInstallment[])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('refuses a written-off loan', () => {
    const state = { ...stateOf(threeInstallments()), writtenOffOn: day('2026-02-10') };
    expect(() => applyReschedule(state, day('2026-02-15'), plan)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('is replayed at its date: a payment dated before it is applied first, one after it pays the plan', () => {
    const events: LoanEvent[] = [
      { kind: 'reschedule', id: 'rsch_1', date: day('2026-02-15'), sequence: 2, installments: plan },
      { kind: 'payment', id: 'pay_2', date: day('2026-05-01'), sequence: 3, amountMinor: 8_000n },
      { kind: 'payment', id: 'pay_1', date: day('2026-02-01'), sequence: 1, amountMinor: 11_000n },
    ];
    const { state, allocations } = replayLoan(threeInstallments(), events, rules);
    // pay_1 paid installment 1 in full before the plan; the plan then carries 200.00 of principal.
    expect(state.installments.map((installment) => [installment.number, installment.completedOn])).toEqual([
      [1, '2026-02-01'], [4, '2026-05-01'], [5, null], [6, null], [7, null],
    ]);
    expect(state.installments.filter((installment) => installment.number > 3).map((installment) => installment.principalMinor)).toEqual([7_500n, 7_500n, 5_000n, 0n]);
    expect(allocations.get('pay_2')).toMatchObject({ principalMinor: 7_500n, interestMinor: 500n });
  });
});
