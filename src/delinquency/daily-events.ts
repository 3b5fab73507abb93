import { type BusinessDate, addDays, isLeapYear } from '../shared/business-date.ts';
import { type Fixed, ONE } from '../shared/decimal.ts';
import { assert } from '../shared/errors.ts';
import { divideRounded, type RoundingMode } from '../shared/rounding.ts';
import { type AgeingPause, type LoanAgeing, dateWhenAged, isPausedOn, loanAgeing } from '../lending/ageing.ts';
import { installmentOutstanding, type InstallmentState, outstandingOf } from '../lending/loan-state.ts';
import { feeAmount } from '../lending/loan-terms.ts';
import type { DelinquencyRange, LateFeeRule } from '../lending/product.ts';
import type { DaysInYear } from '../lending/schedule-terms.ts';

/** The product rules the daily run applies (from the terms a loan was sold under). */
export interface DailyRules {
  lateFee: LateFeeRule | null;
  penaltyAnnualRatePercent: Fixed;
  daysInYear: DaysInYear;
  agingGraceDays: number;
  ranges: readonly DelinquencyRange[];
  nonAccrualDays: number | null;
  chargeOffDays: number;
  roundingMode: RoundingMode;
}

/** What the run knows about one loan on the business date it processes. */
export interface DailyLoanFacts {
  businessDate: BusinessDate;
  status: 'active' | 'charged-off';
  disbursedOn: BusinessDate;
  installments: readonly InstallmentState[];
  /** Late fees already assessed, per installment (amount as charged). */
  lateFees: ReadonlyArray<{ installmentNumber: number; amountMinor: bigint }>;
  pauses: readonly AgeingPause[];
  /** Stored classification as of the last change or run. */
  previous: { delinquentDays: number; bucket: string | null; nonAccrualOn: BusinessDate | null; penaltyAccruedThrough: BusinessDate | null; eodThrough: BusinessDate | null };
  /** The day a due date's `loan.due` event belongs to (the calendar's non-business-day rule); identity when absent. */
  dueEventDate?: (dueDate: BusinessDate) => BusinessDate;
}

export interface DailyDecision {
  /** Installments that fell due since the loan was last looked at and are unpaid: `loan.due`. */
  dueInstallments: Array<{ number: number; dueDate: BusinessDate; amountMinor: bigint }>;
  /** Late fees to charge now (`fee.assessed`), each attached to its installment. */
  lateFees: Array<{ installmentNumber: number; amountMinor: bigint; overdueMinor: bigint }>;
  /** One penalty-interest charge for the days since the last booking, or null. */
  penalty: { installmentNumber: number; amountMinor: bigint; fromExclusive: BusinessDate; through: BusinessDate; days: number } | null;
  penaltyAccruedThrough: BusinessDate | null;
  ageing: LoanAgeing;
  delinquent: boolean;
  bucketChanged: { from: string | null; to: string | null } | null;
  cured: boolean;
  nonAccrualOn: BusinessDate | null;
  chargeOff: boolean;
  /** The next date the loan needs the run; always after the business date, or null for none. */
  nextEventDate: BusinessDate | null;
}

/** Penalty interest is booked at the loan's events and at least this often while it accrues. */
export const PENALTY_BOOKING_INTERVAL_DAYS = 30;
/** Longest span of penalty days computed at once (a loan unseen for years is a data problem). */
const MAX_PENALTY_DAYS = 3660;

function daysInYearOf(date: BusinessDate, basis: DaysInYear): bigint {
  if (basis === 'actual') return isLeapYear(Number(date.slice(0, 4))) ? 366n : 365n;
  return BigInt(basis);
}

/**
 * Penalty interest for one day: overdue principal × annual penalty rate ÷ days in the year, rounded
 * with the product's mode. Overdue principal is the principal still owed on installments due before
 * that day.
 *
 * @example penaltyForDay(100000n, parseDecimal('36'), '2026-03-09', 365, 'half-even') // 99n
 */
export function penaltyForDay(overduePrincipalMinor: bigint, annualRatePercent: Fixed, date: BusinessDate, basis: DaysInYear, mode: RoundingMode): bigint {
  if (overduePrincipalMinor <= 0n || annualRatePercent <= 0n) return 0n;
  return divideRounded(overduePrincipalMinor * annualRatePercent, ONE * 100n * daysInYearOf(date, basis), mode);
}

function overduePrincipalOn(installments: readonly InstallmentState[], date: BusinessDate): bigint {
  let total = 0n;
  for (const installment of installments) {
    if (installment.dueDate >= date) break;
    total += outstandingOf(installment, 'principal');
  }
  return total;
}

/**
 * Decides what happens to one loan on a business date: installments falling due, late fees once
 * the grace has run out (capped per installment and per loan), penalty interest for every day since
 * the last booking, days past due and bucket from the oldest unpaid due date, non-accrual,
 * charge-off, cure, and the date the loan next needs the run. Pure: facts in, decisions out.
 *
 * @example
 * const decision = decideDailyEvents({ businessDate: '2026-03-09', status: 'active', disbursedOn, installments, lateFees: [], pauses: [], previous }, rules)
 * decision.lateFees // [{ installmentNumber: 2, amountMinor: 1500n, overdueMinor: 30000n }]
 */
export function decideDailyEvents(facts: DailyLoanFacts, rules: DailyRules): DailyDecision {
  const { businessDate, installments, pauses, previous } = facts;
  const dueEventDate = facts.dueEventDate ?? ((date: BusinessDate) => date);
  const active = facts.status === 'active';
  const lookedAtThrough = previous.eodThrough ?? addDays(facts.disbursedOn, -1);

  const dueInstallments = installments
    .filter((installment) => {
      const eventDate = dueEventDate(installment.dueDate);
      return eventDate > lookedAtThrough && eventDate <= businessDate && installmentOutstanding(installment) > 0n;
    })
    .map((installment) => ({ number: installment.number, dueDate: installment.dueDate, amountMinor: installmentOutstanding(installment) }));

  // Late fees: one per installment, on the first day its own unpaused age exceeds the grace.
  const lateFees: DailyDecision['lateFees'] = [];
  const feesByInstallment = new Map<number, bigint>();
  let loanFeesMinor = 0n;
  for (const fee of facts.lateFees) {
    feesByInstallment.set(fee.installmentNumber, (feesByInstallment.get(fee.installmentNumber) ?? 0n) + fee.amountMinor);
    loanFeesMinor += fee.amountMinor;
  }
  const lateFeeRule = active ? rules.lateFee : null;
  const loanCapReached = () => lateFeeRule?.capPerLoanMinor != null && loanFeesMinor >= lateFeeRule.capPerLoanMinor;
  if (lateFeeRule) {
    for (const installment of installments) {
      if (installment.dueDate >= businessDate || installmentOutstanding(installment) === 0n || feesByInstallment.has(installment.number)) continue;
      const feeDate = dateWhenAged(installment.dueDate, rules.agingGraceDays + 1, pauses);
      if (feeDate === null || feeDate > businessDate || loanCapReached()) continue;
      const overdueMinor = outstandingOf(installment, 'principal') + outstandingOf(installment, 'interest');
      let amountMinor = feeAmount(lateFeeRule.fee, overdueMinor, rules.roundingMode);
      if (lateFeeRule.capPerInstallmentMinor !== null && amountMinor > lateFeeRule.capPerInstallmentMinor) amountMinor = lateFeeRule.capPerInstallmentMinor;
      if (lateFeeRule.capPerLoanMinor !== null && amountMinor > lateFeeRule.capPerLoanMinor - loanFeesMinor) amountMinor = lateFeeRule.capPerLoanMinor - loanFeesMinor;
      // A zero fee (a percentage of nothing, or the cap reached) is recorded as assessed: never retried.
      feesByInstallment.set(installment.number, amountMinor);
      if (amountMinor <= 0n) continue;
      loanFeesMinor += amountMinor;
      lateFees.push({ installmentNumber: installment.number, amountMinor, overdueMinor });
    }
  }

  const ageing = loanAgeing(installments, businessDate, rules.agingGraceDays, rules.ranges, pauses);
  const firstUnpaid = installments.find((installment) => installmentOutstanding(installment) > 0n) ?? null;
  const nonAccrualStart = rules.nonAccrualDays !== null && firstUnpaid !== null
    ? dateWhenAged(firstUnpaid.dueDate, rules.agingGraceDays + rules.nonAccrualDays, pauses)
    : null;

  // Penalty interest: every unpaused day before non-accrual since the last booking, one charge.
  let penalty: DailyDecision['penalty'] = null;
  let penaltyAccruedThrough = previous.penaltyAccruedThrough;
  if (active && rules.penaltyAnnualRatePercent > 0n) {
    const oldestDue = firstUnpaid?.dueDate ?? businessDate;
    let from = previous.penaltyAccruedThrough !== null && previous.penaltyAccruedThrough > oldestDue ? previous.penaltyAccruedThrough : oldestDue;
    if (from < addDays(businessDate, -MAX_PENALTY_DAYS)) from = addDays(businessDate, -MAX_PENALTY_DAYS);
    let amountMinor = 0n;
    let days = 0;
    for (let day = addDays(from, 1); day <= businessDate; day = addDays(day, 1)) {
      if (isPausedOn(pauses, day) || (nonAccrualStart !== null && day >= nonAccrualStart)) continue;
      const dayMinor = penaltyForDay(overduePrincipalOn(installments, day), rules.penaltyAnnualRatePercent, day, rules.daysInYear, rules.roundingMode);
      if (dayMinor > 0n) days++;
      amountMinor += dayMinor;
    }
    if (amountMinor > 0n) {
      const target = installments.find((installment) => installment.dueDate < businessDate && installmentOutstanding(installment) > 0n) ?? firstUnpaid!;
      penalty = { installmentNumber: target.number, amountMinor, fromExclusive: from, through: businessDate, days };
    }
    penaltyAccruedThrough = businessDate;
  }

  const delinquent = previous.delinquentDays === 0 && ageing.delinquentDays > 0;
  const bucketChanged = previous.bucket !== ageing.bucket ? { from: previous.bucket, to: ageing.bucket } : null;
  const cured = previous.delinquentDays > 0 && ageing.pastDueDays === 0;
  let nonAccrualOn = previous.nonAccrualOn;
  if (ageing.pastDueDays === 0) nonAccrualOn = null;
  else if (nonAccrualOn === null && rules.nonAccrualDays !== null && ageing.delinquentDays >= rules.nonAccrualDays) nonAccrualOn = businessDate;
  const chargeOff = active && ageing.delinquentDays >= rules.chargeOffDays;

  let nextEventDate: BusinessDate | null = null;
  const consider = (date: BusinessDate | null) => {
    if (date === null) return;
    assert(date > businessDate, `next event ${date} must come after ${businessDate}`);
    if (nextEventDate === null || date < nextEventDate) nextEventDate = date;
  };
  if (active && !chargeOff) {
    for (const installment of installments) {
      if (installmentOutstanding(installment) === 0n) continue;
      const eventDate = dueEventDate(installment.dueDate);
      if (eventDate > businessDate) consider(eventDate);
      if (lateFeeRule && !loanCapReached() && !feesByInstallment.has(installment.number)) {
        const feeDate = dateWhenAged(installment.dueDate, rules.agingGraceDays + 1, pauses);
        if (feeDate !== null && feeDate > businessDate) consider(feeDate);
      }
    }
    if (firstUnpaid !== null) {
      const thresholds = [1, ...rules.ranges.map((range) => range.minDays), rules.chargeOffDays, ...(rules.nonAccrualDays !== null ? [rules.nonAccrualDays] : [])];
      for (const threshold of thresholds) {
        if (threshold <= ageing.delinquentDays) continue;
        const date = dateWhenAged(firstUnpaid.dueDate, rules.agingGraceDays + threshold, pauses);
        if (date !== null && date > businessDate) consider(date);
      }
      const accruing = rules.penaltyAnnualRatePercent > 0n && ageing.pastDueDays > 0 && (nonAccrualStart === null || nonAccrualStart > businessDate);
      if (accruing) consider(addDays(businessDate, PENALTY_BOOKING_INTERVAL_DAYS));
    }
  }
  return { dueInstallments, lateFees, penalty, penaltyAccruedThrough, ageing, delinquent, bucketChanged, cured, nonAccrualOn, chargeOff, nextEventDate };
}
