import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { LenityError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { parseLoanTerms } from '../lending/loan-terms.ts';
import { findLoan, loadInstallments, lockLoan } from '../lending/loan.store.ts';
import { type AgeingPause, type DelinquencyClassification, classifyDelinquency, pauseRunningOn, pausesOverlap } from './classification.ts';

/** Longest reason kept with a pause; a pause is explained, not documented at length. */
const MAX_REASON_LENGTH = 500;

export interface PauseRequest {
  from: BusinessDate;
  /** Exclusive end; absent or null: until resumed. */
  until?: BusinessDate | null;
  reason: string;
}

/**
 * Pauses delinquency ageing of an active loan (a hardship review, a dispute, a disaster). Pauses of
 * one loan never overlap, so paused days can be added up without double counting.
 *
 * @example await pauseAgeing(db, ids, 'loan_…', { from: '2023-10-16', until: '2023-10-30', reason: 'dispute' })
 */
export async function pauseAgeing(db: Executor, ids: IdGenerator, loanId: string, request: PauseRequest) {
  if (request.until != null && request.until <= request.from) {
    throw new LenityError('VALIDATION_FAILED', 'until: must be after from', { field: 'until' });
  }
  const reason = request.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw new LenityError('VALIDATION_FAILED', `reason: must be 1 to ${MAX_REASON_LENGTH} characters`, { field: 'reason' });
  }
  return inTransaction(db, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    if (loan.status !== 'active') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; only an active loan's ageing can be paused`);
    const pause: AgeingPause = { from: request.from, until: request.until ?? null };
    const existing = await loadPauses(transaction, loanId);
    if (existing.some((other) => pausesOverlap(other, pause))) {
      throw new LenityError('INVALID_STATE', `Loan ${loanId} already has an ageing pause overlapping ${pause.from}`, { field: 'from' });
    }
    const id = ids('pause');
    await transaction
      .insertInto('loan_ageing_pause')
      .values({ id, loan_id: loanId, borrower_id: loan.borrower_id, from_date: pause.from, until_date: pause.until, reason })
      .execute();
    await bringNextEventForward(transaction, loanId, pause.from);
    return { id, loanId, ...pause, reason };
  });
}

/**
 * Resumes ageing on `on`: the pause running that day ends there (the day itself counts again).
 *
 * @example await resumeAgeing(db, 'loan_…', { on: '2023-10-20' })
 */
export async function resumeAgeing(db: Executor, loanId: string, request: { on: BusinessDate }) {
  return inTransaction(db, async (transaction) => {
    const loan = await lockLoan(transaction, loanId);
    if (loan.status !== 'active') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; only an active loan's ageing can be resumed`);
    const rows = await pauseRows(transaction, loanId);
    const index = pauseRunningOn(rows.map(pauseFromRow), request.on);
    if (index === null) throw new LenityError('INVALID_STATE', `Loan ${loanId} has no ageing pause running on ${request.on}`);
    const row = rows[index]!;
    await bringNextEventForward(transaction, loanId, request.on);
    if (row.from_date === request.on) {
      // Resumed on its first day: the pause never took effect.
      await transaction.deleteFrom('loan_ageing_pause').where('id', '=', row.id).execute();
      return { id: row.id, loanId, from: row.from_date as BusinessDate, until: request.on };
    }
    await transaction.updateTable('loan_ageing_pause').set({ until_date: request.on }).where('id', '=', row.id).execute();
    return { id: row.id, loanId, from: row.from_date as BusinessDate, until: request.on };
  });
}

/**
 * A pause or resume changes when the loan's thresholds fall: the end of day of `date` re-derives
 * them (an open pause has no date, so only its resume can schedule the loan again).
 */
async function bringNextEventForward(db: Executor, loanId: string, date: BusinessDate): Promise<void> {
  await db
    .updateTable('loan')
    .set({ next_event_date: sql<string>`least(coalesce(next_event_date, ${date}::date), ${date}::date)` })
    .where('id', '=', loanId)
    .execute();
}

/** Every ageing pause of a loan, oldest first. */
export async function loadPauses(db: Executor, loanId: string): Promise<AgeingPause[]> {
  return (await pauseRows(db, loanId)).map(pauseFromRow);
}

/**
 * The loan's delinquency on `businessDate`, from its installments, the ranges and grace of the
 * product it was sold under (its stored terms) and its pauses.
 *
 * @example const { pastDueDays, range } = await classifyLoan(db, 'loan_…', '2023-10-25')
 */
export async function classifyLoan(db: Executor, loanId: string, businessDate: BusinessDate): Promise<DelinquencyClassification> {
  const loan = await findLoan(db, loanId);
  if (!loan) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
  const product = parseLoanTerms(loan.terms).product;
  const [installments, pauses] = await Promise.all([loadInstallments(db, loanId), loadPauses(db, loanId)]);
  return classifyDelinquency({ installments, businessDate, agingGraceDays: product.agingGraceDays, ranges: product.delinquencyRanges, pauses });
}

async function pauseRows(db: Executor, loanId: string) {
  return db.selectFrom('loan_ageing_pause').selectAll().where('loan_id', '=', loanId).orderBy('from_date').orderBy('id').execute();
}

function pauseFromRow(row: { from_date: string; until_date: string | null }): AgeingPause {
  return { from: row.from_date as BusinessDate, until: row.until_date as BusinessDate | null };
}
