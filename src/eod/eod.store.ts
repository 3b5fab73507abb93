import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import { arrayParameter } from '../db/array-parameter.ts';
import { partitionKeyRange } from './partitions.ts';
import { insertJournalEntries, type JournalEntryContext } from '../ledger/journal.store.ts';
import type { JournalEntryDraft } from '../ledger/journal.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { AgeingPause } from '../lending/ageing.ts';
import type { InstallmentState } from '../lending/loan-state.ts';
import type { LoanRow } from '../lending/loan.store.ts';

/** The name late fees carry, by which their caps are counted. */
export const LATE_FEE_NAME = 'Late fee';
export const PENALTY_INTEREST_NAME = 'Penalty interest';

/** Which loans a chunk is drawn from: one partition of the book, or named loans (scenarios). */
export type ChunkScope = { partition: number; partitions: number } | { loanIds: readonly string[] };

// The loan columns end of day reads: what the daily rules, the balances and the ledger position
// need, and the cursor. Every row of every chunk is parsed column by column, so the rest (the
// outstanding balances it recomputes, dates it never looks at, the wide `terms`, whose product part
// it reads once per distinct snapshot with `loadProductTerms`) is left in the table.
const DUE_LOAN_COLUMN_NAMES = [
  'id', 'borrower_id', 'currency', 'status', 'disbursed_on', 'disbursed_minor', 'received_minor', 'overpayment_minor',
  'written_off_principal_minor', 'written_off_interest_minor', 'written_off_fee_minor', 'written_off_penalty_minor', 'written_off_on',
  'last_transaction_date', 'next_event_date', 'delinquent_days', 'bucket', 'non_accrual_on', 'charged_off_on', 'charged_off_minor',
  'penalty_accrued_through', 'eod_through', 'eod_partition_key', 'product_terms_key',
] as const satisfies ReadonlyArray<keyof LoanRow>;

/** A loan row as end of day reads it: the columns it needs (its product terms by the name of their snapshot). */
export type DueLoanRow = Pick<LoanRow, (typeof DUE_LOAN_COLUMN_NAMES)[number]>;

const DUE_LOAN_COLUMNS = sql.raw(DUE_LOAN_COLUMN_NAMES.map((column) => `l.${column}`).join(', '));

export interface LoadedChunk {
  loans: DueLoanRow[];
  installments: Map<string, InstallmentState[]>;
  lateFees: Map<string, Array<{ installmentNumber: number; amountMinor: bigint }>>;
  pauses: Map<string, AgeingPause[]>;
}

function partitionFilter(scope: ChunkScope) {
  if ('loanIds' in scope) return sql`l.id = ANY(${[...scope.loanIds]}::text[])`;
  const { from, until } = partitionKeyRange(scope.partition, scope.partitions);
  return sql`l.eod_partition_key >= ${from}::int AND l.eod_partition_key < ${until}::int`;
}

/** Where a partition's walk of the due-loan index stands: the index key of the last loan taken. */
export interface DueCursor {
  nextEventDate: string;
  partitionKey: number;
  loanId: string;
}

/** The cursor after a chunk: its last loan, in index order (the loans come in that order). */
export function cursorAfter(loans: readonly DueLoanRow[]): DueCursor | null {
  const last = loans.at(-1);
  return last ? { nextEventDate: last.next_event_date!, partitionKey: last.eod_partition_key, loanId: last.id } : null;
}

/**
 * Locks and loads up to `limit` loans whose next event has come by `businessDate`, after `cursor`
 * in the due-loan index, with their installments, late fees and pauses: two queries a chunk,
 * however many loans. Loans a run has finished carry a later next event date, so a rerun (which
 * starts without a cursor) never selects them again. The order is the index's own, so no sort
 * reads every due loan of the partition to return the first `limit`.
 */
export async function loadDueChunk(db: Executor, businessDate: BusinessDate, scope: ChunkScope, limit: number, cursor: DueCursor | null = null): Promise<LoadedChunk> {
  const after = cursor === null
    ? sql`TRUE`
    : sql`(l.next_event_date, l.eod_partition_key, l.id) > (${cursor.nextEventDate}::date, ${cursor.partitionKey}::smallint, ${cursor.loanId}::text)`;
  const loanRows = await sql<DueLoanRow>`
    SELECT ${DUE_LOAN_COLUMNS} FROM loan l
     WHERE l.next_event_date <= ${businessDate}::date AND l.status IN ('active', 'charged-off') AND ${partitionFilter(scope)} AND ${after}
     ORDER BY l.next_event_date, l.eod_partition_key, l.id
     LIMIT ${limit} FOR UPDATE`.execute(db);
  const loans = loanRows.rows;
  const installments = new Map<string, InstallmentState[]>();
  const lateFees = new Map<string, Array<{ installmentNumber: number; amountMinor: bigint }>>();
  const pauses = new Map<string, AgeingPause[]>();
  if (loans.length === 0) return { loans, installments, lateFees, pauses };
  // One row per loan with its installments, late fees and pauses as compact text: a chunk's twelve
  // thousand installments would otherwise cost a protocol row and a parse per column each. The
  // statement runs after the loans are locked, so it sees every change committed before the lock.
  // The late fees' name is written into the statement, so that the planner takes their own index
  // (migration 0093) rather than every charge of the loan.
  const details = await sql<{ loan_id: string; installments: string | null; late_fees: string | null; pauses: string | null }>`
    SELECT request.loan_id,
           (SELECT string_agg(concat_ws(',', i.number, i.from_date, i.due_date, i.principal_minor, i.interest_minor, i.fee_minor, i.penalty_minor,
                     i.principal_paid_minor, i.interest_paid_minor, i.fee_paid_minor, i.penalty_paid_minor, i.fee_waived_minor, i.penalty_waived_minor,
                     coalesce(i.completed_on::text, '')), ';' ORDER BY i.number)
              FROM installment i WHERE i.loan_id = request.loan_id) AS installments,
           (SELECT string_agg(c.installment_number || ',' || c.amount_minor, ';')
              FROM loan_charge c WHERE c.loan_id = request.loan_id AND c.name = ${sql.lit(LATE_FEE_NAME)}) AS late_fees,
           (SELECT string_agg(p.from_date || ',' || coalesce(p.until_date::text, ''), ';' ORDER BY p.from_date)
              FROM loan_ageing_pause p WHERE p.loan_id = request.loan_id) AS pauses
      FROM unnest(${arrayParameter(loans.map((loan) => loan.id), 'text')}) AS request(loan_id)`.execute(db);
  for (const row of details.rows) {
    installments.set(row.loan_id, row.installments === null ? [] : row.installments.split(';').map(installmentFromText));
    if (row.late_fees !== null) {
      lateFees.set(row.loan_id, row.late_fees.split(';').map((text) => {
        const [number, amount] = text.split(',');
        return { installmentNumber: Number(number), amountMinor: BigInt(amount!) };
      }));
    }
    if (row.pauses !== null) {
      pauses.set(row.loan_id, row.pauses.split(';').map((text) => {
        const [from, until] = text.split(',');
        return { from: from as BusinessDate, until: until ? (until as BusinessDate) : null };
      }));
    }
  }
  return { loans, installments, lateFees, pauses };
}

/**
 * The product terms of the named snapshots (`loan.product_terms_key`), as JSON text by name: a chunk
 * asks only for those the process has not read before.
 */
export async function loadProductTerms(db: Executor, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await sql<{ key: string; product: string }>`
    SELECT key, product::text AS product FROM product_terms_snapshot WHERE key = ANY(${arrayParameter(keys, 'text')})`.execute(db);
  return new Map(rows.rows.map((row) => [row.key, row.product]));
}

/** A money amount from its text; most of an installment's amounts are nothing yet (paid, waived, fees), and a bigint parse costs more than the test. */
function minorFromText(text: string): bigint {
  return text === '0' ? 0n : BigInt(text);
}

/** An installment from its compact text (`number,from,due,ten amounts,completed-on`), as `loadDueChunk` reads it. */
function installmentFromText(text: string): InstallmentState {
  const fields = text.split(',');
  return {
    number: Number(fields[0]),
    fromDate: fields[1] as BusinessDate,
    dueDate: fields[2] as BusinessDate,
    principalMinor: minorFromText(fields[3]!),
    interestMinor: minorFromText(fields[4]!),
    feeMinor: minorFromText(fields[5]!),
    penaltyMinor: minorFromText(fields[6]!),
    principalPaidMinor: minorFromText(fields[7]!),
    interestPaidMinor: minorFromText(fields[8]!),
    feePaidMinor: minorFromText(fields[9]!),
    penaltyPaidMinor: minorFromText(fields[10]!),
    feeWaivedMinor: minorFromText(fields[11]!),
    penaltyWaivedMinor: minorFromText(fields[12]!),
    completedOn: fields[13] ? (fields[13] as BusinessDate) : null,
  };
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
    const loans = write.loans;
    await sql`
      UPDATE loan SET status = v.status, fee_outstanding_minor = v.fee, penalty_outstanding_minor = v.penalty, days_past_due = v.days_past_due,
             delinquent_days = v.delinquent_days, bucket = v.bucket, non_accrual_on = v.non_accrual_on, charged_off_on = v.charged_off_on,
             charged_off_minor = v.charged_off_minor, penalty_accrued_through = v.penalty_accrued_through,
             last_transaction_date = v.last_transaction_date, next_event_date = v.next_event_date, eod_through = ${date}::date, version = loan.version + 1
        FROM unnest(${arrayParameter(loans.map((loan) => loan.id), 'text')}, ${arrayParameter(loans.map((loan) => loan.status), 'text')},
             ${arrayParameter(loans.map((loan) => loan.feeOutstandingMinor), 'int8')}, ${arrayParameter(loans.map((loan) => loan.penaltyOutstandingMinor), 'int8')},
             ${arrayParameter(loans.map((loan) => loan.daysPastDue), 'int')}, ${arrayParameter(loans.map((loan) => loan.delinquentDays), 'int')},
             ${arrayParameter(loans.map((loan) => loan.bucket), 'text')}, ${arrayParameter(loans.map((loan) => loan.nonAccrualOn), 'date')},
             ${arrayParameter(loans.map((loan) => loan.chargedOffOn), 'date')}, ${arrayParameter(loans.map((loan) => loan.chargedOffMinor), 'int8')},
             ${arrayParameter(loans.map((loan) => loan.penaltyAccruedThrough), 'date')}, ${arrayParameter(loans.map((loan) => loan.lastTransactionDate), 'date')},
             ${arrayParameter(loans.map((loan) => loan.nextEventDate), 'date')})
          AS v(id, status, fee, penalty, days_past_due, delinquent_days, bucket, non_accrual_on, charged_off_on,
             charged_off_minor, penalty_accrued_through, last_transaction_date, next_event_date)
       WHERE loan.id = v.id`.execute(db);
  }
  if (write.installments.length > 0) {
    const installments = write.installments;
    await sql`
      UPDATE installment SET fee_minor = v.fee, penalty_minor = v.penalty, completed_on = v.completed_on
        FROM unnest(${arrayParameter(installments.map((installment) => installment.loanId), 'text')}, ${arrayParameter(installments.map((installment) => installment.number), 'int')},
             ${arrayParameter(installments.map((installment) => installment.feeMinor), 'int8')}, ${arrayParameter(installments.map((installment) => installment.penaltyMinor), 'int8')},
             ${arrayParameter(installments.map((installment) => installment.completedOn), 'date')})
          AS v(loan_id, number, fee, penalty, completed_on)
       WHERE installment.loan_id = v.loan_id AND installment.number = v.number`.execute(db);
  }
  if (write.charges.length > 0) {
    const charges = write.charges;
    await sql`
      INSERT INTO loan_charge (id, loan_id, borrower_id, kind, name, amount_minor, due_date, installment_number, charged_on)
      SELECT v.id, v.loan_id, v.borrower_id, v.kind, v.name, v.amount_minor, ${date}::date, v.installment_number, ${date}::date
        FROM unnest(${arrayParameter(charges.map((charge) => charge.id), 'text')}, ${arrayParameter(charges.map((charge) => charge.loanId), 'text')},
             ${arrayParameter(charges.map((charge) => charge.borrowerId), 'text')}, ${arrayParameter(charges.map((charge) => charge.kind), 'text')},
             ${arrayParameter(charges.map((charge) => charge.name), 'text')}, ${arrayParameter(charges.map((charge) => charge.amountMinor), 'int8')},
             ${arrayParameter(charges.map((charge) => charge.installmentNumber), 'int')})
          AS v(id, loan_id, borrower_id, kind, name, amount_minor, installment_number)`.execute(db);
  }
  await insertJournalEntries(db, ids, write.entries);
  if (write.events.length > 0) {
    const events = write.events;
    await sql`
      INSERT INTO domain_event (id, kind, borrower_id, loan_id, business_date, payload)
      SELECT v.id, v.kind, v.borrower_id, v.loan_id, ${date}::date, v.payload
        FROM unnest(${arrayParameter(events.map((event) => event.id), 'text')}, ${arrayParameter(events.map((event) => event.kind), 'text')},
             ${arrayParameter(events.map((event) => event.borrowerId), 'text')}, ${arrayParameter(events.map((event) => event.loanId), 'text')},
             ${arrayParameter(events.map((event) => JSON.stringify(event.payload)), 'jsonb')})
          WITH ORDINALITY AS v(id, kind, borrower_id, loan_id, payload, position)
       ORDER BY v.position`.execute(db);
  }
  if (write.progress) {
    await sql`
      INSERT INTO eod_chunk (business_date, partition_number, chunk_number, loans, worker)
      SELECT ${date}::date, ${write.progress.partition}::int, coalesce(max(chunk_number), 0) + 1, ${write.loans.length}::int, ${write.progress.worker}
        FROM eod_chunk WHERE business_date = ${date}::date AND partition_number = ${write.progress.partition}::int`.execute(db);
  }
}
