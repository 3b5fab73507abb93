import { type BusinessDate, addDays } from '../shared/business-date.ts';
import type { Random } from '../shared/random.ts';

/** How a synthetic borrower pays. */
export type BehaviourProfile = 'on-time' | 'sometimes-late' | 'chronically-late' | 'hardship' | 'default';

/** Shares of the book per profile, in percent; they add up to 100. */
export const PROFILE_SHARES: ReadonlyArray<[BehaviourProfile, number]> = [
  ['on-time', 62], ['sometimes-late', 18], ['chronically-late', 10], ['hardship', 5], ['default', 5],
];

/**
 * A 32-bit seed from a book's seed and a text (a loan id, a date): FNV-1a, so that every loan and
 * installment draws its own reproducible numbers however the book is walked.
 *
 * @example seedFor(7, 'loan_01J…/2026-03-09') // 2912331431
 */
export function seedFor(seed: number, text: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A borrower's behaviour: the profile, and for a default how many installments are paid first. */
export interface Behaviour {
  profile: BehaviourProfile;
  installmentsPaidBeforeDefault: number;
}

/** The behaviour of a loan's borrower, from randomness seeded by the loan. @example behaviourOf(createRandom(seedFor(7, loanId))).profile // 'on-time' */
export function behaviourOf(random: Random): Behaviour {
  const draw = random.integerBetween(1, 100);
  const installmentsPaidBeforeDefault = random.integerBetween(0, 2);
  let cumulative = 0;
  for (const [profile, share] of PROFILE_SHARES) {
    cumulative += share;
    if (draw <= cumulative) return { profile, installmentsPaidBeforeDefault };
  }
  return { profile: 'on-time', installmentsPaidBeforeDefault };
}

export interface PaymentPlan {
  /** The date the borrower pays the installment due on `dueDate`, or null: never. */
  payOn: BusinessDate | null;
  /** Whole (what is due) or half of it (hardship). */
  share: 'all' | 'half';
}

/**
 * When and how much a borrower with `profile` pays the installment `installmentNumber` due on
 * `dueDate` (`behaviour` from `behaviourOf`), from randomness seeded by the loan and that due date (the same answer every time):
 * on time; sometimes a few days late and then cured; often weeks late; half of it during hardship;
 * or, for a default, the first installments and then nothing.
 *
 * @example planPayment(behaviourOf(loanRandom), 2, '2026-03-09', createRandom(seedFor(7, `${loanId}/2026-03-09`)))
 */
export function planPayment(behaviour: Behaviour, installmentNumber: number, dueDate: BusinessDate, random: Random): PaymentPlan {
  switch (behaviour.profile) {
    case 'on-time':
      return { payOn: random.chance(0.97) ? dueDate : addDays(dueDate, random.integerBetween(1, 3)), share: 'all' };
    case 'sometimes-late':
      return { payOn: random.chance(0.6) ? dueDate : addDays(dueDate, random.integerBetween(3, 25)), share: 'all' };
    case 'chronically-late':
      return { payOn: addDays(dueDate, random.integerBetween(8, 50)), share: 'all' };
    case 'hardship':
      return { payOn: addDays(dueDate, random.integerBetween(0, 20)), share: random.chance(0.7) ? 'half' : 'all' };
    case 'default':
      return { payOn: installmentNumber <= behaviour.installmentsPaidBeforeDefault ? dueDate : null, share: 'all' };
  }
}
