import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { insertJournalEntries } from '../ledger/journal.store.ts';
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

/** Rows per INSERT: PostgreSQL allows 65,535 parameters a statement. */
const ROWS_PER_STATEMENT = 2000;

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let index = 0; index < rows.length; index += ROWS_PER_STATEMENT) await insert(rows.slice(index, index + ROWS_PER_STATEMENT));
}

/**
 * Opens many disbursed loans at once (a portfolio migration, a synthetic book): the same schedule,
 * fee, rate-cap and ledger rules as one-by-one disbursement, written with a few set-based INSERTs
 * in one transaction instead of a round trip per row.
 *
 * @example await openLoansInBulk(db, ids, { productId, product, loans })
 */
export async function openLoansInBulk(
  db: Executor,
  ids: IdGenerator,
  options: { productId: string; product: Product; loans: BulkLoanRequest[]; businessDate?: BusinessDate },
): Promise<string[]> {
  const borrowers: Array<Record<string, unknown>> = [];
  const loans: Array<Record<string, unknown>> = [];
  const installments: Array<Record<string, unknown>> = [];
  const charges: Array<Record<string, unknown>> = [];
  const transactions: Array<Record<string, unknown>> = [];
  const entries: Parameters<typeof insertJournalEntries>[2] = [];
  const loanIds: string[] = [];
  for (const request of options.loans) {
    const borrowerId = ids('brw');
    const loanId = ids('loan');
    loanIds.push(loanId);
    const terms = loanTermsFor(options.product, { principalMinor: request.principalMinor, numberOfRepayments: request.numberOfRepayments, disbursementDate: request.disbursementDate });
    const schedule = generateSchedule(terms.schedule);
    const apr = loanAnnualPercentageRate(terms, schedule);
    assertWithinRateCap(terms, apr);
    const state: LoanState = { installments: initialInstallments(schedule), receivedMinor: 0n, overpaymentMinor: 0n, writtenOff: { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n }, writtenOffOn: null };
    const feeMinor = originationFeeMinor(terms);
    if (feeMinor > 0n) {
      applyCharge(state, { kind: 'fee', amountMinor: feeMinor, waivedMinor: 0n, installmentNumber: state.installments[0]!.number });
      charges.push({ id: ids('chg'), loan_id: loanId, borrower_id: borrowerId, kind: 'fee', name: 'Origination fee', amount_minor: feeMinor, due_date: state.installments[0]!.dueDate, installment_number: state.installments[0]!.number, charged_on: request.disbursementDate });
    }
    const borrower = request.borrower;
    borrowers.push({
      id: borrowerId, full_name: borrower.fullName, national_id: borrower.nationalId, date_of_birth: borrower.dateOfBirth, phones: JSON.stringify(borrower.phones),
      emails: JSON.stringify(borrower.emails), addresses: JSON.stringify(borrower.addresses), time_zone: borrower.timeZone, language: borrower.language,
      jurisdiction: borrower.jurisdiction, preferred_channels: JSON.stringify(borrower.preferredChannels),
    });
    const balances = outstandingBalances(state.installments);
    loans.push({
      id: loanId, borrower_id: borrowerId, product_id: options.productId, currency: terms.schedule.currency, principal_minor: request.principalMinor,
      terms: JSON.stringify(formatLoanTerms(terms)), status: 'active', apr: formatFixed(apr, 2), submitted_on: request.disbursementDate,
      approved_on: request.disbursementDate, disbursed_on: request.disbursementDate, closed_on: null, principal_outstanding_minor: balances.principalMinor,
      interest_outstanding_minor: balances.interestMinor, fee_outstanding_minor: balances.feeMinor, penalty_outstanding_minor: balances.penaltyMinor,
      disbursed_minor: request.principalMinor, oldest_unpaid_due_date: oldestUnpaidDueDate(state.installments), last_transaction_date: request.disbursementDate,
      next_event_date: state.installments[0]!.dueDate, written_off_on: null,
    });
    for (const installment of state.installments) {
      installments.push({
        loan_id: loanId, borrower_id: borrowerId, number: installment.number, from_date: installment.fromDate, due_date: installment.dueDate,
        principal_minor: installment.principalMinor, interest_minor: installment.interestMinor, fee_minor: installment.feeMinor, penalty_minor: installment.penaltyMinor,
        principal_paid_minor: 0n, interest_paid_minor: 0n, fee_paid_minor: 0n, penalty_paid_minor: 0n, fee_waived_minor: 0n, penalty_waived_minor: 0n, completed_on: null,
      });
    }
    const transactionId = ids('pay');
    transactions.push({ id: transactionId, loan_id: loanId, borrower_id: borrowerId, kind: 'disbursement', value_date: request.disbursementDate, booked_on: options.businessDate ?? request.disbursementDate, amount_minor: request.principalMinor, principal_minor: request.principalMinor, reversed_on: null, note: null });
    entries.push({
      context: { loanId, borrowerId, currency: terms.schedule.currency, businessDate: request.disbursementDate, kind: 'disbursement', transactionId },
      entry: positionChangeEntry(`Disbursement of loan ${loanId}`, EMPTY_POSITION, ledgerPosition({ disbursedMinor: request.principalMinor, ...state })),
    });
  }
  await inTransaction(db, async (transaction) => {
    await insertInChunks(borrowers, (chunk) => transaction.insertInto('borrower').values(chunk as never).execute());
    await insertInChunks(loans, (chunk) => transaction.insertInto('loan').values(chunk as never).execute());
    await insertInChunks(installments, (chunk) => transaction.insertInto('installment').values(chunk as never).execute());
    await insertInChunks(charges, (chunk) => transaction.insertInto('loan_charge').values(chunk as never).execute());
    await insertInChunks(transactions, (chunk) => transaction.insertInto('loan_transaction').values(chunk as never).execute());
    for (let index = 0; index < entries.length; index += ROWS_PER_STATEMENT / 8) {
      await insertJournalEntries(transaction, ids, entries.slice(index, index + ROWS_PER_STATEMENT / 8));
    }
  });
  return loanIds;
}
