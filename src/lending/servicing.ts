import { type BusinessDate, toEpochDay } from '../shared/business-date.ts';
import { LenityError, assert } from '../shared/errors.ts';
import { divideRounded, type RoundingMode } from '../shared/rounding.ts';
import { type Allocation, type AllocationOrder, emptyAllocation, payInstallment } from './allocation.ts';
import {
  type Component,
  type InstallmentState,
  NOTHING_WRITTEN_OFF,
  type WrittenOff,
  cloneInstallment,
  installmentOutstanding,
  outstandingBalances,
  outstandingOf,
} from './loan-state.ts';

/**
 * What happens to money paid beyond what is due:
 * - `next-installments`: it pays the next installments in order, as scheduled;
 * - `reduce-term`: it prepays principal and the same installment amount ends the loan sooner;
 * - `reduce-installment`: it prepays principal and the remaining installments are recomputed.
 */
export type PrepaymentMode = 'next-installments' | 'reduce-term' | 'reduce-installment';
export const PREPAYMENT_MODES: readonly PrepaymentMode[] = ['next-installments', 'reduce-term', 'reduce-installment'];

/**
 * Interest a borrower owes when paying the loan off early: `scheduled` keeps every installment's
 * interest (peer systems' default), `accrued` rebates interest not yet earned (interest of the
 * current period pro rata by days, none for later periods).
 */
export type EarlyPayoffInterest = 'scheduled' | 'accrued';

export interface ReamortizationRequest {
  outstandingPrincipalMinor: bigint;
  fromDate: BusinessDate;
  remainingDueDates: BusinessDate[];
  mode: 'reduce-term' | 'reduce-installment';
  currentInstallmentMinor: bigint;
}

export interface ReamortizedInstallment {
  fromDate: BusinessDate;
  dueDate: BusinessDate;
  principalMinor: bigint;
  interestMinor: bigint;
}

/** The product rules the servicing core needs; the schedule generator provides `reamortize`. */
export interface ServicingRules {
  allocationOrder: AllocationOrder;
  prepaymentMode: PrepaymentMode;
  earlyPayoffInterest: EarlyPayoffInterest;
  roundingMode: RoundingMode;
  reamortize(request: ReamortizationRequest): ReamortizedInstallment[];
}

/** A loan's state between events: the working copy that events change. */
export interface LoanState {
  installments: InstallmentState[];
  receivedMinor: bigint;
  overpaymentMinor: bigint;
  writtenOff: WrittenOff;
  writtenOffOn: BusinessDate | null;
}

export function cloneLoanState(state: LoanState): LoanState {
  return {
    installments: state.installments.map(cloneInstallment),
    receivedMinor: state.receivedMinor,
    overpaymentMinor: state.overpaymentMinor,
    writtenOff: { ...state.writtenOff },
    writtenOffOn: state.writtenOffOn,
  };
}

export function isSettled(state: LoanState): boolean {
  return state.installments.every((installment) => installmentOutstanding(installment) === 0n);
}

function markCompletions(state: LoanState, date: BusinessDate): void {
  for (const installment of state.installments) {
    const outstanding = installmentOutstanding(installment);
    if (outstanding === 0n && installment.completedOn === null) installment.completedOn = date;
    else if (outstanding > 0n) installment.completedOn = null;
  }
}

export interface PayoffQuote {
  date: BusinessDate;
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  totalMinor: bigint;
}

/** Interest earned by `date` on an installment whose period contains it, pro rata by days. */
function accruedInterest(installment: InstallmentState, date: BusinessDate, roundingMode: RoundingMode): bigint {
  const periodDays = toEpochDay(installment.dueDate) - toEpochDay(installment.fromDate);
  const elapsedDays = toEpochDay(date) - toEpochDay(installment.fromDate);
  if (elapsedDays <= 0 || periodDays <= 0) return 0n;
  if (elapsedDays >= periodDays) return installment.interestMinor;
  return divideRounded(installment.interestMinor * BigInt(elapsedDays), BigInt(periodDays), roundingMode);
}

/** The interest each installment keeps when the loan is paid off on `date`. */
function interestKeptOnPayoff(installment: InstallmentState, date: BusinessDate, rules: ServicingRules): bigint {
  if (rules.earlyPayoffInterest === 'scheduled' || installment.dueDate <= date) return installment.interestMinor;
  const earned = installment.fromDate < date ? accruedInterest(installment, date, rules.roundingMode) : 0n;
  return earned > installment.interestPaidMinor ? earned : installment.interestPaidMinor;
}

/**
 * What it takes to close the loan on `date`.
 *
 * @example payoffQuote(state, '2026-05-10', rules).totalMinor
 */
export function payoffQuote(state: LoanState, date: BusinessDate, rules: ServicingRules): PayoffQuote {
  let principalMinor = 0n;
  let interestMinor = 0n;
  let feeMinor = 0n;
  let penaltyMinor = 0n;
  for (const installment of state.installments) {
    principalMinor += outstandingOf(installment, 'principal');
    feeMinor += outstandingOf(installment, 'fee');
    penaltyMinor += outstandingOf(installment, 'penalty');
    interestMinor += interestKeptOnPayoff(installment, date, rules) - installment.interestPaidMinor;
  }
  const totalMinor = principalMinor + interestMinor + feeMinor + penaltyMinor - state.overpaymentMinor;
  return { date, principalMinor, interestMinor, feeMinor, penaltyMinor, totalMinor: totalMinor > 0n ? totalMinor : 0n };
}

const CHARGES_ONLY: ReadonlySet<Component> = new Set<Component>(['penalty', 'fee']);

/**
 * Applies one payment to the state (mutating it) and returns how it was allocated: installments
 * due by `date` oldest first, each by the allocation order; then what is left by the prepayment
 * mode; a payment that covers the payoff quote closes the loan; anything beyond is overpayment.
 */
export function applyPayment(state: LoanState, amountMinor: bigint, date: BusinessDate, rules: ServicingRules): Allocation {
  assert(amountMinor > 0n, 'payment amount must be positive');
  if (state.writtenOffOn !== null) throw new LenityError('INVALID_STATE', 'The loan has been written off; it takes no more payments');
  const allocation = emptyAllocation();
  let remaining = amountMinor;
  const quote = payoffQuote(state, date, rules);
  const closesLoan = quote.totalMinor > 0n && remaining >= quote.totalMinor;
  if (closesLoan) {
    for (const installment of state.installments) installment.interestMinor = interestKeptOnPayoff(installment, date, rules);
  }
  for (const installment of state.installments) {
    if (remaining === 0n || installment.dueDate > date) break;
    remaining = payInstallment(installment, remaining, rules.allocationOrder, allocation);
  }
  if (remaining > 0n) {
    if (closesLoan || rules.prepaymentMode === 'next-installments') {
      for (const installment of state.installments) {
        if (remaining === 0n) break;
        remaining = payInstallment(installment, remaining, rules.allocationOrder, allocation);
      }
    } else {
      remaining = prepayPrincipal(state, remaining, date, rules, allocation);
    }
  }
  if (remaining > 0n) {
    allocation.overpaymentMinor = remaining;
    state.overpaymentMinor += remaining;
  }
  state.receivedMinor += amountMinor;
  markCompletions(state, date);
  return allocation;
}

/** Charges of later installments first, then principal, and the rest of the schedule re-amortised. */
function prepayPrincipal(state: LoanState, availableMinor: bigint, date: BusinessDate, rules: ServicingRules, allocation: Allocation): bigint {
  let remaining = availableMinor;
  const future = state.installments.filter((installment) => installment.dueDate > date);
  if (future.length === 0) return remaining;
  for (const installment of future) {
    if (remaining === 0n) break;
    remaining = payInstallment(installment, remaining, rules.allocationOrder, allocation, CHARGES_ONLY);
  }
  let futurePrincipalMinor = 0n;
  for (const installment of future) futurePrincipalMinor += outstandingOf(installment, 'principal');
  const prepaidMinor = remaining < futurePrincipalMinor ? remaining : futurePrincipalMinor;
  if (prepaidMinor === 0n) return remaining;
  remaining -= prepaidMinor;
  allocation.principalMinor += prepaidMinor;

  const current = future[0]!;
  const balanceMinor = futurePrincipalMinor - prepaidMinor;
  const mode = rules.prepaymentMode === 'reduce-installment' ? 'reduce-installment' : 'reduce-term';
  const rows =
    balanceMinor > 0n
      ? rules.reamortize({
          outstandingPrincipalMinor: balanceMinor,
          fromDate: current.fromDate,
          remainingDueDates: future.map((installment) => installment.dueDate),
          mode,
          currentInstallmentMinor: current.principalMinor - current.principalPaidMinor + current.interestMinor - current.interestPaidMinor,
        })
      : [];
  assert(rows.length <= future.length, 're-amortisation must not lengthen the loan');
  // The prepaid principal is recorded as paid on the current installment, so that the principal
  // parts of the schedule still sum to the loan's principal.
  const alreadyPaidOnCurrent = current.principalPaidMinor;
  future.forEach((installment, index) => {
    const row = rows[index];
    const paidBefore = index === 0 ? alreadyPaidOnCurrent + prepaidMinor : installment.principalPaidMinor;
    installment.principalMinor = paidBefore + (row?.principalMinor ?? 0n);
    installment.principalPaidMinor = paidBefore;
    installment.interestMinor = row ? row.interestMinor + installment.interestPaidMinor : installment.interestPaidMinor;
  });
  // Installments the shorter schedule no longer needs: their charges move to the last one kept.
  const keptCount = Math.max(rows.length, 1);
  const dropped = future.slice(keptCount);
  if (dropped.length > 0) {
    const last = future[keptCount - 1]!;
    for (const installment of dropped) {
      last.feeMinor += installment.feeMinor;
      last.feePaidMinor += installment.feePaidMinor;
      last.feeWaivedMinor += installment.feeWaivedMinor;
      last.penaltyMinor += installment.penaltyMinor;
      last.penaltyPaidMinor += installment.penaltyPaidMinor;
      last.penaltyWaivedMinor += installment.penaltyWaivedMinor;
      assert(installment.principalPaidMinor === 0n && installment.interestPaidMinor === 0n, 'a dropped installment had payments');
    }
    const droppedNumbers = new Set(dropped.map((installment) => installment.number));
    state.installments = state.installments.filter((installment) => !droppedNumbers.has(installment.number));
  }
  return remaining;
}

/** Attaches a fee or penalty to its installment. */
export function applyCharge(state: LoanState, charge: { kind: 'fee' | 'penalty'; amountMinor: bigint; waivedMinor: bigint; installmentNumber: number }): void {
  if (state.writtenOffOn !== null) throw new LenityError('INVALID_STATE', 'The loan has been written off; it takes no more charges');
  const installment = state.installments.find((candidate) => candidate.number === charge.installmentNumber) ?? state.installments.at(-1)!;
  if (charge.kind === 'fee') {
    installment.feeMinor += charge.amountMinor;
    installment.feeWaivedMinor += charge.waivedMinor;
  } else {
    installment.penaltyMinor += charge.amountMinor;
    installment.penaltyWaivedMinor += charge.waivedMinor;
  }
  installment.completedOn = installmentOutstanding(installment) === 0n ? installment.completedOn : null;
}

/** Takes everything still owed off the books. */
export function applyWriteOff(state: LoanState, date: BusinessDate): WrittenOff {
  if (state.writtenOffOn !== null) throw new LenityError('INVALID_STATE', 'The loan is already written off');
  const outstanding = outstandingBalances(state.installments);
  state.writtenOff = {
    principalMinor: outstanding.principalMinor,
    interestMinor: outstanding.interestMinor,
    feeMinor: outstanding.feeMinor,
    penaltyMinor: outstanding.penaltyMinor,
  };
  state.writtenOffOn = date;
  return state.writtenOff;
}

/**
 * Replaces what is still owed by a new schedule from `date` (a hardship plan: deferral, extension,
 * reduced payments). Every installment with something outstanding is closed at what was paid or
 * waived on it (one with nothing paid is removed); the new installments follow, numbered after the
 * last. The principal owed never changes: the new rows carry exactly the principal that was
 * outstanding (when a back-dated payment made since changes it, the difference is taken from the
 * last rows, so a replay stays exact). Interest not yet due is replaced by the rows' interest;
 * interest already due, fees and penalties move to the first new installment.
 *
 * @example applyReschedule(state, '2026-03-10', [{ fromDate: '2026-03-10', dueDate: '2026-06-05', principalMinor: 500000n, interestMinor: 21000n }, …])
 */
export function applyReschedule(state: LoanState, date: BusinessDate, rows: readonly ReamortizedInstallment[]): void {
  if (state.writtenOffOn !== null) throw new LenityError('INVALID_STATE', 'The loan has been written off; it cannot be rescheduled');
  if (rows.length === 0) throw new LenityError('VALIDATION_FAILED', 'installments: a reschedule needs at least one installment', { field: 'installments' });
  let previous = date;
  for (const row of rows) {
    if (row.dueDate <= previous || row.fromDate > row.dueDate || row.principalMinor < 0n || row.interestMinor < 0n) {
      throw new LenityError('VALIDATION_FAILED', 'installments: due dates must be after the reschedule date and increasing, amounts not negative', { field: 'installments' });
    }
    previous = row.dueDate;
  }
  const open = state.installments.filter((installment) => installmentOutstanding(installment) > 0n);
  let principalOwedMinor = 0n;
  let interestDueMinor = 0n;
  let feeOwedMinor = 0n;
  let penaltyOwedMinor = 0n;
  for (const installment of open) {
    principalOwedMinor += outstandingOf(installment, 'principal');
    if (installment.dueDate <= date) interestDueMinor += outstandingOf(installment, 'interest');
    feeOwedMinor += outstandingOf(installment, 'fee');
    penaltyOwedMinor += outstandingOf(installment, 'penalty');
    installment.principalMinor = installment.principalPaidMinor;
    installment.interestMinor = installment.interestPaidMinor;
    installment.feeMinor = installment.feePaidMinor + installment.feeWaivedMinor;
    installment.penaltyMinor = installment.penaltyPaidMinor + installment.penaltyWaivedMinor;
    installment.completedOn = date;
  }
  const principals = rows.map((row) => row.principalMinor);
  let differenceMinor = principalOwedMinor - principals.reduce((total, value) => total + value, 0n);
  for (let index = principals.length - 1; index >= 0 && differenceMinor !== 0n; index--) {
    const adjusted = principals[index]! + differenceMinor;
    principals[index] = adjusted < 0n ? 0n : adjusted;
    differenceMinor = adjusted < 0n ? adjusted : 0n;
  }
  assert(differenceMinor === 0n, 'a reschedule carries exactly the principal owed');
  const nextNumber = Math.max(0, ...state.installments.map((installment) => installment.number)) + 1;
  const untouched = (installment: InstallmentState) =>
    installment.principalPaidMinor === 0n && installment.interestPaidMinor === 0n && installment.feePaidMinor === 0n && installment.penaltyPaidMinor === 0n &&
    installment.feeWaivedMinor === 0n && installment.penaltyWaivedMinor === 0n;
  const removed = new Set(open.filter(untouched).map((installment) => installment.number));
  state.installments = state.installments.filter((installment) => !removed.has(installment.number));
  rows.forEach((row, index) => {
    const installment: InstallmentState = {
      number: nextNumber + index, fromDate: row.fromDate, dueDate: row.dueDate, principalMinor: principals[index]!, interestMinor: row.interestMinor,
      feeMinor: 0n, penaltyMinor: 0n, principalPaidMinor: 0n, interestPaidMinor: 0n, feePaidMinor: 0n, penaltyPaidMinor: 0n,
      feeWaivedMinor: 0n, penaltyWaivedMinor: 0n, completedOn: null,
    };
    if (index === 0) {
      installment.interestMinor += interestDueMinor;
      installment.feeMinor = feeOwedMinor;
      installment.penaltyMinor = penaltyOwedMinor;
    }
    state.installments.push(installment);
  });
  markCompletions(state, date);
}

/** Every event that changes a loan after disbursement, in the order the replay applies them. */
export type LoanEvent =
  | { kind: 'charge'; id: string; date: BusinessDate; sequence: number; chargeKind: 'fee' | 'penalty'; amountMinor: bigint; waivedMinor: bigint; installmentNumber: number }
  | { kind: 'payment'; id: string; date: BusinessDate; sequence: number; amountMinor: bigint }
  | { kind: 'reschedule'; id: string; date: BusinessDate; sequence: number; installments: readonly ReamortizedInstallment[] }
  | { kind: 'write-off'; id: string; date: BusinessDate; sequence: number };

const EVENT_RANK: Record<LoanEvent['kind'], number> = { charge: 0, payment: 1, reschedule: 2, 'write-off': 3 };

/** Same-day order: charges, then payments, then a reschedule, then a write-off; ties by booking sequence. */
export function compareEvents(a: LoanEvent, b: LoanEvent): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.kind !== b.kind) return EVENT_RANK[a.kind] - EVENT_RANK[b.kind];
  return a.sequence - b.sequence;
}

export interface ReplayResult {
  state: LoanState;
  allocations: Map<string, Allocation>;
}

/**
 * Rebuilds a loan's state from its original schedule and every event in date order. A back-dated
 * payment or a reversal changes the events; replaying them re-applies every later payment.
 */
export function replayLoan(originalSchedule: readonly InstallmentState[], events: readonly LoanEvent[], rules: ServicingRules): ReplayResult {
  const state: LoanState = {
    installments: originalSchedule.map(cloneInstallment),
    receivedMinor: 0n,
    overpaymentMinor: 0n,
    writtenOff: { ...NOTHING_WRITTEN_OFF },
    writtenOffOn: null,
  };
  const allocations = new Map<string, Allocation>();
  for (const event of [...events].sort(compareEvents)) {
    switch (event.kind) {
      case 'charge':
        applyCharge(state, { kind: event.chargeKind, amountMinor: event.amountMinor, waivedMinor: event.waivedMinor, installmentNumber: event.installmentNumber });
        break;
      case 'payment':
        allocations.set(event.id, applyPayment(state, event.amountMinor, event.date, rules));
        break;
      case 'reschedule':
        applyReschedule(state, event.date, event.installments);
        break;
      case 'write-off':
        applyWriteOff(state, event.date);
        break;
    }
  }
  return { state, allocations };
}
