import { type BusinessDate, daysBetween } from '../shared/business-date.ts';
import { splitEvenly } from '../shared/rounding.ts';

/**
 * How well collections work, per channel, rung, arm and agent (pure: facts in, figures out).
 * Promises, cures and money received are credited to the LAST touch on the loan before them
 * (last-touch attribution): money within 7 and within 30 days of that touch, promises and cures
 * within 30 days.
 */
export interface Touch {
  caseId: string;
  loanId: string;
  on: BusinessDate;
  channel: string;
  /** The strategy rung that proposed it; null for a contact an agent chose to make. */
  rung: string | null;
  arm: string | null;
  agent: string | null;
  delivered: boolean;
  rightParty: boolean;
}

export interface PromiseFact {
  caseId: string;
  loanId: string;
  madeOn: BusinessDate;
  /** pending | kept | partly-kept | broken */
  status: string;
}

export interface PaymentFact {
  loanId: string;
  paidOn: BusinessDate;
  amountMinor: bigint;
  currency: string;
}

export interface CureFact {
  caseId: string;
  loanId: string;
  curedOn: BusinessDate;
}

export const EFFECTIVENESS_DIMENSIONS = ['channel', 'rung', 'arm', 'agent'] as const;
export type EffectivenessDimension = (typeof EFFECTIVENESS_DIMENSIONS)[number];

export interface EffectivenessRow {
  dimension: EffectivenessDimension;
  value: string;
  attempts: number;
  deliveries: number;
  rightPartyContacts: number;
  promises: number;
  promisesKept: number;
  /** Kept ÷ judged promises, 4 decimals, rounded down; null when none was judged. */
  keptRate: string | null;
  casesTouched: number;
  cures: number;
  /** Cures ÷ cases touched, 4 decimals, rounded down. */
  cureRate: string | null;
  /** Minor units per currency. */
  recoveredWithin7DaysMinor: Record<string, bigint>;
  recoveredWithin30DaysMinor: Record<string, bigint>;
  /** Even-split attribution: each payment shared equally by every touch on the loan in the window before it. */
  evenSplitRecoveredWithin7DaysMinor: Record<string, bigint>;
  evenSplitRecoveredWithin30DaysMinor: Record<string, bigint>;
}

const ATTRIBUTION_DAYS = 30;
const SHORT_WINDOW_DAYS = 7;
const RATE_SCALE = 10_000n;

/** A ratio as a decimal string with 4 places, rounded down (integers only). @example ratio(2, 3) // "0.6666" */
export function ratio(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null;
  const scaled = (BigInt(numerator) * RATE_SCALE) / BigInt(denominator);
  return `${scaled / RATE_SCALE}.${String(scaled % RATE_SCALE).padStart(4, '0')}`;
}

function valueOf(touch: Touch, dimension: EffectivenessDimension): string {
  const value = dimension === 'channel' ? touch.channel : dimension === 'rung' ? touch.rung : dimension === 'arm' ? touch.arm : touch.agent;
  return value ?? '(none)';
}

/** The last touch on a loan on or before a date, within the attribution window. */
function lastTouchBefore(touchesByLoan: Map<string, Touch[]>, loanId: string, on: BusinessDate, windowDays: number): Touch | null {
  const touches = touchesByLoan.get(loanId) ?? [];
  let found: Touch | null = null;
  for (const touch of touches) {
    if (touch.on > on) break;
    found = touch;
  }
  return found !== null && daysBetween(found.on, on) <= windowDays ? found : null;
}

/** Every touch on a loan on or before a date and at most `windowDays` before it, oldest first. */
function touchesWithin(touchesByLoan: Map<string, Touch[]>, loanId: string, on: BusinessDate, windowDays: number): Touch[] {
  return (touchesByLoan.get(loanId) ?? []).filter((touch) => touch.on <= on && daysBetween(touch.on, on) <= windowDays);
}

/**
 * Computes the effectiveness table.
 *
 * @example effectiveness(touches, promises, payments, cures).find((row) => row.dimension === 'channel' && row.value === 'sms')?.deliveries
 */
export function effectiveness(touches: readonly Touch[], promises: readonly PromiseFact[], payments: readonly PaymentFact[], cures: readonly CureFact[]): EffectivenessRow[] {
  const rows = new Map<string, EffectivenessRow & { cases: Set<string>; judged: number }>();
  const rowFor = (dimension: EffectivenessDimension, value: string) => {
    const key = `${dimension}\u0000${value}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        dimension, value, attempts: 0, deliveries: 0, rightPartyContacts: 0, promises: 0, promisesKept: 0, keptRate: null, casesTouched: 0, cures: 0, cureRate: null,
        recoveredWithin7DaysMinor: {}, recoveredWithin30DaysMinor: {}, evenSplitRecoveredWithin7DaysMinor: {}, evenSplitRecoveredWithin30DaysMinor: {},
        cases: new Set(), judged: 0,
      };
      rows.set(key, row);
    }
    return row;
  };
  const credit = (touch: Touch, apply: (row: EffectivenessRow & { cases: Set<string>; judged: number }) => void) => {
    for (const dimension of EFFECTIVENESS_DIMENSIONS) apply(rowFor(dimension, valueOf(touch, dimension)));
  };
  const sorted = [...touches].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const touchesByLoan = new Map<string, Touch[]>();
  for (const touch of sorted) {
    touchesByLoan.set(touch.loanId, [...(touchesByLoan.get(touch.loanId) ?? []), touch]);
    credit(touch, (row) => {
      row.attempts += 1;
      if (touch.delivered) row.deliveries += 1;
      if (touch.rightParty) row.rightPartyContacts += 1;
      row.cases.add(touch.caseId);
    });
  }
  for (const promise of promises) {
    const touch = lastTouchBefore(touchesByLoan, promise.loanId, promise.madeOn, ATTRIBUTION_DAYS);
    if (!touch) continue;
    credit(touch, (row) => {
      row.promises += 1;
      if (promise.status !== 'pending') row.judged += 1;
      if (promise.status === 'kept') row.promisesKept += 1;
    });
  }
  for (const cure of cures) {
    const touch = lastTouchBefore(touchesByLoan, cure.loanId, cure.curedOn, ATTRIBUTION_DAYS);
    if (touch) credit(touch, (row) => (row.cures += 1));
  }
  for (const payment of payments) {
    const touch = lastTouchBefore(touchesByLoan, payment.loanId, payment.paidOn, ATTRIBUTION_DAYS);
    if (!touch) continue;
    const within7 = daysBetween(touch.on, payment.paidOn) <= SHORT_WINDOW_DAYS;
    credit(touch, (row) => {
      row.recoveredWithin30DaysMinor[payment.currency] = (row.recoveredWithin30DaysMinor[payment.currency] ?? 0n) + payment.amountMinor;
      if (within7) row.recoveredWithin7DaysMinor[payment.currency] = (row.recoveredWithin7DaysMinor[payment.currency] ?? 0n) + payment.amountMinor;
    });
  }
  for (const payment of payments) {
    for (const [windowDays, field] of [[SHORT_WINDOW_DAYS, 'evenSplitRecoveredWithin7DaysMinor'], [ATTRIBUTION_DAYS, 'evenSplitRecoveredWithin30DaysMinor']] as const) {
      const sharing = touchesWithin(touchesByLoan, payment.loanId, payment.paidOn, windowDays);
      if (sharing.length === 0) continue;
      const shares = splitEvenly(payment.amountMinor, sharing.length);
      sharing.forEach((sharer, index) => credit(sharer, (row) => {
        row[field][payment.currency] = (row[field][payment.currency] ?? 0n) + shares[index]!;
      }));
    }
  }
  return [...rows.values()]
    .map(({ cases, judged, ...row }) => ({ ...row, casesTouched: cases.size, keptRate: ratio(row.promisesKept, judged), cureRate: ratio(row.cures, cases.size) }))
    .sort((a, b) => (a.dimension === b.dimension ? (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) : EFFECTIVENESS_DIMENSIONS.indexOf(a.dimension) - EFFECTIVENESS_DIMENSIONS.indexOf(b.dimension)));
}
