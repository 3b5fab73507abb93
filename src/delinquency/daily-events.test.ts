import { describe, expect, it } from 'vitest';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import { parseDecimal } from '../shared/decimal.ts';
import { newInstallment, type InstallmentState } from '../lending/loan-state.ts';
import type { AgeingPause } from '../lending/ageing.ts';
import { DEFAULT_DELINQUENCY_RANGES } from '../lending/product.ts';
import { type DailyLoanFacts, type DailyRules, decideDailyEvents, penaltyForDay } from './daily-events.ts';

const day = (text: string) => text as BusinessDate;
// Four monthly installments of 250.00 principal and 10.00 interest.
const DUE_DATES = ['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01'].map(day);

function installments(paid: Record<number, bigint> = {}): InstallmentState[] {
  return DUE_DATES.map((due, index) => {
    const installment = newInstallment(index + 1, index === 0 ? day('2026-01-01') : DUE_DATES[index - 1]!, due, 25000n, 1000n);
    const amount = paid[index + 1] ?? 0n;
    installment.interestPaidMinor = amount < 1000n ? amount : 1000n;
    installment.principalPaidMinor = amount > 1000n ? amount - 1000n : 0n;
    return installment;
  });
}

const RULES: DailyRules = {
  lateFee: { fee: { kind: 'fixed', amountMinor: 1500n }, capPerInstallmentMinor: null, capPerLoanMinor: 4000n },
  penaltyAnnualRatePercent: 0n,
  daysInYear: 365,
  agingGraceDays: 5,
  ranges: DEFAULT_DELINQUENCY_RANGES,
  nonAccrualDays: 90,
  chargeOffDays: 180,
  roundingMode: 'half-even',
};

function facts(businessDate: string, overrides: Partial<DailyLoanFacts> & { previousDelinquentDays?: number; previousBucket?: string | null } = {}): DailyLoanFacts {
  return {
    businessDate: day(businessDate),
    status: 'active',
    disbursedOn: day('2026-01-01'),
    installments: installments(),
    lateFees: [],
    pauses: [],
    previous: { delinquentDays: overrides.previousDelinquentDays ?? 0, bucket: overrides.previousBucket ?? null, nonAccrualOn: null, penaltyAccruedThrough: null, eodThrough: null },
    ...overrides,
  };
}

describe('classification on given dates (grace 5, default buckets)', () => {
  // name, business date, paid per installment, pauses, previous → days past due, delinquent days, bucket, cured
  const table: Array<[string, string, Record<number, bigint>, AgeingPause[], number, number, number, string | null, boolean]> = [
    ['due today is not past due', '2026-02-01', {}, [], 0, 0, 0, null, false],
    ['inside the grace', '2026-02-06', {}, [], 0, 5, 0, null, false],
    ['first delinquent day after the grace', '2026-02-07', {}, [], 0, 6, 1, 'B1', false],
    ['a partial payment leaves the installment unpaid', '2026-02-20', { 1: 20000n }, [], 0, 19, 14, 'B1', false],
    ['a late payment of the first installment ages from the second', '2026-03-20', { 1: 26000n }, [], 0, 19, 14, 'B1', false],
    ['second bucket', '2026-03-20', {}, [], 0, 47, 42, 'B2', false],
    ['paused days do not count', '2026-03-20', {}, [{ from: day('2026-02-10'), until: day('2026-02-25') }], 0, 47, 27, 'B1', false],
    ['an open pause stops the clock', '2026-03-20', {}, [{ from: day('2026-02-10'), until: null }], 0, 47, 4, 'B1', false],
    ['three buckets back at once: only the newest installment is overdue', '2026-05-10', { 1: 26000n, 2: 26000n, 3: 26000n }, [], 95, 9, 4, 'B1', false],
    ['paid back to current cures', '2026-05-10', { 1: 26000n, 2: 26000n, 3: 26000n, 4: 26000n }, [], 95, 0, 0, null, true],
  ];
  for (const [name, businessDate, paid, pauses, previousDelinquentDays, pastDueDays, delinquentDays, bucket, cured] of table) {
    it(name, () => {
      const decision = decideDailyEvents(facts(businessDate, { installments: installments(paid), pauses, previousDelinquentDays, previousBucket: previousDelinquentDays > 0 ? 'B4' : null }), RULES);
      expect(decision.ageing).toMatchObject({ pastDueDays, delinquentDays, bucket });
      expect(decision.cured).toBe(cured);
    });
  }
});

describe('daily events', () => {
  it('assesses the late fee on the first day after the grace, once, capped per loan', () => {
    expect(decideDailyEvents(facts('2026-02-06'), RULES).lateFees).toEqual([]);
    const first = decideDailyEvents(facts('2026-02-07'), RULES);
    expect(first.lateFees).toEqual([{ installmentNumber: 1, amountMinor: 1500n, overdueMinor: 26000n }]);
    expect(first.delinquent).toBe(true);
    expect(first.bucketChanged).toEqual({ from: null, to: 'B1' });
    const again = decideDailyEvents(facts('2026-02-08', { lateFees: [{ installmentNumber: 1, amountMinor: 1500n }] }), RULES);
    expect(again.lateFees).toEqual([]);
    // Third installment: 40.00 cap per loan leaves 10.00.
    const third = decideDailyEvents(facts('2026-04-07', { lateFees: [{ installmentNumber: 1, amountMinor: 1500n }, { installmentNumber: 2, amountMinor: 1500n }] }), RULES);
    expect(third.lateFees).toEqual([{ installmentNumber: 3, amountMinor: 1000n, overdueMinor: 26000n }]);
  });

  it('applies a percentage fee with its per-installment cap', () => {
    const rules: DailyRules = { ...RULES, lateFee: { fee: { kind: 'percent', percent: parseDecimal('10'), minimumMinor: null, maximumMinor: null }, capPerInstallmentMinor: 2000n, capPerLoanMinor: null } };
    expect(decideDailyEvents(facts('2026-02-07', { installments: installments({ 1: 20000n }) }), rules).lateFees).toEqual([{ installmentNumber: 1, amountMinor: 600n, overdueMinor: 6000n }]);
    expect(decideDailyEvents(facts('2026-02-07'), rules).lateFees[0]!.amountMinor).toBe(2000n);
  });

  it('moves the late fee by paused days and skips it while a pause is open', () => {
    const pauses = [{ from: day('2026-02-03'), until: day('2026-02-08') }];
    expect(decideDailyEvents(facts('2026-02-07', { pauses }), RULES).lateFees).toEqual([]);
    expect(decideDailyEvents(facts('2026-02-11', { pauses }), RULES).nextEventDate).toBe('2026-02-12');
    expect(decideDailyEvents(facts('2026-02-12', { pauses }), RULES).lateFees.length).toBe(1);
    expect(decideDailyEvents(facts('2026-02-07', { pauses: [{ from: day('2026-02-03'), until: null }] }), RULES).lateFees).toEqual([]);
  });

  it('names the next event: due date, fee date, bucket boundary', () => {
    expect(decideDailyEvents(facts('2026-01-20'), RULES).nextEventDate).toBe('2026-02-01');
    expect(decideDailyEvents(facts('2026-02-01'), RULES).nextEventDate).toBe('2026-02-07');
    const afterFee = decideDailyEvents(facts('2026-02-07', { lateFees: [{ installmentNumber: 1, amountMinor: 1500n }], previousDelinquentDays: 1, previousBucket: 'B1' }), RULES);
    expect(afterFee.nextEventDate).toBe('2026-03-01');
    expect(decideDailyEvents(facts('2026-03-01', { lateFees: [{ installmentNumber: 1, amountMinor: 1500n }] }), RULES).nextEventDate).toBe('2026-03-07');
    const fees = [1, 2, 3, 4].map((installmentNumber) => ({ installmentNumber, amountMinor: 1000n }));
    // Delinquent day 31 (B2) falls 5 + 31 days after 2026-02-01.
    expect(decideDailyEvents(facts('2026-03-08', { lateFees: fees, previousDelinquentDays: 30, previousBucket: 'B1' }), RULES).nextEventDate).toBe('2026-03-09');
  });

  it('charges off at the configured delinquent days and stops scheduling', () => {
    const decision = decideDailyEvents(facts(addDays(day('2026-02-01'), 185), { previousDelinquentDays: 179, previousBucket: 'B5' }), RULES);
    expect(decision.chargeOff).toBe(true);
    expect(decision.nextEventDate).toBeNull();
    expect(decision.nonAccrualOn).toBe(addDays(day('2026-02-01'), 185));
  });

  it('accrues penalty interest per day on overdue principal only, skipping paused days', () => {
    const rules = { ...RULES, lateFee: null, penaltyAnnualRatePercent: parseDecimal('36.5') };
    const daily = penaltyForDay(25000n, rules.penaltyAnnualRatePercent, day('2026-02-02'), 365, 'half-even');
    expect(daily).toBe(25n);
    const decision = decideDailyEvents(facts('2026-02-11', { previous: { delinquentDays: 0, bucket: null, nonAccrualOn: null, penaltyAccruedThrough: null, eodThrough: day('2026-02-01') } }), rules);
    expect(decision.penalty).toMatchObject({ installmentNumber: 1, amountMinor: 250n, days: 10 });
    const paused = decideDailyEvents(facts('2026-02-11', { pauses: [{ from: day('2026-02-05'), until: day('2026-02-08') }] }), rules);
    expect(paused.penalty!.amountMinor).toBe(175n);
    expect(decision.penaltyAccruedThrough).toBe('2026-02-11');
  });

  it('emits loan.due for installments that fell due since the loan was last looked at, unpaid only', () => {
    const decision = decideDailyEvents(facts('2026-03-02', { installments: installments({ 1: 26000n }), previous: { delinquentDays: 0, bucket: null, nonAccrualOn: null, penaltyAccruedThrough: null, eodThrough: day('2026-01-15') } }), RULES);
    expect(decision.dueInstallments.map((due) => due.number)).toEqual([2]);
    const early = decideDailyEvents(facts('2026-02-27', { dueEventDate: (date) => (date === '2026-03-01' ? day('2026-02-27') : date) }), RULES);
    expect(early.dueInstallments.map((due) => due.number)).toEqual([1, 2]);
  });
});
