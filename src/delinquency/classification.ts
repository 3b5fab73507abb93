import { type BusinessDate, daysBetween } from '../shared/business-date.ts';
import { type AgeingPause, pausedDaysWithin } from '../lending/ageing.ts';

export { type AgeingPause, pausedDaysWithin } from '../lending/ageing.ts';
import { installmentOutstanding, type InstallmentState } from '../lending/loan-state.ts';
import { type DelinquencyRange, rangeForDays } from '../lending/product.ts';

/** The overdue amount of the installments that fall in one delinquency range. */
export interface InstallmentRangeAmount {
  range: string;
  amountMinor: bigint;
}

export interface DelinquencyClassification {
  /** Business date − due date of the oldest unpaid installment whose due date has passed; 0 if none. */
  pastDueDays: number;
  /** pastDueDays − agingGraceDays − paused days within the overdue span, never below 0. */
  delinquentDays: number;
  /** The range code for delinquentDays, or null while current. */
  range: string | null;
  /** Per range (in the ranges' order), the overdue amount of installments aged by their own past-due days. */
  installmentRanges: InstallmentRangeAmount[];
}

export interface ClassificationFacts {
  installments: readonly InstallmentState[];
  businessDate: BusinessDate;
  agingGraceDays: number;
  ranges: readonly DelinquencyRange[];
  pauses: readonly AgeingPause[];
}

/**
 * Classifies a loan on a business date: days past due from the oldest unpaid due date (never
 * counted day by day), delinquent days after the grace and the pauses, the range, and the overdue
 * amounts per range by each installment's own age.
 *
 * @example
 * classifyDelinquency({ installments, businessDate: '2023-10-25', agingGraceDays: 3, ranges, pauses: [] })
 * // { pastDueDays: 24, delinquentDays: 21, range: 'RANGE_3', installmentRanges: [{ range: 'RANGE_3', amountMinor: 50000n }] }
 */
export function classifyDelinquency(facts: ClassificationFacts): DelinquencyClassification {
  const { businessDate, ranges, pauses } = facts;
  const overdue = facts.installments.filter((installment) => installment.dueDate < businessDate && installmentOutstanding(installment) > 0n);
  const oldest = overdue[0];
  if (oldest === undefined) return { pastDueDays: 0, delinquentDays: 0, range: null, installmentRanges: [] };
  const pastDueDays = daysBetween(oldest.dueDate, businessDate);
  const pausedDays = pausedDaysWithin(pauses, oldest.dueDate, businessDate);
  const delinquentDays = Math.max(0, pastDueDays - facts.agingGraceDays - pausedDays);
  if (delinquentDays === 0) return { pastDueDays, delinquentDays, range: null, installmentRanges: [] };
  const amounts = new Map<string, bigint>();
  for (const installment of overdue) {
    // Each installment ages on its own clock, without the loan's grace, but pauses still stop it.
    const ageDays = daysBetween(installment.dueDate, businessDate) - pausedDaysWithin(pauses, installment.dueDate, businessDate);
    const code = rangeForDays(ranges, ageDays);
    if (code === null) continue;
    amounts.set(code, (amounts.get(code) ?? 0n) + installmentOutstanding(installment));
  }
  const installmentRanges = ranges.flatMap((range) => {
    const amountMinor = amounts.get(range.code);
    return amountMinor === undefined ? [] : [{ range: range.code, amountMinor }];
  });
  return { pastDueDays, delinquentDays, range: rangeForDays(ranges, delinquentDays), installmentRanges };
}

/**
 * The index of the pause running on `on` (started on or before it and not yet over), or null.
 * Resuming ends that pause on `on`.
 *
 * @example pauseRunningOn([{ from: '2023-10-16', until: '2023-10-30' }], '2023-10-20') // 0
 */
export function pauseRunningOn(pauses: readonly AgeingPause[], on: BusinessDate): number | null {
  const index = pauses.findIndex((pause) => pause.from <= on && (pause.until === null || pause.until > on));
  return index === -1 ? null : index;
}

/**
 * True when two pauses share at least one day.
 *
 * @example pausesOverlap({ from: '2023-10-01', until: '2023-10-10' }, { from: '2023-10-10', until: null }) // false
 */
export function pausesOverlap(a: AgeingPause, b: AgeingPause): boolean {
  const aEndsAfterBStarts = a.until === null || a.until > b.from;
  const bEndsAfterAStarts = b.until === null || b.until > a.from;
  return aEndsAfterBStarts && bEndsAfterAStarts;
}
