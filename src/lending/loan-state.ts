import type { BusinessDate } from '../shared/business-date.ts';
import type { AccountCode } from '../ledger/accounts.ts';
import { credit, debit, journalEntry, type JournalEntryDraft } from '../ledger/journal.ts';

/** Parts of an installment a payment can pay, named as in allocation orders. */
export type Component = 'penalty' | 'fee' | 'interest' | 'principal';
export const COMPONENTS: readonly Component[] = ['penalty', 'fee', 'interest', 'principal'];

/**
 * One installment as the servicing core keeps it: what is due (principal and interest from the
 * schedule; fees and penalties from charges) and what has been paid or waived.
 */
export interface InstallmentState {
  number: number;
  fromDate: BusinessDate;
  dueDate: BusinessDate;
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  principalPaidMinor: bigint;
  interestPaidMinor: bigint;
  feePaidMinor: bigint;
  penaltyPaidMinor: bigint;
  feeWaivedMinor: bigint;
  penaltyWaivedMinor: bigint;
  completedOn: BusinessDate | null;
}

export function newInstallment(number: number, fromDate: BusinessDate, dueDate: BusinessDate, principalMinor: bigint, interestMinor: bigint): InstallmentState {
  return {
    number, fromDate, dueDate, principalMinor, interestMinor,
    feeMinor: 0n, penaltyMinor: 0n,
    principalPaidMinor: 0n, interestPaidMinor: 0n, feePaidMinor: 0n, penaltyPaidMinor: 0n,
    feeWaivedMinor: 0n, penaltyWaivedMinor: 0n, completedOn: null,
  };
}

export function cloneInstallment(installment: InstallmentState): InstallmentState {
  return { ...installment };
}

/** What is still owed on one component of an installment. */
export function outstandingOf(installment: InstallmentState, component: Component): bigint {
  switch (component) {
    case 'principal':
      return installment.principalMinor - installment.principalPaidMinor;
    case 'interest':
      return installment.interestMinor - installment.interestPaidMinor;
    case 'fee':
      return installment.feeMinor - installment.feePaidMinor - installment.feeWaivedMinor;
    case 'penalty':
      return installment.penaltyMinor - installment.penaltyPaidMinor - installment.penaltyWaivedMinor;
  }
}

export function installmentOutstanding(installment: InstallmentState): bigint {
  return (
    outstandingOf(installment, 'principal') + outstandingOf(installment, 'interest') + outstandingOf(installment, 'fee') + outstandingOf(installment, 'penalty')
  );
}

export function installmentPaid(installment: InstallmentState): bigint {
  return installment.principalPaidMinor + installment.interestPaidMinor + installment.feePaidMinor + installment.penaltyPaidMinor;
}

export function installmentDue(installment: InstallmentState): bigint {
  return (
    installment.principalMinor + installment.interestMinor + installment.feeMinor - installment.feeWaivedMinor + installment.penaltyMinor - installment.penaltyWaivedMinor
  );
}

export interface LoanBalances {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  totalMinor: bigint;
}

export function outstandingBalances(installments: readonly InstallmentState[]): LoanBalances {
  let principalMinor = 0n;
  let interestMinor = 0n;
  let feeMinor = 0n;
  let penaltyMinor = 0n;
  for (const installment of installments) {
    principalMinor += outstandingOf(installment, 'principal');
    interestMinor += outstandingOf(installment, 'interest');
    feeMinor += outstandingOf(installment, 'fee');
    penaltyMinor += outstandingOf(installment, 'penalty');
  }
  return { principalMinor, interestMinor, feeMinor, penaltyMinor, totalMinor: principalMinor + interestMinor + feeMinor + penaltyMinor };
}

/** The due date of the oldest installment with anything left to pay, or null when nothing is owed. */
export function oldestUnpaidDueDate(installments: readonly InstallmentState[]): BusinessDate | null {
  for (const installment of installments) {
    if (installmentOutstanding(installment) > 0n) return installment.dueDate;
  }
  return null;
}

/** Amounts moved off the books by a write-off, per component. */
export interface WrittenOff {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
}

export const NOTHING_WRITTEN_OFF: WrittenOff = { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n };

/** The facts of a loan from which its ledger position follows. */
export interface LoanPositionFacts {
  disbursedMinor: bigint;
  receivedMinor: bigint;
  overpaymentMinor: bigint;
  installments: readonly InstallmentState[];
  writtenOff: WrittenOff;
  /** What was outstanding when the loan was charged off (0 when it never was). */
  chargedOffMinor?: bigint;
}

/**
 * The balance each ledger account must hold for this loan (debit positive), derived from its state.
 * The servicing core posts the difference between two positions as one balanced entry, so every
 * change (payment, back-dated payment, reversal, re-amortisation, charge, waiver, write-off) is
 * booked the same way, and `lenity verify` compares the ledger with this position.
 */
export function ledgerPosition(facts: LoanPositionFacts): Record<AccountCode, bigint> {
  const totals: InstallmentTotals = { ...ZERO_TOTALS };
  for (const installment of facts.installments) addInstallmentToTotals(totals, installment);
  return positionFromTotals({ ...facts, totals });
}

/** Sums over a loan's installments: what `ledgerPosition` needs, also computable in SQL. */
export interface InstallmentTotals {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  principalPaidMinor: bigint;
  interestPaidMinor: bigint;
  feePaidMinor: bigint;
  penaltyPaidMinor: bigint;
  feeWaivedMinor: bigint;
  penaltyWaivedMinor: bigint;
}

export const ZERO_TOTALS: InstallmentTotals = {
  principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n, principalPaidMinor: 0n, interestPaidMinor: 0n,
  feePaidMinor: 0n, penaltyPaidMinor: 0n, feeWaivedMinor: 0n, penaltyWaivedMinor: 0n,
};

function addInstallmentToTotals(totals: InstallmentTotals, installment: InstallmentState): void {
  totals.principalMinor += installment.principalMinor;
  totals.interestMinor += installment.interestMinor;
  totals.feeMinor += installment.feeMinor;
  totals.penaltyMinor += installment.penaltyMinor;
  totals.principalPaidMinor += installment.principalPaidMinor;
  totals.interestPaidMinor += installment.interestPaidMinor;
  totals.feePaidMinor += installment.feePaidMinor;
  totals.penaltyPaidMinor += installment.penaltyPaidMinor;
  totals.feeWaivedMinor += installment.feeWaivedMinor;
  totals.penaltyWaivedMinor += installment.penaltyWaivedMinor;
}

/** The ledger position from installment totals (see `ledgerPosition`). */
export function positionFromTotals(facts: Omit<LoanPositionFacts, 'installments'> & { totals: InstallmentTotals }): Record<AccountCode, bigint> {
  const { totals, writtenOff } = facts;
  const netFees = totals.feeMinor - totals.feeWaivedMinor;
  const netPenalties = totals.penaltyMinor - totals.penaltyWaivedMinor;
  const chargedOffMinor = facts.chargedOffMinor ?? 0n;
  // On a charged-off loan the allowance always nets what is still owed; the charge-off amount stays
  // in expense and every later collection moves from the allowance to recovery income.
  const stillOwedMinor = chargedOffMinor > 0n
    ? totals.principalMinor - totals.principalPaidMinor - writtenOff.principalMinor + totals.interestMinor - totals.interestPaidMinor - writtenOff.interestMinor
      + netFees - totals.feePaidMinor - writtenOff.feeMinor + netPenalties - totals.penaltyPaidMinor - writtenOff.penaltyMinor
    : 0n;
  return {
    'settlement-cash': facts.receivedMinor - facts.disbursedMinor,
    'principal-receivable': totals.principalMinor - totals.principalPaidMinor - writtenOff.principalMinor,
    'interest-receivable': totals.interestMinor - totals.interestPaidMinor - writtenOff.interestMinor,
    'fee-receivable': netFees - totals.feePaidMinor - writtenOff.feeMinor,
    'penalty-receivable': netPenalties - totals.penaltyPaidMinor - writtenOff.penaltyMinor,
    'interest-income': -totals.interestMinor,
    'fee-income': -netFees,
    'penalty-income': -netPenalties,
    'write-off-expense': writtenOff.principalMinor + writtenOff.interestMinor + writtenOff.feeMinor + writtenOff.penaltyMinor + chargedOffMinor,
    'charge-off-allowance': -stillOwedMinor,
    'recovery-income': stillOwedMinor - chargedOffMinor,
    'overpayment-liability': -facts.overpaymentMinor,
  };
}

/** The balanced entry that moves the ledger from one position to the next. */
export function positionChangeEntry(description: string, before: Record<AccountCode, bigint>, after: Record<AccountCode, bigint>): JournalEntryDraft {
  const lines = (Object.keys(after) as AccountCode[]).map((account) => {
    const change = after[account] - before[account];
    return change >= 0n ? debit(account, change) : credit(account, -change);
  });
  return journalEntry(description, lines);
}

export const EMPTY_POSITION: Record<AccountCode, bigint> = ledgerPosition({
  disbursedMinor: 0n,
  receivedMinor: 0n,
  overpaymentMinor: 0n,
  installments: [],
  writtenOff: NOTHING_WRITTEN_OFF,
});
