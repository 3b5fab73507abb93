import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import { initialInstallments } from '../lending/loan-terms.ts';
import { outstandingBalances } from '../lending/loan-state.ts';
import { generateSchedule } from '../lending/schedule.ts';
import { parseScheduleTerms } from '../lending/schedule-terms.ts';
import { applyReschedule, type LoanState } from '../lending/servicing.ts';
import { MAXIMUM_PLAN_MONTHS, PLAN_KINDS, proposePlan } from './plan.ts';

const loanArbitrary = fc.record({
  principalMajor: fc.integer({ min: 500, max: 80_000 }),
  ratePercent: fc.integer({ min: 0, max: 36 }),
  repayments: fc.integer({ min: 3, max: 36 }),
  amortization: fc.constantFrom('equal-installments', 'equal-principal'),
  interestMethod: fc.constantFrom('declining-balance', 'flat'),
  /** Installments paid in full before the plan, and a part paid of the next. */
  paidInstallments: fc.integer({ min: 0, max: 35 }),
  partPaidPerMille: fc.integer({ min: 0, max: 999 }),
  feeMinor: fc.bigInt({ min: 0n, max: 50_000n }),
  daysAfterDisbursement: fc.integer({ min: 1, max: 1_200 }),
  kind: fc.constantFrom(...PLAN_KINDS),
  period: fc.constantFrom({ unit: 'months', every: 1 }, { unit: 'months', every: 3 }, { unit: 'weeks', every: 1 }, { unit: 'weeks', every: 2 }, { unit: 'days', every: 10 }),
  monthsSeed: fc.integer({ min: 1, max: 24 }),
});

describe('hardship plans (property)', () => {
  it('never change the principal owed; the new schedule sums to the outstanding principal, and the loan to its principal', () => {
    fc.assert(
      fc.property(loanArbitrary, (loan) => {
        const terms = parseScheduleTerms({
          principal: `${loan.principalMajor}.00`, currency: 'CNY', annualRate: String(loan.ratePercent), numberOfRepayments: loan.repayments,
          amortization: loan.amortization, interestMethod: loan.interestMethod, disbursementDate: '2026-01-05',
          repaymentUnit: loan.period.unit, repaymentEvery: loan.period.every,
        });
        const installments = initialInstallments(generateSchedule(terms));
        const paid = Math.min(loan.paidInstallments, installments.length - 1);
        installments.forEach((installment, index) => {
          if (index < paid) {
            installment.principalPaidMinor = installment.principalMinor;
            installment.interestPaidMinor = installment.interestMinor;
            installment.completedOn = installment.dueDate;
          } else if (index === paid) {
            installment.interestPaidMinor = (installment.interestMinor * BigInt(loan.partPaidPerMille)) / 1000n;
            installment.principalPaidMinor = (installment.principalMinor * BigInt(loan.partPaidPerMille)) / 1000n;
            installment.feeMinor = loan.feeMinor;
          }
        });
        const businessDate = addDays('2026-01-05' as BusinessDate, loan.daysAfterDisbursement);
        const months = 1 + ((loan.monthsSeed - 1) % MAXIMUM_PLAN_MONTHS[loan.kind]);
        const before = outstandingBalances(installments);
        const proposal = proposePlan({ terms, installments, businessDate, incomeMinor: 1_000_000n, expensesMinor: 0n }, { kind: loan.kind, months });
        expect(proposal.principalOwedMinor).toBe(before.principalMinor);
        expect(proposal.installments.reduce((total, row) => total + row.principalMinor, 0n)).toBe(before.principalMinor);
        expect(proposal.installments.every((row) => row.principalMinor >= 0n && row.interestMinor >= 0n && row.dueDate > businessDate)).toBe(true);
        // Income is monthly: a month's burden is at least the largest payment, at most all of them.
        expect(proposal.affordability.largestPaymentMinor).toBeGreaterThanOrEqual(proposal.largestPaymentMinor);
        if (loan.period.unit === 'months') expect(proposal.affordability.largestPaymentMinor).toBe(proposal.largestPaymentMinor);

        const state: LoanState = { installments, receivedMinor: 0n, overpaymentMinor: 0n, writtenOff: { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n }, writtenOffOn: null };
        const paidBefore = installments.reduce((total, installment) => total + installment.principalPaidMinor + installment.interestPaidMinor, 0n);
        applyReschedule(state, businessDate, proposal.installments);
        const after = outstandingBalances(state.installments);
        expect(after.principalMinor).toBe(before.principalMinor);
        expect(after.feeMinor).toBe(before.feeMinor);
        expect(state.installments.reduce((total, installment) => total + installment.principalMinor, 0n)).toBe(terms.principalMinor);
        expect(state.installments.reduce((total, installment) => total + installment.principalPaidMinor + installment.interestPaidMinor, 0n)).toBe(paidBefore);
        // Nothing is overdue after a plan: the first unpaid due date is the plan's first.
        const unpaid = state.installments.filter((installment) => installment.completedOn === null);
        expect(unpaid.every((installment) => installment.dueDate > businessDate)).toBe(true);
        expect(new Set(state.installments.map((installment) => installment.number)).size).toBe(state.installments.length);
      }),
      { numRuns: 300 },
    );
  });
});
