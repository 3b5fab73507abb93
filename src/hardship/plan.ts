import { addDays, addMonths, type BusinessDate, daysBetween } from '../shared/business-date.ts';
import { LenityError, assert, validationError } from '../shared/errors.ts';
import { type InstallmentState, installmentOutstanding, outstandingOf } from '../lending/loan-state.ts';
import { generateSchedule } from '../lending/schedule.ts';
import type { ScheduleTerms } from '../lending/schedule-terms.ts';
import type { ReamortizedInstallment } from '../lending/servicing.ts';

/**
 * Hardship plans (pure): what a borrower who cannot pay as agreed may ask for, and the schedule
 * each would give their loan, computed by the lending schedule generator in integer minor units.
 * - `deferral` (延期还款): nothing is due for `months` months; the same number of installments
 *   as remain then follow, one period apart. Interest runs over the deferred time.
 * - `extension` (展期): the remaining principal is spread over `months` more installments.
 * - `reduced-payments`: for `months` installments only interest is paid; then the principal is
 *   spread over as many installments as remained, so the term grows by `months`.
 * The principal owed never changes. Interest already due, fees and penalties stay owed and fall due
 * with the plan's first installment (`applyReschedule` in lending does this to the loan).
 * A plan's length is in months whatever the loan's period: for a loan repaid weekly or daily the
 * months are counted as the whole periods they hold (one month of a weekly loan: four weeks).
 */
export const PLAN_KINDS = ['deferral', 'extension', 'reduced-payments'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** Most months a plan may defer, extend or reduce; a longer need is a conversation, not a form. */
export const MAXIMUM_PLAN_MONTHS: Readonly<Record<PlanKind, number>> = { deferral: 6, extension: 24, 'reduced-payments': 12 };

export interface PlanRequest {
  kind: PlanKind;
  months: number;
}

export interface PlanFacts {
  /** The loan's own schedule terms (rate, method, rounding…); the plan re-uses them. */
  terms: ScheduleTerms;
  installments: readonly InstallmentState[];
  businessDate: BusinessDate;
  /** Income and essential expenses per month, as the borrower stated them. */
  incomeMinor: bigint;
  expensesMinor: bigint;
}

export type AffordabilityVerdict = 'affordable' | 'unaffordable';

export interface PlanProposal {
  startsOn: BusinessDate;
  /** The new schedule: what `rescheduleLoan` applies on approval. */
  installments: ReamortizedInstallment[];
  principalOwedMinor: bigint;
  /** Interest already due, fees and penalties: owed with the first new installment. */
  arrearsMinor: bigint;
  /** What the borrower would pay next without a plan (the overdue and the next installment). */
  dueWithoutPlanMinor: bigint;
  firstPaymentMinor: bigint;
  largestPaymentMinor: bigint;
  totalInterestMinor: bigint;
  /**
   * `largestPaymentMinor` here is the most the plan asks within one month, held against the monthly
   * disposable income: the largest payment for a loan repaid monthly, four or five payments for one
   * repaid weekly.
   */
  affordability: { verdict: AffordabilityVerdict; disposableMinor: bigint; largestPaymentMinor: bigint };
}

/**
 * Reads a plan request: `{ kind, months }`.
 *
 * @example parsePlanRequest({ kind: 'deferral', months: 3 }) // { kind: 'deferral', months: 3 }
 */
export function parsePlanRequest(value: unknown, field = 'plan'): PlanRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validationError(field, 'must be an object { kind, months }');
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) if (key !== 'kind' && key !== 'months') throw validationError(`${field}.${key}`, 'is not a known field', 'UNKNOWN_FIELD');
  if (typeof object.kind !== 'string' || !(PLAN_KINDS as readonly string[]).includes(object.kind)) throw validationError(`${field}.kind`, `must be one of ${PLAN_KINDS.join(', ')}`);
  const kind = object.kind as PlanKind;
  const months = object.months;
  if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > MAXIMUM_PLAN_MONTHS[kind]) {
    throw validationError(`${field}.months`, `must be a whole number of months from 1 to ${MAXIMUM_PLAN_MONTHS[kind]} for a ${kind}`, 'OUT_OF_RANGE');
  }
  return { kind, months };
}

/**
 * The schedule a plan gives the loan from the business date, and whether the borrower can afford
 * it: affordable when the largest payment of the plan is no more than income less expenses.
 *
 * @example proposePlan({ terms, installments, businessDate: '2026-03-10', incomeMinor: 800000n, expensesMinor: 650000n }, { kind: 'extension', months: 6 })
 */
export function proposePlan(facts: PlanFacts, request: PlanRequest): PlanProposal {
  if (facts.incomeMinor < 0n || facts.expensesMinor < 0n) throw validationError('income', 'income and expenses must not be negative');
  const open = facts.installments.filter((installment) => installmentOutstanding(installment) > 0n);
  let principalOwedMinor = 0n;
  let arrearsMinor = 0n;
  for (const installment of open) {
    principalOwedMinor += outstandingOf(installment, 'principal');
    if (installment.dueDate <= facts.businessDate) arrearsMinor += outstandingOf(installment, 'interest');
    arrearsMinor += outstandingOf(installment, 'fee') + outstandingOf(installment, 'penalty');
  }
  if (principalOwedMinor === 0n) throw new LenityError('INVALID_STATE', 'No principal is owed; a plan has nothing to spread');
  const future = open.filter((installment) => installment.dueDate > facts.businessDate);
  const remaining = Math.max(future.length, 1);
  // The next due date stays where the borrower expects it; a loan past its last due date starts a period from today.
  const nextDue = future[0]?.dueDate ?? afterPeriods(facts.terms, facts.businessDate, 1);
  // The plan's months in the loan's own periods: as many as months for a loan repaid monthly, the
  // whole weeks or days the months hold for one repaid weekly or daily.
  const periods = periodsIn(facts.terms, nextDue, request.months);
  const shape = {
    deferral: { firstRepaymentDate: afterPeriods(facts.terms, nextDue, periods), numberOfRepayments: remaining, graceOnPrincipalPeriods: 0 },
    extension: { firstRepaymentDate: nextDue, numberOfRepayments: remaining + periods, graceOnPrincipalPeriods: 0 },
    'reduced-payments': { firstRepaymentDate: nextDue, numberOfRepayments: remaining + periods, graceOnPrincipalPeriods: periods },
  }[request.kind];
  const schedule = generateSchedule({
    ...facts.terms, ...shape, principalMinor: principalOwedMinor, disbursementDate: facts.businessDate, graceOnInterestPaymentPeriods: 0, downPaymentPercent: 0n,
  });
  const installments = schedule.installments.map((row) => ({ fromDate: row.fromDate, dueDate: row.dueDate, principalMinor: row.principalMinor, interestMinor: row.interestMinor }));
  assert(installments.reduce((total, row) => total + row.principalMinor, 0n) === principalOwedMinor, 'a plan carries exactly the principal owed');
  const payments = installments.map((row, index) => row.principalMinor + row.interestMinor + (index === 0 ? arrearsMinor : 0n));
  const largestPaymentMinor = payments.reduce((largest, payment) => (payment > largest ? payment : largest), 0n);
  const largestMonthMinor = largestWithinAMonth(installments.map((row, index) => ({ dueDate: row.dueDate, amountMinor: payments[index]! })));
  const disposableMinor = facts.incomeMinor - facts.expensesMinor;
  const overdue = open.filter((installment) => installment.dueDate <= facts.businessDate);
  const dueWithoutPlanMinor = [...overdue, ...future.slice(0, 1)].reduce((total, installment) => total + installmentOutstanding(installment), 0n);
  return {
    startsOn: facts.businessDate,
    installments,
    principalOwedMinor,
    arrearsMinor,
    dueWithoutPlanMinor,
    firstPaymentMinor: payments[0]!,
    largestPaymentMinor,
    totalInterestMinor: installments.reduce((total, row) => total + row.interestMinor, 0n),
    affordability: { verdict: largestMonthMinor <= disposableMinor ? 'affordable' : 'unaffordable', disposableMinor, largestPaymentMinor: largestMonthMinor },
  };
}

/** A date `count` of the loan's periods (`repaymentEvery` months, weeks or days) after another. */
function afterPeriods(terms: ScheduleTerms, date: BusinessDate, count: number): BusinessDate {
  if (terms.repaymentUnit === 'months') return addMonths(date, terms.repaymentEvery * count);
  return addDays(date, periodDays(terms) * count);
}

function periodDays(terms: ScheduleTerms): number {
  return terms.repaymentUnit === 'weeks' ? 7 * terms.repaymentEvery : terms.repaymentEvery;
}

/** How many of the loan's periods a plan of `months` months holds, counted from a date: at least one. */
function periodsIn(terms: ScheduleTerms, from: BusinessDate, months: number): number {
  if (terms.repaymentUnit === 'months') return months;
  return Math.max(1, Math.floor(daysBetween(from, addMonths(from, months)) / periodDays(terms)));
}

/**
 * The most the payments ask within one month (from any due date to the same day a month later):
 * income and expenses are monthly. For a loan repaid monthly it is the largest payment; a loan
 * repaid weekly asks four or five payments in a month.
 */
function largestWithinAMonth(payments: ReadonlyArray<{ dueDate: BusinessDate; amountMinor: bigint }>): bigint {
  let largest = 0n;
  for (let start = 0; start < payments.length; start++) {
    const monthEnd = addMonths(payments[start]!.dueDate, 1);
    let total = 0n;
    for (let index = start; index < payments.length && payments[index]!.dueDate < monthEnd; index++) total += payments[index]!.amountMinor;
    if (total > largest) largest = total;
  }
  return largest;
}
