import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import type { JournalEntryContext } from '../ledger/journal.store.ts';
import type { JournalEntryDraft } from '../ledger/journal.ts';
import type { InstallmentState } from './loan-state.ts';
import type { Allocation } from './allocation.ts';

/** Everything one change to a loan writes, applied by `writeLoanChange` in a single statement. */
export interface LoanChangeWrite {
  loanId: string;
  borrowerId: string;
  /** The version read with the state; the write applies only if nobody changed the loan since. */
  expectedVersion: number;
  loanColumns: Record<string, string | bigint | number | null>;
  installmentsBefore: readonly InstallmentState[];
  installmentsAfter: readonly InstallmentState[];
  journal: { entryId: string; context: JournalEntryContext; entry: JournalEntryDraft } | null;
  newTransaction?: {
    id: string; kind: string; valueDate: string; bookedOn: string; amountMinor: bigint; allocation: Allocation; note: string | null;
  };
  allocationUpdates?: Array<{ transactionId: string; allocation: Allocation }>;
  idempotencyRecord?: { scope: string; key: string; requestHash: string; status: number; body: unknown };
  /** Domain events for the outbox, written in the same statement (dated by the journal's business date). */
  domainEvents?: Array<{ id: string; kind: string; payload: Record<string, unknown> }>;
}

const LOAN_COLUMNS = new Set([
  'status', 'closed_on', 'principal_outstanding_minor', 'interest_outstanding_minor', 'fee_outstanding_minor', 'penalty_outstanding_minor',
  'overpayment_minor', 'received_minor', 'written_off_principal_minor', 'written_off_interest_minor', 'written_off_fee_minor',
  'written_off_penalty_minor', 'written_off_on', 'oldest_unpaid_due_date', 'last_transaction_date', 'next_event_date', 'disbursed_on',
  'disbursed_minor', 'apr', 'terms', 'days_past_due', 'delinquent_days', 'bucket',
]);
const DATE_COLUMNS = new Set(['closed_on', 'written_off_on', 'oldest_unpaid_due_date', 'last_transaction_date', 'next_event_date', 'disbursed_on']);

function sameInstallment(a: InstallmentState, b: InstallmentState): boolean {
  return (
    a.fromDate === b.fromDate && a.dueDate === b.dueDate && a.principalMinor === b.principalMinor && a.interestMinor === b.interestMinor &&
    a.feeMinor === b.feeMinor && a.penaltyMinor === b.penaltyMinor && a.principalPaidMinor === b.principalPaidMinor &&
    a.interestPaidMinor === b.interestPaidMinor && a.feePaidMinor === b.feePaidMinor && a.penaltyPaidMinor === b.penaltyPaidMinor &&
    a.feeWaivedMinor === b.feeWaivedMinor && a.penaltyWaivedMinor === b.penaltyWaivedMinor && a.completedOn === b.completedOn
  );
}

function loanColumnValue(column: string, value: string | bigint | number | null): RawBuilder<unknown> {
  if (value === null) return sql`NULL`;
  if (DATE_COLUMNS.has(column)) return sql`${value}::date`;
  if (column === 'terms') return sql`${value}::jsonb`;
  if (column === 'apr') return sql`${value}::numeric`;
  if (typeof value === 'bigint') return sql`${value}::int8`;
  return sql`${value}`;
}

/**
 * Writes a loan change — the loan row, the installments that changed, the journal entry, a new
 * transaction, re-split transactions and the idempotency record — as ONE statement of data-modifying
 * CTEs, guarded by the loan's version. One round trip, atomic on its own; returns false (and writes
 * nothing) when the loan changed since it was read.
 */
export async function writeLoanChange(db: Executor, change: LoanChangeWrite): Promise<boolean> {
  const parts: RawBuilder<unknown>[] = [];
  const setters = Object.entries(change.loanColumns).map(([column, value]) => {
    if (!LOAN_COLUMNS.has(column)) throw new Error(`writeLoanChange cannot set loan.${column}`);
    return sql`${sql.ref(column)} = ${loanColumnValue(column, value)}`;
  });
  parts.push(sql`guarded AS (
    UPDATE loan SET ${sql.join([...setters, sql`version = version + 1`])}
     WHERE id = ${change.loanId} AND version = ${change.expectedVersion} RETURNING id)`);

  const previous = new Map(change.installmentsBefore.map((installment) => [installment.number, installment]));
  const changed = change.installmentsAfter.filter((installment) => {
    const old = previous.get(installment.number);
    return !old || !sameInstallment(old, installment);
  });
  if (changed.length > 0) {
    const rows = changed.map(
      (installment) => sql`(${change.loanId}::text, ${change.borrowerId}::text, ${installment.number}::int, ${installment.fromDate}::date, ${installment.dueDate}::date,
        ${installment.principalMinor}::int8, ${installment.interestMinor}::int8, ${installment.feeMinor}::int8, ${installment.penaltyMinor}::int8,
        ${installment.principalPaidMinor}::int8, ${installment.interestPaidMinor}::int8, ${installment.feePaidMinor}::int8, ${installment.penaltyPaidMinor}::int8,
        ${installment.feeWaivedMinor}::int8, ${installment.penaltyWaivedMinor}::int8, ${installment.completedOn}::date)`,
    );
    parts.push(sql`changed_installments AS (
      INSERT INTO installment (loan_id, borrower_id, number, from_date, due_date, principal_minor, interest_minor, fee_minor, penalty_minor,
        principal_paid_minor, interest_paid_minor, fee_paid_minor, penalty_paid_minor, fee_waived_minor, penalty_waived_minor, completed_on)
      SELECT * FROM (VALUES ${sql.join(rows)}) AS source WHERE EXISTS (SELECT 1 FROM guarded)
      ON CONFLICT (loan_id, number) DO UPDATE SET
        from_date = excluded.from_date, due_date = excluded.due_date, principal_minor = excluded.principal_minor,
        interest_minor = excluded.interest_minor, fee_minor = excluded.fee_minor, penalty_minor = excluded.penalty_minor,
        principal_paid_minor = excluded.principal_paid_minor, interest_paid_minor = excluded.interest_paid_minor,
        fee_paid_minor = excluded.fee_paid_minor, penalty_paid_minor = excluded.penalty_paid_minor,
        fee_waived_minor = excluded.fee_waived_minor, penalty_waived_minor = excluded.penalty_waived_minor, completed_on = excluded.completed_on)`);
  }
  const kept = new Set(change.installmentsAfter.map((installment) => installment.number));
  const dropped = change.installmentsBefore.filter((installment) => !kept.has(installment.number)).map((installment) => installment.number);
  if (dropped.length > 0) {
    parts.push(sql`dropped_installments AS (
      DELETE FROM installment WHERE loan_id = ${change.loanId} AND number IN (${sql.join(dropped)}) AND EXISTS (SELECT 1 FROM guarded))`);
  }
  if (change.journal && change.journal.entry.lines.length > 0) {
    const { entryId, context, entry } = change.journal;
    parts.push(sql`new_entry AS (
      INSERT INTO journal_entry (id, borrower_id, loan_id, currency, business_date, kind, description, transaction_id)
      SELECT ${entryId}, ${context.borrowerId}, ${context.loanId}, ${context.currency}, ${context.businessDate}::date, ${context.kind}, ${entry.description}, ${context.transactionId ?? null}
       WHERE EXISTS (SELECT 1 FROM guarded))`);
    const lines = entry.lines.map(
      (line, index) => sql`(${entryId}::text, ${index + 1}::int, ${line.account}::text, ${context.loanId}::text, ${context.borrowerId}::text, ${context.currency}::text, ${line.amountMinor}::int8)`,
    );
    parts.push(sql`new_lines AS (
      INSERT INTO journal_line (entry_id, line_number, account, loan_id, borrower_id, currency, amount_minor)
      SELECT * FROM (VALUES ${sql.join(lines)}) AS source WHERE EXISTS (SELECT 1 FROM guarded))`);
  }
  if (change.newTransaction) {
    const transaction = change.newTransaction;
    const allocation = transaction.allocation;
    parts.push(sql`new_transaction AS (
      INSERT INTO loan_transaction (id, loan_id, borrower_id, kind, value_date, booked_on, amount_minor, principal_minor, interest_minor, fee_minor,
        penalty_minor, overpayment_minor, reversed_on, note)
      SELECT ${transaction.id}, ${change.loanId}, ${change.borrowerId}, ${transaction.kind}, ${transaction.valueDate}::date, ${transaction.bookedOn}::date,
        ${transaction.amountMinor}::int8, ${allocation.principalMinor}::int8, ${allocation.interestMinor}::int8, ${allocation.feeMinor}::int8,
        ${allocation.penaltyMinor}::int8, ${allocation.overpaymentMinor}::int8, NULL, ${transaction.note}
       WHERE EXISTS (SELECT 1 FROM guarded))`);
  }
  if (change.allocationUpdates && change.allocationUpdates.length > 0) {
    const rows = change.allocationUpdates.map(
      ({ transactionId, allocation }) =>
        sql`(${transactionId}::text, ${allocation.principalMinor}::int8, ${allocation.interestMinor}::int8, ${allocation.feeMinor}::int8, ${allocation.penaltyMinor}::int8, ${allocation.overpaymentMinor}::int8)`,
    );
    parts.push(sql`resplit AS (
      UPDATE loan_transaction AS target SET principal_minor = source.principal, interest_minor = source.interest, fee_minor = source.fee,
        penalty_minor = source.penalty, overpayment_minor = source.overpayment
        FROM (VALUES ${sql.join(rows)}) AS source(id, principal, interest, fee, penalty, overpayment)
       WHERE target.id = source.id AND EXISTS (SELECT 1 FROM guarded))`);
  }
  if (change.idempotencyRecord) {
    const record = change.idempotencyRecord;
    parts.push(sql`idempotency AS (
      INSERT INTO idempotency_record (scope, key, request_hash, response_status, response_body)
      SELECT ${record.scope}, ${record.key}, ${record.requestHash}, ${record.status}, ${JSON.stringify(record.body)}::jsonb
       WHERE EXISTS (SELECT 1 FROM guarded))`);
  }
  if (change.domainEvents && change.domainEvents.length > 0 && change.journal) {
    const businessDate = change.journal.context.businessDate;
    const rows = change.domainEvents.map(
      (event) => sql`(${event.id}::text, ${event.kind}::text, ${change.borrowerId}::text, ${change.loanId}::text, ${businessDate}::date, ${JSON.stringify(event.payload)}::jsonb)`,
    );
    parts.push(sql`new_events AS (
      INSERT INTO domain_event (id, kind, borrower_id, loan_id, business_date, payload)
      SELECT * FROM (VALUES ${sql.join(rows)}) AS source WHERE EXISTS (SELECT 1 FROM guarded))`);
  }
  const result = await sql<{ applied: number }>`WITH ${sql.join(parts)} SELECT count(*)::int AS applied FROM guarded`.execute(db);
  return Number(result.rows[0]?.applied ?? 0) === 1;
}
