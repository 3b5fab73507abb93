import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import { insertJournalEntries, type JournalEntryContext } from '../ledger/journal.store.ts';
import type { JournalEntryDraft } from '../ledger/journal.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { AgeingPause } from '../lending/ageing.ts';
import type { InstallmentState } from '../lending/loan-state.ts';
import { installmentFromRow, type LoanRow } from '../lending/loan.store.ts';

/** The name late fees carry, by which their caps are counted. */
export const LATE_FEE_NAME = 'Late fee';
export const PENALTY_INTEREST_NAME = 'Penalty interest';

/** Which loans a chunk is drawn from: one partition of the book, or named loans (scenarios). */
export type ChunkScope = { partition: number; partitions: number } | { loanIds: readonly string[] };

export interface LoadedChunk {
  loans: Array<LoanRow & { product_terms: string }>;
  installments: Map<string, InstallmentState[]>;
  lateFees: Map<string, Array<{ installmentNumber: number; amountMinor: bigint }>>;
  pauses: Map<string, AgeingPause[]>;
}

function partitionFilter(scope: ChunkScope) {
  if ('loanIds' in scope) return sql`l.id = ANY(${[...scope.loanIds]}::text[])`;
  // hashtext is stable across servers and versions of the same major; int8 keeps the sign out of it.
  return sql`mod(hashtext(l.id)::int8 + 2147483648, ${scope.partitions}::int8) = ${scope.partition}::int8`;
}

/**
 * Locks and loads up to `limit` loans whose next event has come by `businessDate`, with their
 * installments, late fees and pauses: four queries a chunk, however many loans. Loans a run has
 * finished carry a later next event date, so a rerun never selects them again.
 */
export async function loadDueChunk(db: Executor, businessDate: BusinessDate, scope: ChunkScope, limit: number): Promise<LoadedChunk> {
  const loanRows = await sql<LoanRow & { product_terms: string }>`
    SELECT l.*, (l.terms->'product')::text AS product_terms FROM loan l
     WHERE l.next_event_date <= ${businessDate}::date AND l.status IN ('active', 'charged-off') AND ${partitionFilter(scope)}
     ORDER BY l.id LIMIT ${limit} FOR UPDATE`.execute(db);
  const loans = loanRows.rows;
  const installments = new Map<string, InstallmentState[]>();
  const lateFees = new Map<string, Array<{ installmentNumber: number; amountMinor: bigint }>>();
  const pauses = new Map<string, AgeingPause[]>();
  if (loans.length === 0) return { loans, installments, lateFees, pauses };
  const ids = loans.map((loan) => loan.id);
  const [installmentRows, feeRows, pauseRows] = await Promise.all([
    db.selectFrom('installment').selectAll().where(sql<boolean>`loan_id = ANY(${ids}::text[])`).orderBy('loan_id').orderBy('number').execute(),
    db.selectFrom('loan_charge').select(['loan_id', 'installment_number', 'amount_minor']).where(sql<boolean>`loan_id = ANY(${ids}::text[])`).where('name', '=', LATE_FEE_NAME).execute(),
    db.selectFrom('loan_ageing_pause').select(['loan_id', 'from_date', 'until_date']).where(sql<boolean>`loan_id = ANY(${ids}::text[])`).orderBy('from_date').execute(),
  ]);
  for (const row of installmentRows) {
    const list = installments.get(row.loan_id) ?? [];
    list.push(installmentFromRow(row));
    installments.set(row.loan_id, list);
  }
  for (const row of feeRows) {
    const list = lateFees.get(row.loan_id) ?? [];
    list.push({ installmentNumber: row.installment_number, amountMinor: row.amount_minor });
    lateFees.set(row.loan_id, list);
  }
  for (const row of pauseRows) {
    const list = pauses.get(row.loan_id) ?? [];
    list.push({ from: row.from_date as BusinessDate, until: row.until_date as BusinessDate | null });
    pauses.set(row.loan_id, list);
  }
  return { loans, installments, lateFees, pauses };
}

export interface LoanDailyWrite {
  id: string;
  status: string;
  feeOutstandingMinor: bigint;
  penaltyOutstandingMinor: bigint;
  daysPastDue: number;
  delinquentDays: number;
  bucket: string | null;
  nonAccrualOn: string | null;
  chargedOffOn: string | null;
  chargedOffMinor: bigint;
  penaltyAccruedThrough: string | null;
  lastTransactionDate: string | null;
  nextEventDate: string | null;
}

export interface ChunkWrite {
  businessDate: BusinessDate;
  loans: LoanDailyWrite[];
  installments: Array<{ loanId: string; number: number; feeMinor: bigint; penaltyMinor: bigint; completedOn: string | null }>;
  charges: Array<{ id: string; loanId: string; borrowerId: string; kind: 'fee' | 'penalty'; name: string; amountMinor: bigint; installmentNumber: number }>;
  entries: Array<{ context: JournalEntryContext; entry: JournalEntryDraft }>;
  events: Array<{ id: string; kind: string; borrowerId: string; loanId: string; payload: Record<string, unknown> }>;
  progress: { partition: number; worker: string } | null;
}

/**
 * Writes a chunk's effects set-based — one statement per table — inside the chunk's transaction,
 * with the chunk's progress record, so a chunk is either wholly done or not at all.
 */
export async function writeChunk(db: Executor, ids: IdGenerator, write: ChunkWrite): Promise<void> {
  const date = write.businessDate;
  if (write.loans.length > 0) {
    const rows = write.loans.map(
      (loan) => sql`(${loan.id}::text, ${loan.status}::text, ${loan.feeOutstandingMinor}::int8, ${loan.penaltyOutstandingMinor}::int8, ${loan.daysPastDue}::int,
        ${loan.delinquentDays}::int, ${loan.bucket}::text, ${loan.nonAccrualOn}::date, ${loan.chargedOffOn}::date, ${loan.chargedOffMinor}::int8,
        ${loan.penaltyAccruedThrough}::date, ${loan.lastTransactionDate}::date, ${loan.nextEventDate}::date)`,
    );
    await sql`
      UPDATE loan SET status = v.status, fee_outstanding_minor = v.fee, penalty_outstanding_minor = v.penalty, days_past_due = v.days_past_due,
             delinquent_days = v.delinquent_days, bucket = v.bucket, non_accrual_on = v.non_accrual_on, charged_off_on = v.charged_off_on,
             charged_off_minor = v.charged_off_minor, penalty_accrued_through = v.penalty_accrued_through,
             last_transaction_date = v.last_transaction_date, next_event_date = v.next_event_date, eod_through = ${date}::date, version = loan.version + 1
        FROM (VALUES ${sql.join(rows)}) AS v(id, status, fee, penalty, days_past_due, delinquent_days, bucket, non_accrual_on, charged_off_on,
             charged_off_minor, penalty_accrued_through, last_transaction_date, next_event_date)
       WHERE loan.id = v.id`.execute(db);
  }
  if (write.installments.length > 0) {
    const rows = write.installments.map(
      (installment) => sql`(${installment.loanId}::text, ${installment.number}::int, ${installment.feeMinor}::int8, ${installment.penaltyMinor}::int8, ${installment.completedOn}::date)`,
    );
    await sql`
      UPDATE installment SET fee_minor = v.fee, penalty_minor = v.penalty, completed_on = v.completed_on
        FROM (VALUES ${sql.join(rows)}) AS v(loan_id, number, fee, penalty, completed_on)
       WHERE installment.loan_id = v.loan_id AND installment.number = v.number`.execute(db);
  }
  if (write.charges.length > 0) {
    await db
      .insertInto('loan_charge')
      .values(write.charges.map((charge) => ({
        id: charge.id, loan_id: charge.loanId, borrower_id: charge.borrowerId, kind: charge.kind, name: charge.name, amount_minor: charge.amountMinor,
        due_date: date, installment_number: charge.installmentNumber, charged_on: date,
      })))
      .execute();
  }
  await insertJournalEntries(db, ids, write.entries);
  if (write.events.length > 0) {
    await db
      .insertInto('domain_event')
      .values(write.events.map((event) => ({
        id: event.id, kind: event.kind, borrower_id: event.borrowerId, loan_id: event.loanId, business_date: date, payload: JSON.stringify(event.payload),
      })))
      .execute();
  }
  if (write.progress) {
    await sql`
      INSERT INTO eod_chunk (business_date, partition_number, chunk_number, loans, worker)
      SELECT ${date}::date, ${write.progress.partition}::int, coalesce(max(chunk_number), 0) + 1, ${write.loans.length}::int, ${write.progress.worker}
        FROM eod_chunk WHERE business_date = ${date}::date AND partition_number = ${write.progress.partition}::int`.execute(db);
  }
}
