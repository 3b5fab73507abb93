import { inTransaction } from '../db/transaction.ts';
import { isUniqueViolation, replayedOutcome } from '../db/idempotency.ts';
import type { Executor } from '../db/transaction.ts';
import { parseBusinessDate, type BusinessDate } from '../shared/business-date.ts';
import { type ErrorCode, LenityError } from '../shared/errors.ts';
import { readArray, readObject, readOptionalString, readString } from '../shared/input.ts';
import { writeLoanChanges, type LoanChangeWrite } from './loan-write.store.ts';
import { loadLoanSnapshots, lockLoans } from './loan.store.ts';
import { latestPaymentChange, paymentIdempotency, postPayment, type ServicingDependencies } from './loan.service.ts';

/** Passes over a batch when a concurrent copy of it commits first. */
const MAX_ATTEMPTS = 3;

/** Most payments one batch may carry. */
export const MAX_BATCH_PAYMENTS = 5000;

/** One line of a payment batch: a payment to one loan with its own idempotency key. */
export interface BatchPayment {
  loanId: string;
  amount: string;
  /** The value date; the business date when absent. */
  date?: string | null;
  note?: string | null;
  idempotencyKey: string;
}

/** What became of one line, in the order of the batch. */
export type BatchPaymentOutcome =
  | { line: number; loanId: string; outcome: 'created' | 'replayed'; status: number; payment: unknown }
  | { line: number; loanId: string; outcome: 'refused'; code: ErrorCode; detail: string; field?: string };

export interface BatchResult {
  created: number;
  replayed: number;
  refused: number;
  payments: BatchPaymentOutcome[];
}

function refusal(line: number, loanId: string, error: unknown): BatchPaymentOutcome {
  if (!(error instanceof LenityError)) throw error;
  const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
  return { line, loanId, outcome: 'refused', code: error.code, detail: error.message, ...(field ? { field } : {}) };
}

/**
 * Posts a file of payments (a bank's collection file, a payment processor's settlement): each line
 * is allocated exactly as `postPayment` would and keeps its own idempotency key, but the latest
 * payment of every loan in the batch is read, decided and written set-based in one transaction —
 * a few statements for the whole batch instead of two per payment. Lines that need more than the
 * latest-payment path (a back-dated payment that replays the loan, a second payment to the same
 * loan) are posted one by one afterwards. A line that is refused (unknown loan, closed loan, bad
 * amount, a key reused with another body) says why and does not stop the others.
 *
 * @example await postPaymentBatch(dependencies, { businessDate, payments: [{ loanId, amount: '305.00', idempotencyKey: 'bank-2026-03-09-1' }] })
 */
export async function postPaymentBatch(dependencies: ServicingDependencies, batch: { businessDate: BusinessDate; payments: readonly BatchPayment[] }): Promise<BatchResult> {
  if (batch.payments.length > MAX_BATCH_PAYMENTS) throw new LenityError('VALIDATION_FAILED', `payments: a batch carries at most ${MAX_BATCH_PAYMENTS} payments`, { field: 'payments' });
  const outcomes: Array<BatchPaymentOutcome | undefined> = new Array(batch.payments.length);
  const firstLineOfLoan = new Map<string, number>();
  const later: number[] = [];
  batch.payments.forEach((payment, line) => {
    if (!payment.idempotencyKey) {
      outcomes[line] = refusal(line, payment.loanId, new LenityError('IDEMPOTENCY_KEY_REQUIRED', 'A payment needs an idempotency key', { field: 'idempotencyKey' }));
    } else if (firstLineOfLoan.has(payment.loanId)) {
      later.push(line);
    } else {
      firstLineOfLoan.set(payment.loanId, line);
    }
  });
  const request = (line: number) => ({ ...batch.payments[line]!, businessDate: batch.businessDate });

  const lines = [...firstLineOfLoan.values()];
  // Decides every loan's latest payment under the loans' locks; returns the lines that need the
  // single-payment path (back-dated ones).
  const postLatestPayments = async (transaction: Executor): Promise<number[]> => {
    const backDated: number[] = [];
    await lockLoans(transaction, lines.map((line) => batch.payments[line]!.loanId));
    const snapshots = await loadLoanSnapshots(
      transaction,
      lines.map((line) => ({ loanId: batch.payments[line]!.loanId, scope: paymentIdempotency(batch.payments[line]!.loanId, batch.payments[line]!).scope, key: batch.payments[line]!.idempotencyKey })),
    );
    const writes: LoanChangeWrite[] = [];
    for (const line of lines) {
      const payment = batch.payments[line]!;
      try {
        const snapshot = snapshots.get(payment.loanId);
        if (!snapshot) throw new LenityError('NOT_FOUND', `Loan ${payment.loanId} does not exist`, { field: 'loanId' });
        if (snapshot.idempotency) {
          const replayed = replayedOutcome(snapshot.idempotency, paymentIdempotency(payment.loanId, payment).requestHash, payment.idempotencyKey);
          outcomes[line] = { line, loanId: payment.loanId, outcome: 'replayed', status: replayed.status, payment: replayed.body };
          continue;
        }
        const change = latestPaymentChange(dependencies.ids, snapshot, request(line));
        if (!change) {
          backDated.push(line);
          continue;
        }
        writes.push(change.write);
        outcomes[line] = { line, loanId: payment.loanId, outcome: 'created', status: 201, payment: change.body };
      } catch (error) {
        outcomes[line] = refusal(line, payment.loanId, error);
      }
    }
    await writeLoanChanges(transaction, dependencies.ids, writes);
    return backDated;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      later.push(...(await inTransaction(dependencies.db, postLatestPayments)));
      break;
    } catch (error) {
      // The same file sent twice at once: the copy that committed second finds the first one's
      // keys on its next pass and answers those lines as replays.
      if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(error, 'idempotency_record_pk')) throw error;
      for (const line of lines) outcomes[line] = undefined;
    }
  }

  // One by one, in the order of the file: the payment service replays or locks as it needs.
  for (const line of later.sort((a, b) => a - b)) {
    const payment = batch.payments[line]!;
    try {
      const result = await postPayment(dependencies, payment.loanId, request(line));
      outcomes[line] = { line, loanId: payment.loanId, outcome: result.outcome, status: result.status, payment: result.body };
    } catch (error) {
      outcomes[line] = refusal(line, payment.loanId, error);
    }
  }
  const payments = outcomes as BatchPaymentOutcome[];
  return {
    created: payments.filter((outcome) => outcome.outcome === 'created').length,
    replayed: payments.filter((outcome) => outcome.outcome === 'replayed').length,
    refused: payments.filter((outcome) => outcome.outcome === 'refused').length,
    payments,
  };
}

/**
 * Reads a payment batch from the API: `{ "payments": [{ "loanId", "amount", "date"?, "note"?, "idempotencyKey" }] }`.
 * Idempotency keys are given per line (prefixed with the caller's id, as the header's are).
 */
export function parsePaymentBatch(json: unknown, keyPrefix: string): BatchPayment[] {
  const body = readObject(json, '', ['payments']);
  const lines = readArray(body, 'payments', '');
  if (lines.length === 0) throw new LenityError('VALIDATION_FAILED', 'payments: a batch needs at least one payment', { field: 'payments' });
  if (lines.length > MAX_BATCH_PAYMENTS) throw new LenityError('VALIDATION_FAILED', `payments: a batch carries at most ${MAX_BATCH_PAYMENTS} payments`, { field: 'payments' });
  return lines.map((value, index) => {
    const path = `payments[${index}].`;
    const line = readObject(value, path, ['loanId', 'amount', 'date', 'note', 'idempotencyKey']);
    const date = readOptionalString(line, 'date', path);
    if (date !== null) parseBusinessDate(date, `${path}date`);
    const key = readString(line, 'idempotencyKey', path).trim();
    if (key.length === 0) throw new LenityError('IDEMPOTENCY_KEY_REQUIRED', `${path}idempotencyKey: every payment needs its own idempotency key`, { field: `${path}idempotencyKey` });
    return { loanId: readString(line, 'loanId', path), amount: readString(line, 'amount', path), date, note: readOptionalString(line, 'note', path), idempotencyKey: `${keyPrefix}:${key}` };
  });
}
