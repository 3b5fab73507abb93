import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { initialInstallments } from '../lending/loan-terms.ts';
import { generateSchedule } from '../lending/schedule.ts';
import { parseScheduleTerms } from '../lending/schedule-terms.ts';
import { parsePlanRequest, type PlanKind, proposePlan } from './plan.ts';

const day = (text: string) => text as BusinessDate;
/** 10,000.00 CNY at 18% over 12 months from 2026-01-05: 150.00 of interest a full month on the whole principal. */
const terms = parseScheduleTerms({ principal: '10000.00', currency: 'CNY', annualRate: '18', numberOfRepayments: 12, disbursementDate: '2026-01-05' });
const fresh = () => initialInstallments(generateSchedule(terms));
const facts = (overrides: Partial<Parameters<typeof proposePlan>[0]> = {}) => ({
  terms, installments: fresh(), businessDate: day('2026-01-21'), incomeMinor: 600_000n, expensesMinor: 450_000n, ...overrides,
});

describe('hardship plan calculator', () => {
  it.each([
    // kind, months, installments, first due date, last due date
    ['deferral', 3, 12, '2026-05-05', '2027-04-05'],
    ['extension', 6, 18, '2026-02-05', '2027-07-05'],
    ['reduced-payments', 3, 15, '2026-02-05', '2027-04-05'],
  ] as const)('%s of %i months: %i installments from %s to %s, carrying the whole principal', (kind, months, count, first, last) => {
    const proposal = proposePlan(facts(), { kind, months });
    expect(proposal.installments).toHaveLength(count);
    expect(proposal.installments[0]!.fromDate).toBe('2026-01-21');
    expect(proposal.installments[0]!.dueDate).toBe(first);
    expect(proposal.installments.at(-1)!.dueDate).toBe(last);
    expect(proposal.installments.reduce((total, row) => total + row.principalMinor, 0n)).toBe(1_000_000n);
    expect(proposal.principalOwedMinor).toBe(1_000_000n);
    expect(proposal.arrearsMinor).toBe(0n);
  });

  it('charges interest only during reduced payments: a full month is 1.5% of 10,000.00, the short first period 15 of 31 days of it', () => {
    const rows = proposePlan(facts(), { kind: 'reduced-payments', months: 3 }).installments;
    // 15000 × 15 / 31 = 7258.06… → 7258 (2026-01-21 to 2026-02-05 is 15 days of a 31-day period).
    expect(rows.slice(0, 3).map((row) => [row.principalMinor, row.interestMinor])).toEqual([[0n, 7_258n], [0n, 15_000n], [0n, 15_000n]]);
    expect(rows[3]!.principalMinor).toBeGreaterThan(0n);
  });

  it('lowers the payment with an extension and none is due during a deferral', () => {
    const withoutPlan = fresh()[1]!.principalMinor + fresh()[1]!.interestMinor;
    const extension = proposePlan(facts(), { kind: 'extension', months: 12 });
    expect(extension.installments.slice(1).every((row) => row.principalMinor + row.interestMinor < withoutPlan)).toBe(true);
    const deferral = proposePlan(facts(), { kind: 'deferral', months: 2 });
    expect(deferral.installments.every((row) => row.dueDate >= '2026-04-05')).toBe(true);
  });

  it('carries what is overdue: interest already due, fees and penalties fall due with the first payment', () => {
    const installments = fresh();
    installments[0]!.feeMinor = 5_000n;
    installments[0]!.penaltyMinor = 1_234n;
    const proposal = proposePlan(facts({ installments, businessDate: day('2026-02-20') }), { kind: 'extension', months: 3 });
    expect(proposal.arrearsMinor).toBe(installments[0]!.interestMinor + 5_000n + 1_234n);
    expect(proposal.principalOwedMinor).toBe(1_000_000n);
    // Eleven installments were still ahead: 11 + 3, from the next due date.
    expect(proposal.installments).toHaveLength(14);
    expect(proposal.installments[0]!.dueDate).toBe('2026-03-05');
    expect(proposal.firstPaymentMinor).toBe(proposal.installments[0]!.principalMinor + proposal.installments[0]!.interestMinor + proposal.arrearsMinor);
    expect(proposal.dueWithoutPlanMinor).toBe([0, 1].reduce((total, index) => total + installments[index]!.principalMinor + installments[index]!.interestMinor, 0n) + 6_234n);
  });

  it.each([
    ['exactly the disposable income', 0n, 'affordable'],
    ['one fen more than the disposable income', 1n, 'unaffordable'],
  ] as const)('judges a largest payment of %s %s', (_name, shortfall, verdict) => {
    const largest = proposePlan(facts(), { kind: 'extension', months: 6 }).largestPaymentMinor;
    const proposal = proposePlan(facts({ incomeMinor: 400_000n + largest - shortfall, expensesMinor: 400_000n }), { kind: 'extension', months: 6 });
    expect(proposal.affordability).toEqual({ verdict, disposableMinor: largest - shortfall, largestPaymentMinor: largest });
  });

  it.each([
    [{ kind: 'holiday', months: 2 }, 'plan.kind'],
    [{ kind: 'deferral', months: 0 }, 'plan.months'],
    [{ kind: 'deferral', months: 7 }, 'plan.months'],
    [{ kind: 'extension', months: 1.5 }, 'plan.months'],
    [{ kind: 'extension', months: 3, rate: '0' }, 'plan.rate'],
  ])('refuses the plan request %j', (value, field) => {
    expect(() => parsePlanRequest(value)).toThrow(expect.objectContaining({ field }));
  });

  it('refuses a loan that owes no principal', () => {
    const paid = fresh().map((installment) => ({ ...installment, principalPaidMinor: installment.principalMinor, interestPaidMinor: installment.interestMinor }));
    expect(() => proposePlan(facts({ installments: paid }), { kind: 'deferral', months: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  describe('on a loan repaid weekly', () => {
    /** 1,000.00 CNY at 10% over 10 weeks from Monday 2026-01-05: due every Monday from 2026-01-12. */
    const weekly = parseScheduleTerms({ principal: '1000.00', currency: 'CNY', annualRate: '10', numberOfRepayments: 10, repaymentUnit: 'weeks', disbursementDate: '2026-01-05' });
    // On Wednesday 2026-01-21 two payments have been made; eight remain, the next on Monday 01-26.
    const paidTwo = () => initialInstallments(generateSchedule(weekly)).map((installment, index) => (index < 2
      ? { ...installment, principalPaidMinor: installment.principalMinor, interestPaidMinor: installment.interestMinor } : installment));
    const weeklyFacts = (overrides: Partial<Parameters<typeof proposePlan>[0]> = {}) => facts({ terms: weekly, installments: paidTwo(), ...overrides });

    it.each([
      // kind, months, installments, first due date, last due date: a month from 01-26 holds four whole weeks, two months eight.
      ['deferral', 1, 8, '2026-02-23', '2026-04-13'],
      ['deferral', 2, 8, '2026-03-23', '2026-05-11'],
      ['extension', 1, 12, '2026-01-26', '2026-04-13'],
      ['reduced-payments', 1, 12, '2026-01-26', '2026-04-13'],
    ] as const)('%s of %i months: %i weekly installments from %s to %s, on Mondays, carrying the whole principal', (kind, months, count, first, last) => {
      const proposal = proposePlan(weeklyFacts(), { kind, months });
      expect(proposal.installments).toHaveLength(count);
      expect(proposal.installments[0]!.dueDate).toBe(first);
      expect(proposal.installments.at(-1)!.dueDate).toBe(last);
      expect(proposal.installments.every((row) => new Date(`${row.dueDate}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
      expect(proposal.installments.reduce((total, row) => total + row.principalMinor, 0n)).toBe(proposal.principalOwedMinor);
      if (kind === 'reduced-payments') expect(proposal.installments.slice(0, 4).every((row) => row.principalMinor === 0n)).toBe(true);
    });

    it('judges affordability by what the plan asks within a month: five Mondays from 2026-03-02 to 03-30', () => {
      const proposal = proposePlan(weeklyFacts(), { kind: 'extension', months: 1 });
      const march = proposal.installments.filter((row) => row.dueDate >= '2026-03-02' && row.dueDate <= '2026-03-30');
      expect(march.map((row) => row.dueDate)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
      const marchTotal = march.reduce((total, row) => total + row.principalMinor + row.interestMinor, 0n);
      const burden = proposal.affordability.largestPaymentMinor;
      // No month asks more than five payments, and some month asks five of these near-equal ones.
      expect(burden).toBeGreaterThanOrEqual(marchTotal);
      expect(burden).toBeLessThanOrEqual(5n * proposal.largestPaymentMinor);
      expect(burden).toBeGreaterThan(4n * proposal.largestPaymentMinor);
      expect(proposePlan(weeklyFacts({ incomeMinor: burden, expensesMinor: 0n }), { kind: 'extension', months: 1 }).affordability.verdict).toBe('affordable');
      expect(proposePlan(weeklyFacts({ incomeMinor: burden - 1n, expensesMinor: 0n }), { kind: 'extension', months: 1 }).affordability.verdict).toBe('unaffordable');
      // A single weekly payment would have looked affordable on a month's income.
      expect(proposePlan(weeklyFacts({ incomeMinor: proposal.largestPaymentMinor * 2n, expensesMinor: 0n }), { kind: 'extension', months: 1 }).affordability.verdict).toBe('unaffordable');
    });
  });

  it.each(['deferral', 'extension', 'reduced-payments'] as PlanKind[])('gives the same %s for the same facts', (kind) => {
    expect(proposePlan(facts(), { kind, months: 2 })).toEqual(proposePlan(facts(), { kind, months: 2 }));
  });
});
