/**
 * Scenarios turned from the acceptance features of Apache Fineract's end-to-end test runner
 * (fineract-e2e-tests-runner/src/test/resources/features). Each names the feature and scenario it
 * follows; where Lenity lacks a transaction the feature uses, the note says what was adapted.
 */

const FINERACT_RANGES = [
  { code: 'RANGE_1', minDays: 1, maxDays: 3 },
  { code: 'RANGE_3', minDays: 4, maxDays: 30 },
  { code: 'RANGE_30', minDays: 31, maxDays: 60 },
  { code: 'RANGE_60', minDays: 61, maxDays: 90 },
  { code: 'RANGE_90', minDays: 91, maxDays: 120 },
  { code: 'RANGE_120', minDays: 121, maxDays: 150 },
  { code: 'RANGE_150', minDays: 151, maxDays: 180 },
  { code: 'RANGE_180', minDays: 181, maxDays: 240 },
  { code: 'RANGE_240', minDays: 241 },
];

/** Zero-interest product with the runner's delinquency bucket and a 3-day ageing grace. */
function product(overrides: Record<string, unknown>) {
  return {
    currency: 'EUR',
    annualRate: '0',
    interestMethod: 'flat',
    amortization: 'equal-installments',
    interestCalculation: 'per-period',
    roundingMode: 'half-even',
    allocation: 'penalties-fees-interest-principal',
    agingGraceDays: 3,
    delinquencyRanges: FINERACT_RANGES,
    ...overrides,
  };
}

/** LP2_DOWNPAYMENT…: 25% down payment, then 3 installments every 15 days. */
const DOWN_PAYMENT_15_DAYS = product({ repaymentEvery: 15, repaymentUnit: 'days', numberOfRepayments: 3, downPaymentPercent: '25' });
/** LP2_DOWNPAYMENT… with a 6-month term. */
const DOWN_PAYMENT_6_MONTHS = product({ repaymentEvery: 1, repaymentUnit: 'months', numberOfRepayments: 6, downPaymentPercent: '25' });
/** LP2_PROGRESSIVE_ADVANCED_PAYMENT_ALLOCATION_BUYDOWN_FEES at 0%: 6 monthly installments. */
const PROGRESSIVE_6_MONTHS = product({ interestMethod: 'declining-balance', interestCalculation: 'daily', repaymentEvery: 1, repaymentUnit: 'months', numberOfRepayments: 6 });
/** LP1: the runner's default loan, one installment 30 days after disbursement. */
const DEFAULT_ONE_PERIOD = product({ repaymentEvery: 30, repaymentUnit: 'days', numberOfRepayments: 1 });

export interface DerivedScenario {
  name: string;
  source: string;
  input: Record<string, unknown>;
  expected: { results: Array<Record<string, unknown>> };
}

export const FINERACT_SCENARIOS: DerivedScenario[] = [
  {
    name: 'delinquent days start after the 3-day grace (day 1 to 4 past due)',
    source: 'LoanDelinquency-Part1.feature: installment level delinquency, grace period checks on 02, 04 and 05 October 2023',
    input: {
      product: DOWN_PAYMENT_15_DAYS,
      loan: { principal: '1000.00', disbursementDate: '2023-10-01' },
      steps: [
        { on: '2023-10-02', eod: true }, { on: '2023-10-02', snapshot: true },
        { on: '2023-10-04', eod: true }, { on: '2023-10-04', snapshot: true },
        { on: '2023-10-05', eod: true }, { on: '2023-10-05', snapshot: true },
      ],
    },
    expected: {
      results: [
        { step: 2, snapshot: { pastDueDays: 1, delinquentDays: 0, range: null, installmentRanges: [] } },
        { step: 4, snapshot: { pastDueDays: 3, delinquentDays: 0, range: null, installmentRanges: [] } },
        { step: 6, snapshot: { pastDueDays: 4, delinquentDays: 1, range: 'RANGE_1', installmentRanges: [{ range: 'RANGE_3', amount: '250.00' }] } },
      ],
    },
  },
  {
    name: 'an unpaid down payment is 9 days past due, 6 delinquent',
    source: 'LoanDelinquency-Part2.feature C4619: pastDueDate is returned correctly for overdue loan',
    input: {
      product: DOWN_PAYMENT_15_DAYS,
      loan: { principal: '1000.00', disbursementDate: '2023-10-01' },
      steps: [{ on: '2023-10-10', eod: true }, { on: '2023-10-10', snapshot: true }],
    },
    expected: { results: [{ step: 2, snapshot: { pastDueDays: 9, delinquentDays: 6, range: 'RANGE_3', outstanding: { total: '1000.00' } } }] },
  },
  {
    name: 'a down payment paid on the disbursement date leaves no delinquency',
    source: 'LoanDelinquency-Part2.feature C4620: pastDueDate is null when loan has no overdue',
    input: {
      product: DOWN_PAYMENT_15_DAYS,
      loan: { principal: '1000.00', disbursementDate: '2023-10-01' },
      steps: [{ on: '2023-10-01', pay: { amount: '250.00' } }, { on: '2023-10-01', eod: true }, { on: '2023-10-01', snapshot: true }],
    },
    expected: {
      results: [
        { step: 1, payment: { principal: '250.00', interest: '0.00', fees: '0.00', penalties: '0.00', overpayment: '0.00' } },
        { step: 3, snapshot: { pastDueDays: 0, delinquentDays: 0, range: null, installmentRanges: [], outstanding: { principal: '750.00' } } },
      ],
    },
  },
  {
    name: 'paused days count neither for the loan nor for each installment',
    source: 'LoanDelinquency-Part2.feature C4130: paused days are not counted in installment level delinquency',
    input: {
      product: DOWN_PAYMENT_6_MONTHS,
      loan: { principal: '1000.00', disbursementDate: '2025-05-28' },
      steps: [
        { on: '2025-06-15', eod: true },
        { on: '2025-06-15', pause: { from: '2025-06-17', until: '2025-08-19' } },
        { on: '2025-10-31', eod: true },
        { on: '2025-10-31', snapshot: true },
      ],
    },
    expected: {
      results: [{
        step: 4,
        snapshot: {
          pastDueDays: 156, delinquentDays: 90, range: 'RANGE_60',
          installmentRanges: [{ range: 'RANGE_1', amount: '125.00' }, { range: 'RANGE_30', amount: '125.00' }, { range: 'RANGE_60', amount: '375.00' }, { range: 'RANGE_90', amount: '250.00' }],
        },
      }],
    },
  },
  {
    name: 'ageing grace of 3 days on a monthly loan four installments behind',
    source: 'LoanDelinquency-Part2.feature C4140: delinquent days with graceOnArrearsAgeing 3 on the product',
    input: {
      product: PROGRESSIVE_6_MONTHS,
      loan: { principal: '1000.00', disbursementDate: '2025-01-01' },
      steps: [{ on: '2025-05-15', eod: true }, { on: '2025-05-15', snapshot: true }],
    },
    expected: {
      results: [{
        step: 2,
        snapshot: {
          pastDueDays: 103, delinquentDays: 100, range: 'RANGE_90',
          installmentRanges: [{ range: 'RANGE_3', amount: '166.67' }, { range: 'RANGE_30', amount: '166.67' }, { range: 'RANGE_60', amount: '166.67' }, { range: 'RANGE_90', amount: '166.67' }],
        },
      }],
    },
  },
  {
    name: 'ageing grace of 5 days',
    source: 'LoanDelinquency-Part2.feature C4141: graceOnArrearsAgeing overridden to 5 (here on the product)',
    input: {
      product: { ...PROGRESSIVE_6_MONTHS, agingGraceDays: 5 },
      loan: { principal: '1000.00', disbursementDate: '2025-01-01' },
      steps: [{ on: '2025-05-15', eod: true }, { on: '2025-05-15', snapshot: true }],
    },
    expected: { results: [{ step: 2, snapshot: { pastDueDays: 103, delinquentDays: 98, range: 'RANGE_90' } }] },
  },
  {
    name: 'a late partial payment moves the loan to the next unpaid installment',
    source: 'LoanDelinquency.feature: installment level delinquency after a repayment on 26 October 2023',
    input: {
      product: DOWN_PAYMENT_15_DAYS,
      loan: { principal: '1000.00', disbursementDate: '2023-10-01' },
      steps: [
        { on: '2023-10-25', eod: true }, { on: '2023-10-25', snapshot: true },
        { on: '2023-10-26', pay: { amount: '250.00' } }, { on: '2023-10-26', snapshot: true },
        { on: '2023-11-20', snapshot: true },
      ],
    },
    expected: {
      results: [
        { step: 2, snapshot: { pastDueDays: 24, delinquentDays: 21, range: 'RANGE_3', installmentRanges: [{ range: 'RANGE_3', amount: '500.00' }] } },
        { step: 3, payment: { principal: '250.00', fees: '0.00' } },
        { step: 4, snapshot: { pastDueDays: 10, delinquentDays: 7, range: 'RANGE_3', installmentRanges: [{ range: 'RANGE_3', amount: '250.00' }] } },
        { step: 5, snapshot: { pastDueDays: 35, delinquentDays: 32, range: 'RANGE_30', installmentRanges: [{ range: 'RANGE_3', amount: '500.00' }, { range: 'RANGE_30', amount: '250.00' }] } },
      ],
    },
  },
  {
    name: 'pause then resume early: only the days actually paused are removed',
    source: 'LoanDelinquency.feature: delinquency PAUSE 16–30 October 2023 and RESUME on 20 October 2023 (ageing numbers derived)',
    input: {
      product: DOWN_PAYMENT_15_DAYS,
      loan: { principal: '1000.00', disbursementDate: '2023-10-01' },
      steps: [
        { on: '2023-10-16', pause: { from: '2023-10-16', until: '2023-10-30' } },
        { on: '2023-10-20', resume: true },
        { on: '2023-10-25', eod: true }, { on: '2023-10-25', snapshot: true },
      ],
    },
    expected: { results: [{ step: 4, snapshot: { pastDueDays: 24, delinquentDays: 17, range: 'RANGE_3' } }] },
  },
  {
    name: 'a fee added before the payment is paid first',
    source: 'LoanChargeOff.feature: fee of 20 due on 25 January 2023, repayment of 1020 on 10 February 2023',
    input: {
      product: DEFAULT_ONE_PERIOD,
      loan: { principal: '1000.00', disbursementDate: '2023-01-01' },
      steps: [
        { on: '2023-01-25', charge: { kind: 'fee', amount: '20.00', dueDate: '2023-01-25' } },
        { on: '2023-02-10', pay: { amount: '1020.00' } },
        { on: '2023-02-10', snapshot: true },
      ],
    },
    expected: {
      results: [
        { step: 2, payment: { principal: '1000.00', interest: '0.00', fees: '20.00', penalties: '0.00', overpayment: '0.00' } },
        { step: 3, snapshot: { pastDueDays: 0, outstanding: { total: '0.00' } } },
      ],
    },
  },
  {
    name: 'undoing the first of three repayments re-applies the later ones',
    source: 'LoanCBR.feature: repayments of 100, 500 and 600, then undo of the first (adapted: Lenity has no credit balance refund, so the overpayment stays)',
    input: {
      product: DEFAULT_ONE_PERIOD,
      loan: { principal: '1000.00', disbursementDate: '2023-01-01' },
      steps: [
        { on: '2023-01-03', pay: { amount: '100.00' } },
        { on: '2023-01-05', pay: { amount: '500.00' } },
        { on: '2023-01-05', pay: { amount: '600.00' } },
        { on: '2023-01-07', reverse: { payment: 1 } },
        { on: '2023-01-07', snapshot: true },
      ],
    },
    expected: {
      results: [
        { step: 1, payment: { principal: '0.00', overpayment: '0.00' } },
        { step: 2, payment: { principal: '500.00', overpayment: '0.00' } },
        { step: 3, payment: { principal: '500.00', overpayment: '100.00' } },
        { step: 5, snapshot: { outstanding: { total: '0.00' } } },
      ],
    },
  },
  {
    name: 'a back-dated repayment is applied before a later one',
    source: 'LoanRepayment.feature: back-dated repayment posted after a later repayment (adapted to the default product)',
    input: {
      product: DOWN_PAYMENT_15_DAYS,
      loan: { principal: '1000.00', disbursementDate: '2023-10-01' },
      steps: [
        { on: '2023-10-20', pay: { amount: '300.00' } },
        { on: '2023-10-22', pay: { amount: '200.00', date: '2023-10-10' } },
        { on: '2023-10-22', snapshot: true },
      ],
    },
    expected: {
      results: [
        { step: 1, payment: { principal: '300.00' } },
        { step: 2, payment: { principal: '200.00' } },
        { step: 3, snapshot: { pastDueDays: 0, outstanding: { principal: '500.00' } } },
      ],
    },
  },
];
