import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScheduleTerms, type ScheduleTerms } from './schedule-terms.ts';
import { formatSchedule, generateSchedule, rescheduleRemaining } from './schedule.ts';
import { fixedFromInteger } from '../shared/decimal.ts';
import type { BusinessDate } from '../shared/business-date.ts';

const SHARED_DIRECTORY = process.env.LENITY_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const EXAMPLES_DIRECTORY = path.join(SHARED_DIRECTORY, 'contracts/examples/schedule');

interface Vector {
  name: string;
  input: Record<string, unknown>;
  /** principal, interest, total per installment */
  expected: [string, string, string][];
  downPaymentPercent?: number;
}

const BASE = {
  principal: '100.00', currency: 'USD', interestMethod: 'declining-balance', amortization: 'equal-installments',
  interestCalculation: 'daily', emi: 'actual-days', repaymentEvery: 1, repaymentUnit: 'months', numberOfRepayments: 6,
  disbursementDate: '2024-01-01', installmentMultipleOf: null, roundingMode: 'half-even',
};

// From the peer servicing system's calculator tests (ProgressiveEMICalculatorTest): daily interest, EMI from actual periods.
const FINERACT_VECTORS: Vector[] = [
  {
    name: '360/30 monthly 9.4822%',
    input: { ...BASE, annualRate: '9.4822', daysInYear: 360, daysInMonth: 30 },
    expected: [['16.34', '0.79', '17.13'], ['16.47', '0.66', '17.13'], ['16.60', '0.53', '17.13'], ['16.73', '0.40', '17.13'], ['16.86', '0.27', '17.13'], ['17.00', '0.13', '17.13']],
  },
  {
    name: 'actual/actual monthly crossing a year end',
    input: { ...BASE, annualRate: '9.4822', daysInYear: 'actual', daysInMonth: 'actual', disbursementDate: '2023-12-12' },
    expected: [['16.33', '0.80', '17.13'], ['16.46', '0.67', '17.13'], ['16.63', '0.50', '17.13'], ['16.72', '0.41', '17.13'], ['16.87', '0.26', '17.13'], ['16.99', '0.14', '17.13']],
  },
  {
    name: '364 weekly',
    input: { ...BASE, annualRate: '9.4822', daysInYear: 364, daysInMonth: 'actual', repaymentUnit: 'weeks' },
    expected: [['16.59', '0.18', '16.77'], ['16.62', '0.15', '16.77'], ['16.65', '0.12', '16.77'], ['16.68', '0.09', '16.77'], ['16.71', '0.06', '16.77'], ['16.75', '0.03', '16.78']],
  },
  {
    name: '364 every 2 weeks',
    input: { ...BASE, annualRate: '9.4822', daysInYear: 364, daysInMonth: 'actual', repaymentUnit: 'weeks', repaymentEvery: 2, numberOfRepayments: 3 },
    expected: [['33.21', '0.36', '33.57'], ['33.33', '0.24', '33.57'], ['33.46', '0.12', '33.58']],
  },
  {
    name: '360 every 15 days',
    input: { ...BASE, annualRate: '9.4822', daysInYear: 360, daysInMonth: 'actual', repaymentUnit: 'days', repaymentEvery: 15 },
    expected: [['16.50', '0.40', '16.90'], ['16.57', '0.33', '16.90'], ['16.64', '0.26', '16.90'], ['16.70', '0.20', '16.90'], ['16.77', '0.13', '16.90'], ['16.82', '0.07', '16.89']],
  },
  {
    name: 'no interest, actual/actual',
    input: { ...BASE, principal: '1000.00', annualRate: '0', daysInYear: 'actual', daysInMonth: 'actual', numberOfRepayments: 4 },
    expected: [['250.00', '0.00', '250.00'], ['250.00', '0.00', '250.00'], ['250.00', '0.00', '250.00'], ['250.00', '0.00', '250.00']],
  },
  {
    name: '365/actual 15.678% (also a public example)',
    input: { ...BASE, annualRate: '15.678', daysInYear: 365, daysInMonth: 'actual' },
    expected: [['16.10', '1.33', '17.43'], ['16.38', '1.05', '17.43'], ['16.53', '0.90', '17.43'], ['16.77', '0.66', '17.43'], ['16.97', '0.46', '17.43'], ['17.25', '0.22', '17.47']],
  },
];

// Computed by hand from the contract's conventions, one per mode the peer vectors above do not cover.
const CONTRACT_VECTORS: Vector[] = [
  {
    name: 'flat, equal installments',
    input: { ...BASE, principal: '1200.00', annualRate: '12', interestMethod: 'flat', interestCalculation: 'per-period', emi: 'nominal', daysInYear: 365, daysInMonth: 'actual', numberOfRepayments: 12 },
    // interest 1200 × 12% × 1 year = 144.00, 12.00 a month; installment 112.00
    expected: Array.from({ length: 12 }, () => ['100.00', '12.00', '112.00'] as [string, string, string]),
  },
  {
    name: 'equal principal, per-period',
    input: { ...BASE, principal: '300.00', annualRate: '12', amortization: 'equal-principal', interestCalculation: 'per-period', emi: 'nominal', daysInYear: 365, daysInMonth: 'actual', numberOfRepayments: 3 },
    expected: [['100.00', '3.00', '103.00'], ['100.00', '2.00', '102.00'], ['100.00', '1.00', '101.00']],
  },
  {
    name: 'grace on principal then interest',
    input: { ...BASE, principal: '1000.00', annualRate: '12', interestCalculation: 'per-period', emi: 'nominal', daysInYear: 365, daysInMonth: 'actual', numberOfRepayments: 4, graceOnPrincipalPeriods: 1, graceOnInterestPaymentPeriods: 0 },
    // 3-period annuity of 1000 at 1%: 340.02
    expected: [['0.00', '10.00', '10.00'], ['330.02', '10.00', '340.02'], ['333.32', '6.70', '340.02'], ['336.66', '3.37', '340.03']],
  },
  {
    name: 'grace on interest payment: deferred to the first period after',
    input: { ...BASE, principal: '1000.00', annualRate: '12', interestCalculation: 'per-period', emi: 'nominal', daysInYear: 365, daysInMonth: 'actual', numberOfRepayments: 4, graceOnInterestPaymentPeriods: 1 },
    expected: [['0.00', '0.00', '0.00'], ['330.02', '20.00', '350.02'], ['333.32', '6.70', '340.02'], ['336.66', '3.37', '340.03']],
  },
  {
    name: 'down payment 25% on the disbursement date',
    input: { ...BASE, principal: '1000.00', annualRate: '0', interestCalculation: 'per-period', emi: 'nominal', daysInYear: 365, daysInMonth: 'actual', repaymentUnit: 'days', repaymentEvery: 15, numberOfRepayments: 3 },
    downPaymentPercent: 25,
    expected: [['250.00', '0.00', '250.00'], ['250.00', '0.00', '250.00'], ['250.00', '0.00', '250.00'], ['250.00', '0.00', '250.00']],
  },
];

function termsOf(vector: Vector): ScheduleTerms {
  const terms = parseScheduleTerms({ daysInYear: 365, daysInMonth: 'actual', graceOnPrincipalPeriods: 0, graceOnInterestPaymentPeriods: 0, ...vector.input });
  return vector.downPaymentPercent ? { ...terms, downPaymentPercent: fixedFromInteger(vector.downPaymentPercent) } : terms;
}

describe('generateSchedule', () => {
  it.each(readdirSync(EXAMPLES_DIRECTORY).filter((name) => name.endsWith('.json')))('matches the public example %s to the cent', (file) => {
    const example = JSON.parse(readFileSync(path.join(EXAMPLES_DIRECTORY, file), 'utf8'));
    const terms = parseScheduleTerms(example.input);
    const output = formatSchedule(generateSchedule(terms), terms.currency);
    expect(output.installments.map(({ number, dueDate, principal, interest, total }) => ({ number, dueDate, principal, interest, total })))
      .toEqual(example.expected.installments);
  });

  it.each([...FINERACT_VECTORS, ...CONTRACT_VECTORS].map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const terms = termsOf(vector);
    const output = formatSchedule(generateSchedule(terms), terms.currency);
    expect(output.installments.map((row) => [row.principal, row.interest, row.total])).toEqual(vector.expected);
  });

  it('gives APR 12.00 and effective 12.68 for 12% monthly declining balance', () => {
    const schedule = generateSchedule(termsOf({ name: '', input: { ...BASE, annualRate: '12', interestCalculation: 'per-period', emi: 'nominal', numberOfRepayments: 12 }, expected: [] }));
    expect([schedule.aprPercent, schedule.effectiveRatePercent]).toEqual(['12.00', '12.68']);
  });

  it('gives a flat loan an APR well above its flat rate', () => {
    const schedule = generateSchedule(termsOf(CONTRACT_VECTORS[0]!));
    expect(schedule.aprPercent).toBe('21.46');
  });

  it('keeps the 31st after a short month and clamps to month end', () => {
    const schedule = generateSchedule(termsOf({ name: '', input: { ...BASE, annualRate: '10', disbursementDate: '2024-01-31', numberOfRepayments: 3 }, expected: [] }));
    expect(schedule.installments.map((row) => row.dueDate)).toEqual(['2024-02-29', '2024-03-31', '2024-04-30']);
  });

  it('rounds installments to the multiple with the named mode', () => {
    const terms = termsOf({ name: '', input: { ...BASE, principal: '1000.00', annualRate: '12', interestCalculation: 'per-period', emi: 'nominal', installmentMultipleOf: '5', roundingMode: 'up', numberOfRepayments: 6 }, expected: [] });
    const schedule = generateSchedule(terms);
    expect(schedule.installments.slice(0, 5).every((row) => row.totalMinor % 500n === 0n)).toBe(true);
  });

  it('honours a first repayment date and a broken first period', () => {
    const schedule = generateSchedule(termsOf({ name: '', input: { ...BASE, annualRate: '12', disbursementDate: '2024-01-15', firstRepaymentDate: '2024-03-01', numberOfRepayments: 3 }, expected: [] }));
    expect(schedule.installments.map((row) => [row.fromDate, row.dueDate, row.days])).toEqual([
      ['2024-01-15', '2024-03-01', 46], ['2024-03-01', '2024-04-01', 31], ['2024-04-01', '2024-05-01', 30],
    ]);
  });
});

const termsArbitrary = fc.record({
  principalMinor: fc.bigInt({ min: 100n, max: 100_000_000n }),
  currency: fc.constantFrom('USD', 'JPY', 'KWD', 'CNY'),
  ratePercentHundredths: fc.integer({ min: 0, max: 6000 }),
  interestMethod: fc.constantFrom('declining-balance', 'flat'),
  amortization: fc.constantFrom('equal-installments', 'equal-principal'),
  interestCalculation: fc.constantFrom('per-period', 'daily'),
  emi: fc.constantFrom('nominal', 'actual-days'),
  daysInYear: fc.constantFrom(360, 364, 365, 'actual'),
  daysInMonth: fc.constantFrom(30, 'actual'),
  repaymentEvery: fc.integer({ min: 1, max: 4 }),
  repaymentUnit: fc.constantFrom('days', 'weeks', 'months'),
  numberOfRepayments: fc.integer({ min: 1, max: 48 }),
  disbursementDay: fc.integer({ min: 18000, max: 21000 }),
  firstRepaymentOffset: fc.option(fc.integer({ min: 1, max: 60 })),
  multiple: fc.constantFrom(null, '1', '5'),
  roundingMode: fc.constantFrom('half-even', 'half-up', 'down', 'up'),
  gracePrincipal: fc.integer({ min: 0, max: 3 }),
  graceInterest: fc.integer({ min: 0, max: 3 }),
  downPaymentPercent: fc.constantFrom(0, 0, 10, 25),
});

function toDate(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

function randomTerms(sample: fc.Arbitrary<unknown> extends never ? never : ReturnType<typeof termsArbitrary.generate>['value']): ScheduleTerms {
  const digits = sample.currency === 'JPY' ? 0 : sample.currency === 'KWD' ? 3 : 2;
  const whole = sample.principalMinor / 10n ** BigInt(digits);
  const fraction = sample.principalMinor % 10n ** BigInt(digits);
  const principal = digits === 0 ? `${whole}` : `${whole}.${fraction.toString().padStart(digits, '0')}`;
  const count = sample.numberOfRepayments;
  const terms = parseScheduleTerms({
    principal, currency: sample.currency,
    annualRate: `${Math.floor(sample.ratePercentHundredths / 100)}.${String(sample.ratePercentHundredths % 100).padStart(2, '0')}`,
    interestMethod: sample.interestMethod, amortization: sample.amortization, interestCalculation: sample.interestCalculation,
    emi: sample.emi, daysInYear: sample.daysInYear, daysInMonth: sample.daysInMonth, repaymentEvery: sample.repaymentEvery,
    repaymentUnit: sample.repaymentUnit, numberOfRepayments: count, disbursementDate: toDate(sample.disbursementDay),
    firstRepaymentDate: sample.firstRepaymentOffset === null ? null : toDate(sample.disbursementDay + sample.firstRepaymentOffset),
    installmentMultipleOf: sample.multiple === null ? null : sample.multiple, roundingMode: sample.roundingMode,
    graceOnPrincipalPeriods: Math.min(sample.gracePrincipal, count - 1), graceOnInterestPaymentPeriods: Math.min(sample.graceInterest, count - 1),
  });
  return { ...terms, downPaymentPercent: fixedFromInteger(sample.downPaymentPercent) };
}

describe('schedule properties', () => {
  it('principal parts sum to the principal, balances fall to 0, totals add up, due dates increase', () => {
    fc.assert(fc.property(termsArbitrary, (sample) => {
      const terms = randomTerms(sample);
      const schedule = generateSchedule(terms);
      let principalSum = 0n;
      let interestSum = 0n;
      let previousDue = '';
      let balance = terms.principalMinor;
      for (const row of schedule.installments) {
        principalSum += row.principalMinor;
        interestSum += row.interestMinor;
        balance -= row.principalMinor;
        expect(row.balanceMinor).toBe(balance);
        expect(row.balanceMinor >= 0n).toBe(true);
        expect(row.principalMinor >= 0n && row.interestMinor >= 0n).toBe(true);
        expect(row.totalMinor).toBe(row.principalMinor + row.interestMinor);
        if (row.days > 0) expect(row.dueDate > previousDue).toBe(true);
        previousDue = row.dueDate;
      }
      expect(principalSum).toBe(terms.principalMinor);
      expect(schedule.installments.at(-1)!.balanceMinor).toBe(0n);
      expect(schedule.totalInterestMinor).toBe(interestSum);
      expect(schedule.totalMinor).toBe(principalSum + interestSum);
    }), { numRuns: 3000 });
  });

  it('re-amortisation repays exactly the outstanding principal in either mode', () => {
    fc.assert(fc.property(termsArbitrary, fc.integer({ min: 1, max: 99 }), fc.constantFrom('reduce-installment', 'reduce-term'), (sample, paidPercent, mode) => {
      const terms = randomTerms({ ...sample, numberOfRepayments: Math.max(2, sample.numberOfRepayments), gracePrincipal: 0, graceInterest: 0, downPaymentPercent: 0 });
      const schedule = generateSchedule(terms);
      const first = schedule.installments[0]!;
      const outstanding = (first.balanceMinor * BigInt(100 - paidPercent)) / 100n;
      const remaining = schedule.installments.slice(1);
      const result = rescheduleRemaining(terms, {
        outstandingPrincipalMinor: outstanding, fromDate: first.dueDate, remainingDueDates: remaining.map((row) => row.dueDate as BusinessDate),
        mode: mode as 'reduce-installment' | 'reduce-term', currentInstallmentMinor: remaining[0]!.totalMinor,
      });
      let sum = 0n;
      for (const row of result) sum += row.principalMinor;
      expect(sum).toBe(outstanding);
      expect(result.length <= remaining.length).toBe(true);
      if (result.length > 0) expect(result.at(-1)!.balanceMinor).toBe(0n);
    }), { numRuns: 1500 });
  });
});

describe('rescheduleRemaining', () => {
  const terms = parseScheduleTerms({ principal: '5000.00', currency: 'EUR', annualRate: '12', numberOfRepayments: 18, disbursementDate: '2022-11-01', installmentMultipleOf: '1' });
  const schedule = generateSchedule(terms);
  const remaining = schedule.installments.slice(6).map((row) => row.dueDate);

  it('reduce-installment keeps the due dates and lowers the installment', () => {
    const result = rescheduleRemaining(terms, { outstandingPrincipalMinor: 200000n, fromDate: schedule.installments[5]!.dueDate, remainingDueDates: remaining, mode: 'reduce-installment', currentInstallmentMinor: 30500n });
    expect(result.map((row) => row.dueDate)).toEqual(remaining);
    expect(result[0]!.totalMinor < 30500n).toBe(true);
  });

  it('reduce-term keeps the installment and ends sooner with a smaller last one', () => {
    const result = rescheduleRemaining(terms, { outstandingPrincipalMinor: 200000n, fromDate: schedule.installments[5]!.dueDate, remainingDueDates: remaining, mode: 'reduce-term', currentInstallmentMinor: 30500n });
    expect(result.length).toBe(7);
    expect(result.slice(0, -1).every((row) => row.totalMinor === 30500n)).toBe(true);
    expect(result.at(-1)!.totalMinor < 30500n).toBe(true);
  });
});
