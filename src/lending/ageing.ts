import { type BusinessDate, addDays, daysBetween, maxDate, minDate } from '../shared/business-date.ts';
import { installmentOutstanding, type InstallmentState } from './loan-state.ts';
import { type DelinquencyRange, rangeForDays } from './product.ts';

/**
 * A pause in delinquency ageing: days from `from` (inclusive) to `until` (exclusive) do not count as
 * delinquent. `until` null: the pause lasts until it is resumed.
 */
export interface AgeingPause {
  from: BusinessDate;
  until: BusinessDate | null;
}

/**
 * Days of `pauses` inside the span [start, end): the overlap of half-open intervals, so a pause
 * that starts on a due date removes that day just as the due date itself counts as day one.
 *
 * @example pausedDaysWithin([{ from: '2023-10-16', until: '2023-10-30' }], '2023-10-01', '2023-10-20') // 4
 */
export function pausedDaysWithin(pauses: readonly AgeingPause[], start: BusinessDate, end: BusinessDate): number {
  let days = 0;
  for (const pause of pauses) {
    const overlapStart = maxDate(pause.from, start);
    const overlapEnd = pause.until === null ? end : minDate(pause.until, end);
    const overlap = daysBetween(overlapStart, overlapEnd);
    // Pauses may not overlap each other (the store refuses it), so their days simply add up.
    if (overlap > 0) days += overlap;
  }
  return days;
}

/** True when ageing is paused on `date`. @example isPausedOn([{ from: '2023-10-16', until: null }], '2023-10-20') // true */
export function isPausedOn(pauses: readonly AgeingPause[], date: BusinessDate): boolean {
  return pauses.some((pause) => pause.from <= date && (pause.until === null || pause.until > date));
}

/** Longest span searched for an ageing date; beyond it the loan is re-examined anyway. */
const MAX_AGEING_SEARCH_ITERATIONS = 64;

/**
 * The first date on which `days` unpaused days have passed since `start` ((date − start) − paused
 * days in [start, date) ≥ days), or null while an open pause stops the clock.
 *
 * @example dateWhenAged('2023-10-01', 4, [{ from: '2023-10-02', until: '2023-10-05' }]) // "2023-10-08"
 */
export function dateWhenAged(start: BusinessDate, days: number, pauses: readonly AgeingPause[]): BusinessDate | null {
  let candidate = addDays(start, days);
  for (let iteration = 0; iteration < MAX_AGEING_SEARCH_ITERATIONS; iteration++) {
    if (pauses.some((pause) => pause.until === null && pause.from < candidate)) return null;
    const target = addDays(start, days + pausedDaysWithin(pauses, start, candidate));
    if (target === candidate) return candidate;
    candidate = target;
  }
  return candidate;
}

export interface LoanAgeing {
  /** Business date − due date of the oldest unpaid installment whose due date has passed; 0 if none. */
  pastDueDays: number;
  /** pastDueDays − grace − paused days within the overdue span, never below 0. */
  delinquentDays: number;
  /** The delinquency range (bucket) for delinquentDays, or null while current. */
  bucket: string | null;
  /** The due date of the oldest overdue installment, or null. */
  oldestOverdueDate: BusinessDate | null;
}

/**
 * A loan's ageing on a business date, derived from its oldest unpaid due date (never counted day by
 * day): what a payment stores at once and what the daily run stores for its events.
 *
 * @example loanAgeing(installments, '2023-10-25', 3, ranges, []) // { pastDueDays: 24, delinquentDays: 21, bucket: 'R3', … }
 */
export function loanAgeing(
  installments: readonly InstallmentState[],
  businessDate: BusinessDate,
  agingGraceDays: number,
  ranges: readonly DelinquencyRange[],
  pauses: readonly AgeingPause[],
): LoanAgeing {
  const oldest = installments.find((installment) => installment.dueDate < businessDate && installmentOutstanding(installment) > 0n);
  if (oldest === undefined) return { pastDueDays: 0, delinquentDays: 0, bucket: null, oldestOverdueDate: null };
  const pastDueDays = daysBetween(oldest.dueDate, businessDate);
  const delinquentDays = Math.max(0, pastDueDays - agingGraceDays - pausedDaysWithin(pauses, oldest.dueDate, businessDate));
  return { pastDueDays, delinquentDays, bucket: rangeForDays(ranges, delinquentDays), oldestOverdueDate: oldest.dueDate };
}

/**
 * The loan's next event date after a servicing change (payment, charge, reversal, disbursement): a
 * loan with anything still overdue after the change is looked at by the end of day of
 * `businessDate` (a late fee or penalty to book, the ageing to carry on); a current loan next
 * matters when its next unpaid installment falls due. A loan the change brought back to current
 * needs no visit that night: the change re-classified it and announced the cure, and penalty is
 * booked on the installments as they stand, which owe nothing overdue. Closed, written-off and
 * charged-off loans have no scheduled event.
 *
 * @example nextEventAfterChange({ installments, businessDate: '2026-03-09', status: 'active' })
 */
export function nextEventAfterChange(facts: {
  installments: readonly InstallmentState[];
  businessDate: BusinessDate;
  status: string;
}): BusinessDate | null {
  if (facts.status !== 'active') return null;
  const { businessDate } = facts;
  const overdueNow = facts.installments.some((installment) => installment.dueDate < businessDate && installmentOutstanding(installment) > 0n);
  if (overdueNow) return businessDate;
  const next = facts.installments.find((installment) => installment.dueDate >= businessDate && installmentOutstanding(installment) > 0n);
  return next ? next.dueDate : null;
}
