import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, addMonths, type BusinessDate } from '../shared/business-date.ts';
import { parseAllocationOrder, allocationTotal, type Allocation } from './allocation.ts';
import { type InstallmentState, ledgerPosition, newInstallment, outstandingBalances, positionChangeEntry } from './loan-state.ts';
import {
  applyPayment,
  cloneLoanState,
  type LoanEvent,
  type LoanState,
  payoffQuote,
  type PrepaymentMode,
  replayLoan,
  type ServicingRules,
  type ReamortizationRequest,
} from './servicing.ts';
import { divideRounded } from '../shared/rounding.ts';

const start = '2026-01-01' as BusinessDate;

/** A test schedule: equal principal, a flat 1% of the balance as interest each month. */
function schedule(principalMinor: bigint, count: number): InstallmentState[] {
  const rows: InstallmentState[] = [];
  let balance = principalMinor;
  for (let index = 0; index < count; index++) {
    const principal = index === count - 1 ? balance : divideRounded(principalMinor, BigInt(count), 'down');
    rows.push(newInstallment(index + 1, addMonths(start, index), addMonths(start, index + 1), principal, divideRounded(balance, 100n, 'half-even')));
    balance -= principal;
  }
  return rows;
}

/** Re-amortisation for tests: same 1%-of-balance interest, equal principal over the periods kept. */
function reamortize(request: ReamortizationRequest) {
  const count = request.mode === 'reduce-installment'
    ? request.remainingDueDates.length
    : Math.max(1, Math.min(request.remainingDueDates.length, Number(divideRounded(request.outstandingPrincipalMinor, request.currentInstallmentMinor > 0n ? request.currentInstallmentMinor : 1n, 'up'))));
  const rows = [];
  let balance = request.outstandingPrincipalMinor;
  let fromDate = request.fromDate;
  for (let index = 0; index < count; index++) {
    const principal = index === count - 1 ? balance : divideRounded(request.outstandingPrincipalMinor, BigInt(count), 'down');
    const dueDate = request.remainingDueDates[index]!;
    rows.push({ fromDate, dueDate, principalMinor: principal, interestMinor: divideRounded(balance, 100n, 'half-even') });
    balance -= principal;
    fromDate = dueDate;
  }
  return rows;
}

function rules(prepaymentMode: PrepaymentMode = 'next-installments', earlyPayoffInterest: 'scheduled' | 'accrued' = 'scheduled'): ServicingRules {
  return { allocationOrder: parseAllocationOrder('penalties-fees-interest-principal'), prepaymentMode, earlyPayoffInterest, roundingMode: 'half-even', reamortize };
}

function freshState(principalMinor = 120000n, count = 12): LoanState {
  return { installments: schedule(principalMinor, count), receivedMinor: 0n, overpaymentMinor: 0n, writtenOff: { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n }, writtenOffOn: null };
}

describe('applyPayment', () => {
  it.each([
    // [description, amount, date, expected principal, interest, overpayment]
    ['pays the first installment exactly', 11200n, '2026-02-01', 10000n, 1200n, 0n],
    ['pays interest before principal when short', 1500n, '2026-02-01', 300n, 1200n, 0n],
    ['pays overdue installments oldest first', 22300n, '2026-03-05', 20000n, 2300n, 0n],
    ['puts an early payment on the next installment', 5000n, '2026-01-15', 3800n, 1200n, 0n],
  ] as const)('%s', (_, amount, date, principal, interest, overpayment) => {
    const state = freshState();
    const allocation = applyPayment(state, amount, date as BusinessDate, rules());
    expect(allocation).toMatchObject({ principalMinor: principal, interestMinor: interest, overpaymentMinor: overpayment });
    expect(allocationTotal(allocation)).toBe(amount);
  });

  it('pays a fee before interest and principal (penalties-fees-interest-principal)', () => {
    const state = freshState();
    state.installments[0]!.feeMinor = 2000n;
    const allocation = applyPayment(state, 3000n, '2026-02-01' as BusinessDate, rules());
    expect(allocation).toMatchObject({ feeMinor: 2000n, interestMinor: 1000n, principalMinor: 0n });
  });

  it('keeps the excess as overpayment once everything is paid', () => {
    const state = freshState(10000n, 1);
    const allocation = applyPayment(state, 10500n, '2026-02-01' as BusinessDate, rules());
    expect(allocation).toMatchObject({ principalMinor: 10000n, interestMinor: 100n, overpaymentMinor: 400n });
    expect(outstandingBalances(state.installments).totalMinor).toBe(0n);
  });

  it('reduce-term: a prepayment shortens the loan and keeps principal parts summing to the principal', () => {
    const state = freshState();
    applyPayment(state, 11200n + 50000n, '2026-02-01' as BusinessDate, rules('reduce-term'));
    const principalSum = state.installments.reduce((total, installment) => total + installment.principalMinor, 0n);
    expect(principalSum).toBe(120000n);
    expect(state.installments.length).toBeLessThan(12);
    expect(outstandingBalances(state.installments).principalMinor).toBe(120000n - 10000n - 50000n);
  });

  it('reduce-installment: a prepayment keeps the number of installments and lowers each one', () => {
    const state = freshState();
    const before = state.installments[5]!.principalMinor;
    applyPayment(state, 11200n + 50000n, '2026-02-01' as BusinessDate, rules('reduce-installment'));
    expect(state.installments.length).toBe(12);
    expect(state.installments[5]!.principalMinor).toBeLessThan(before);
  });

  it('closes the loan when the payoff quote is paid, rebating unearned interest when the product says so', () => {
    const state = freshState();
    const quote = payoffQuote(state, '2026-01-16' as BusinessDate, rules('reduce-term', 'accrued'));
    expect(quote.principalMinor).toBe(120000n);
    // Half of January's 1200 interest has been earned by the 16th (15 of 31 days).
    expect(quote.interestMinor).toBe(divideRounded(1200n * 15n, 31n, 'half-even'));
    const allocation = applyPayment(state, quote.totalMinor, '2026-01-16' as BusinessDate, rules('reduce-term', 'accrued'));
    expect(allocation.overpaymentMinor).toBe(0n);
    expect(outstandingBalances(state.installments).totalMinor).toBe(0n);
  });
});

const modes: PrepaymentMode[] = ['next-installments', 'reduce-term', 'reduce-installment'];

describe('replayLoan (properties)', () => {
  const paymentsArbitrary = fc.array(fc.record({ amount: fc.bigInt({ min: 1n, max: 60000n }), day: fc.integer({ min: 0, max: 420 }) }), { maxLength: 12 });

  it('replaying events in date order equals applying them one by one, and every position balances', () => {
    fc.assert(
      fc.property(paymentsArbitrary, fc.constantFrom(...modes), fc.constantFrom('scheduled' as const, 'accrued' as const), (payments, mode, payoff) => {
        const servicingRules = rules(mode, payoff);
        const sorted = [...payments].sort((a, b) => a.day - b.day);
        const incremental = freshState();
        const events: LoanEvent[] = [];
        const allocations: Allocation[] = [];
        for (const [index, payment] of sorted.entries()) {
          const date = addDays(start, payment.day);
          const before = cloneLoanState(incremental);
          allocations.push(applyPayment(incremental, payment.amount, date, servicingRules));
          events.push({ kind: 'payment', id: `p${index}`, date, sequence: index, amountMinor: payment.amount });
          const entry = positionChangeEntry('payment', ledgerPosition({ disbursedMinor: 120000n, ...before }), ledgerPosition({ disbursedMinor: 120000n, ...incremental }));
          expect(entry.lines.reduce((total, line) => total + line.amountMinor, 0n)).toBe(0n);
        }
        const replayed = replayLoan(schedule(120000n, 12), events, servicingRules);
        expect(replayed.state).toEqual(incremental);
        events.forEach((event, index) => expect(replayed.allocations.get(event.id)).toEqual(allocations[index]));
        const principalSum = incremental.installments.reduce((total, installment) => total + installment.principalMinor, 0n);
        expect(principalSum).toBe(120000n);
        for (const installment of incremental.installments) {
          expect(installment.principalPaidMinor).toBeLessThanOrEqual(installment.principalMinor);
          expect(installment.interestPaidMinor).toBeLessThanOrEqual(installment.interestMinor);
          expect(installment.principalPaidMinor >= 0n && installment.interestPaidMinor >= 0n).toBe(true);
        }
        const received = sorted.reduce((total, payment) => total + payment.amount, 0n);
        expect(incremental.receivedMinor).toBe(received);
      }),
      { numRuns: 1500 },
    );
  });

  it('a back-dated payment re-applies later payments: the result equals the events in date order', () => {
    fc.assert(
      fc.property(paymentsArbitrary, fc.constantFrom(...modes), (payments, mode) => {
        const events: LoanEvent[] = payments.map((payment, index) => ({ kind: 'payment', id: `p${index}`, date: addDays(start, payment.day), sequence: index, amountMinor: payment.amount }));
        const shuffled = [...events].reverse();
        expect(replayLoan(schedule(120000n, 12), shuffled, rules(mode)).state).toEqual(replayLoan(schedule(120000n, 12), events, rules(mode)).state);
      }),
      { numRuns: 500 },
    );
  });
});
