import { addDays, type BusinessDate, compareDates } from '../shared/business-date.ts';

/**
 * Promises to pay (承诺还款), judged from real payments: each instalment is due on a date; payments
 * made up to `graceDays` after it count towards it (oldest instalment first), and a shortfall of at
 * most `toleranceMinor` counts as paid. The verdict on a business date is:
 * - kept: every instalment is paid;
 * - broken: an instalment whose grace has ended got nothing;
 * - partly-kept: an instalment whose grace has ended got something, but not enough;
 * - pending: no instalment's grace has ended unpaid yet.
 * A broken promise is a strategy event (`promise-broken`).
 */
export interface PromiseInstalment {
  dueOn: BusinessDate;
  amountMinor: bigint;
}

export interface PromiseToPay {
  id: string;
  instalments: readonly PromiseInstalment[];
  /** Shortfall still counted as paid, in minor units (e.g. a rounding difference). */
  toleranceMinor: bigint;
  /** Days after a due date in which a payment still counts as on time. */
  graceDays: number;
}

export interface PaymentFact {
  paidOn: BusinessDate;
  amountMinor: bigint;
}

export type PromiseVerdict = 'kept' | 'partly-kept' | 'broken' | 'pending';

export interface PromiseJudgement {
  verdict: PromiseVerdict;
  /** Per instalment: what the payments covered. */
  instalments: Array<{ dueOn: BusinessDate; amountMinor: bigint; paidMinor: bigint; settled: boolean; graceEndsOn: BusinessDate }>;
  paidMinor: bigint;
  promisedMinor: bigint;
}

export const MAXIMUM_INSTALMENTS = 36;
export const MAXIMUM_GRACE_DAYS = 10;

/**
 * Judges a promise on `date` from the payments received since it was made.
 *
 * @example
 * judgePromise({ id: 'ptp_1', instalments: [{ dueOn: '2026-03-10', amountMinor: 50000n }], toleranceMinor: 100n, graceDays: 1 },
 *   [{ paidOn: '2026-03-11', amountMinor: 49950n }], '2026-03-12').verdict // "kept"
 */
export function judgePromise(promise: PromiseToPay, payments: readonly PaymentFact[], date: BusinessDate): PromiseJudgement {
  if (promise.instalments.length === 0 || promise.instalments.length > MAXIMUM_INSTALMENTS) throw new RangeError(`A promise has 1 to ${MAXIMUM_INSTALMENTS} instalments.`);
  if (!Number.isInteger(promise.graceDays) || promise.graceDays < 0 || promise.graceDays > MAXIMUM_GRACE_DAYS) throw new RangeError(`graceDays must be 0 to ${MAXIMUM_GRACE_DAYS}.`);
  if (promise.toleranceMinor < 0n) throw new RangeError('toleranceMinor must not be negative.');
  const instalments = [...promise.instalments]
    .sort((a, b) => compareDates(a.dueOn, b.dueOn))
    .map((instalment) => {
      if (instalment.amountMinor <= 0n) throw new RangeError('Each instalment amount must be positive.');
      return { ...instalment, paidMinor: 0n, settled: false, graceEndsOn: addDays(instalment.dueOn, promise.graceDays) };
    });
  // Payments counted up to the judgement date, in date order, each filling the oldest open instalment
  // whose grace has not ended before the payment (a late payment still helps a later instalment).
  const counted = payments.filter((payment) => compareDates(payment.paidOn, date) <= 0 && payment.amountMinor > 0n).sort((a, b) => compareDates(a.paidOn, b.paidOn));
  for (const payment of counted) {
    let remaining = payment.amountMinor;
    for (const instalment of instalments) {
      if (remaining === 0n) break;
      if (compareDates(payment.paidOn, instalment.graceEndsOn) > 0) continue;
      const open = instalment.amountMinor - instalment.paidMinor;
      if (open <= 0n) continue;
      const applied = remaining < open ? remaining : open;
      instalment.paidMinor += applied;
      remaining -= applied;
    }
  }
  let verdict: PromiseVerdict = 'kept';
  for (const instalment of instalments) {
    instalment.settled = instalment.amountMinor - instalment.paidMinor <= promise.toleranceMinor;
    if (instalment.settled) continue;
    if (compareDates(date, instalment.graceEndsOn) <= 0) {
      if (verdict === 'kept') verdict = 'pending';
      continue;
    }
    verdict = instalment.paidMinor > 0n ? 'partly-kept' : 'broken';
    break;
  }
  const paidMinor = instalments.reduce((sum, instalment) => sum + instalment.paidMinor, 0n);
  const promisedMinor = instalments.reduce((sum, instalment) => sum + instalment.amountMinor, 0n);
  return { verdict, instalments, paidMinor, promisedMinor };
}
