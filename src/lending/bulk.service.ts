import { type ArrayRow, insertRowsAsArrays } from '../db/array-parameter.ts';
import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import type { JournalEntryDraft } from '../ledger/journal.ts';
import { insertJournalEntries, type JournalEntryContext } from '../ledger/journal.store.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { formatFixed } from '../shared/decimal.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { type Borrower } from './borrower.ts';
import { EMPTY_POSITION, ledgerPosition, oldestUnpaidDueDate, outstandingBalances, positionChangeEntry } from './loan-state.ts';
import { formatLoanTerms, initialInstallments, loanAnnualPercentageRate, loanTermsFor, originationFeeMinor, assertWithinRateCap } from './loan-terms.ts';
import type { Product } from './product.ts';
import { generateSchedule } from './schedule.ts';
import { applyCharge, type LoanState } from './servicing.ts';

export interface BulkLoanRequest {
  borrower: Borrower;
  principalMinor: bigint;
  numberOfRepayments: number;
  disbursementDate: BusinessDate;
}

export interface BulkLoanOptions {
  productId: string;
  product: Product;
  loans: BulkLoanRequest[];
  businessDate?: BusinessDate;
}

// The columns each table is written with, one array parameter per column.
const BORROWER_COLUMNS = {
  id: 'text', full_name: 'text', national_id: 'text', date_of_birth: 'date', phones: 'jsonb', emails: 'jsonb', addresses: 'jsonb',
  time_zone: 'text', language: 'text', jurisdiction: 'text', preferred_channels: 'jsonb',
} as const;
const LOAN_COLUMNS = {
  id: 'text', borrower_id: 'text', product_id: 'text', currency: 'text', principal_minor: 'int8', terms: 'jsonb', status: 'text', apr: 'numeric',
  submitted_on: 'date', approved_on: 'date', disbursed_on: 'date', closed_on: 'date', principal_outstanding_minor: 'int8',
  interest_outstanding_minor: 'int8', fee_outstanding_minor: 'int8', penalty_outstanding_minor: 'int8', disbursed_minor: 'int8',
  oldest_unpaid_due_date: 'date', last_transaction_date: 'date', next_event_date: 'date', written_off_on: 'date', jurisdiction: 'text',
} as const;
const INSTALLMENT_COLUMNS = {
  loan_id: 'text', borrower_id: 'text', number: 'int', from_date: 'date', due_date: 'date', principal_minor: 'int8', interest_minor: 'int8',
  fee_minor: 'int8', penalty_minor: 'int8', principal_paid_minor: 'int8', interest_paid_minor: 'int8', fee_paid_minor: 'int8',
  penalty_paid_minor: 'int8', fee_waived_minor: 'int8', penalty_waived_minor: 'int8', completed_on: 'date',
} as const;
const CHARGE_COLUMNS = {
  id: 'text', loan_id: 'text', borrower_id: 'text', kind: 'text', name: 'text', amount_minor: 'int8', due_date: 'date', installment_number: 'int', charged_on: 'date',
} as const;
const TRANSACTION_COLUMNS = {
  id: 'text', loan_id: 'text', borrower_id: 'text', kind: 'text', value_date: 'date', booked_on: 'date', amount_minor: 'int8', principal_minor: 'int8',
  reversed_on: 'date', note: 'text',
} as const;

/** Every row of a batch of new loans, built before any is written (`prepareLoansInBulk`). */
export interface PreparedLoans {
  loanIds: string[];
  borrowers: Array<ArrayRow<typeof BORROWER_COLUMNS>>;
  loans: Array<ArrayRow<typeof LOAN_COLUMNS>>;
  installments: Array<ArrayRow<typeof INSTALLMENT_COLUMNS>>;
  charges: Array<ArrayRow<typeof CHARGE_COLUMNS>>;
  transactions: Array<ArrayRow<typeof TRANSACTION_COLUMNS>>;
  entries: Array<{ context: JournalEntryContext; entry: JournalEntryDraft; entryId?: string }>;
}

/** Loans prepared between two turns of the event loop, so that a write in flight goes on meanwhile. */
const LOANS_BETWEEN_YIELDS = 200;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Opens many disbursed loans at once (a portfolio migration, a synthetic book): the same schedule,
 * fee, rate-cap and ledger rules as one-by-one disbursement, written with one set-based INSERT per
 * table in one transaction instead of a round trip per row.
 *
 * @example await openLoansInBulk(db, ids, { productId, product, loans })
 */
export async function openLoansInBulk(db: Executor, ids: IdGenerator, options: BulkLoanOptions): Promise<string[]> {
  const prepared = await prepareLoansInBulk(ids, options);
  await writePreparedLoans(db, ids, prepared);
  return prepared.loanIds;
}

/**
 * The rows of `openLoansInBulk`, ids included, without touching the database: a caller can build
 * the next batch while the previous one is written. It gives the event loop a turn every few
 * hundred loans for that write.
 */
export async function prepareLoansInBulk(ids: IdGenerator, options: BulkLoanOptions): Promise<PreparedLoans> {
  const prepared: PreparedLoans = { loanIds: [], borrowers: [], loans: [], installments: [], charges: [], transactions: [], entries: [] };
  for (const [index, request] of options.loans.entries()) {
    if (index > 0 && index % LOANS_BETWEEN_YIELDS === 0) await yieldToEventLoop();
    prepareLoan(prepared, ids, options, request);
  }
  // Entry ids come after every other id of the batch, as when the journal store assigns them.
  for (const entry of prepared.entries) if (entry.entry.lines.length > 0) entry.entryId = ids('je');
  return prepared;
}

function prepareLoan(prepared: PreparedLoans, ids: IdGenerator, options: BulkLoanOptions, request: BulkLoanRequest): void {
  const borrowerId = ids('brw');
  const loanId = ids('loan');
  prepared.loanIds.push(loanId);
  const terms = loanTermsFor(options.product, { principalMinor: request.principalMinor, numberOfRepayments: request.numberOfRepayments, disbursementDate: request.disbursementDate });
  const schedule = generateSchedule(terms.schedule);
  const apr = loanAnnualPercentageRate(terms, schedule);
  assertWithinRateCap(terms, apr);
  const state: LoanState = { installments: initialInstallments(schedule), receivedMinor: 0n, overpaymentMinor: 0n, writtenOff: { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n }, writtenOffOn: null };
  const feeMinor = originationFeeMinor(terms);
  if (feeMinor > 0n) {
    applyCharge(state, { kind: 'fee', amountMinor: feeMinor, waivedMinor: 0n, installmentNumber: state.installments[0]!.number });
    prepared.charges.push({ id: ids('chg'), loan_id: loanId, borrower_id: borrowerId, kind: 'fee', name: 'Origination fee', amount_minor: feeMinor, due_date: state.installments[0]!.dueDate, installment_number: state.installments[0]!.number, charged_on: request.disbursementDate });
  }
  const borrower = request.borrower;
  prepared.borrowers.push({
    id: borrowerId, full_name: borrower.fullName, national_id: borrower.nationalId, date_of_birth: borrower.dateOfBirth, phones: JSON.stringify(borrower.phones),
    emails: JSON.stringify(borrower.emails), addresses: JSON.stringify(borrower.addresses), time_zone: borrower.timeZone, language: borrower.language,
    jurisdiction: borrower.jurisdiction, preferred_channels: JSON.stringify(borrower.preferredChannels),
  });
  const balances = outstandingBalances(state.installments);
  prepared.loans.push({
    id: loanId, borrower_id: borrowerId, product_id: options.productId, currency: terms.schedule.currency, principal_minor: request.principalMinor,
    terms: JSON.stringify(formatLoanTerms(terms)), status: 'active', apr: formatFixed(apr, 2), submitted_on: request.disbursementDate,
    approved_on: request.disbursementDate, disbursed_on: request.disbursementDate, closed_on: null, principal_outstanding_minor: balances.principalMinor,
    interest_outstanding_minor: balances.interestMinor, fee_outstanding_minor: balances.feeMinor, penalty_outstanding_minor: balances.penaltyMinor,
    disbursed_minor: request.principalMinor, oldest_unpaid_due_date: oldestUnpaidDueDate(state.installments), last_transaction_date: request.disbursementDate,
    next_event_date: state.installments[0]!.dueDate, written_off_on: null, jurisdiction: request.borrower.jurisdiction,
  });
  for (const installment of state.installments) {
    prepared.installments.push({
      loan_id: loanId, borrower_id: borrowerId, number: installment.number, from_date: installment.fromDate, due_date: installment.dueDate,
      principal_minor: installment.principalMinor, interest_minor: installment.interestMinor, fee_minor: installment.feeMinor, penalty_minor: installment.penaltyMinor,
      principal_paid_minor: 0n, interest_paid_minor: 0n, fee_paid_minor: 0n, penalty_paid_minor: 0n, fee_waived_minor: 0n, penalty_waived_minor: 0n, completed_on: null,
    });
  }
  const transactionId = ids('pay');
  prepared.transactions.push({ id: transactionId, loan_id: loanId, borrower_id: borrowerId, kind: 'disbursement', value_date: request.disbursementDate, booked_on: options.businessDate ?? request.disbursementDate, amount_minor: request.principalMinor, principal_minor: request.principalMinor, reversed_on: null, note: null });
  prepared.entries.push({
    context: { loanId, borrowerId, currency: terms.schedule.currency, businessDate: request.disbursementDate, kind: 'disbursement', transactionId },
    entry: positionChangeEntry(`Disbursement of loan ${loanId}`, EMPTY_POSITION, ledgerPosition({ disbursedMinor: request.principalMinor, ...state })),
  });
}

/**
 * A batch's place in the sequence numbers of `loan_transaction`, for batches written at the same
 * time on several connections: its disbursements are inserted once `previous` settles, and `done`
 * is called once they are written (or the write has failed). Chained batch after batch, it numbers
 * the transactions in the order the batches were built, as writing them one after another would.
 */
export interface TransactionSequenceTurn {
  previous: Promise<void>;
  done: () => void;
}

/** Writes prepared loans in one transaction, one INSERT per table (two for the journal). */
export async function writePreparedLoans(db: Executor, ids: IdGenerator, prepared: PreparedLoans, turn?: TransactionSequenceTurn): Promise<void> {
  try {
    await inTransaction(db, async (transaction) => {
      await insertRowsAsArrays(transaction, 'borrower', BORROWER_COLUMNS, prepared.borrowers);
      await insertRowsAsArrays(transaction, 'loan', LOAN_COLUMNS, prepared.loans);
      await turn?.previous;
      await insertRowsAsArrays(transaction, 'loan_transaction', TRANSACTION_COLUMNS, prepared.transactions);
      turn?.done();
      await insertRowsAsArrays(transaction, 'installment', INSTALLMENT_COLUMNS, prepared.installments);
      await insertRowsAsArrays(transaction, 'loan_charge', CHARGE_COLUMNS, prepared.charges);
      await insertJournalEntries(transaction, ids, prepared.entries);
    });
  } finally {
    // A failed write passes its turn on too, so that the batch after it is not left waiting.
    turn?.done();
  }
}
