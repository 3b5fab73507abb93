import { type RawBuilder, sql } from 'kysely';
import { type ArrayElementType, arrayParameter } from '../db/array-parameter.ts';
import type { Executor } from '../db/transaction.ts';
import { insertJournalEntries } from '../ledger/journal.store.ts';
import type { IdGenerator } from '../shared/ids.ts';
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
  'disbursed_minor', 'apr', 'terms', 'days_past_due', 'delinquent_days', 'bucket', 'non_accrual_on',
]);
const DATE_COLUMNS = new Set(['closed_on', 'written_off_on', 'oldest_unpaid_due_date', 'last_transaction_date', 'next_event_date', 'disbursed_on', 'non_accrual_on']);

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

/** The SQL type of each loan column a change may set, for array parameters. */
const LOAN_COLUMN_TYPES: Readonly<Record<string, ArrayElementType>> = {
  status: 'text', closed_on: 'date', principal_outstanding_minor: 'int8', interest_outstanding_minor: 'int8', fee_outstanding_minor: 'int8',
  penalty_outstanding_minor: 'int8', overpayment_minor: 'int8', received_minor: 'int8', written_off_principal_minor: 'int8',
  written_off_interest_minor: 'int8', written_off_fee_minor: 'int8', written_off_penalty_minor: 'int8', written_off_on: 'date',
  oldest_unpaid_due_date: 'date', last_transaction_date: 'date', next_event_date: 'date', disbursed_on: 'date', disbursed_minor: 'int8',
  apr: 'numeric', terms: 'jsonb', days_past_due: 'int', delinquent_days: 'int', bucket: 'text', non_accrual_on: 'date',
};

const INSTALLMENT_FIELDS = [
  ['principal_minor', 'principalMinor'], ['interest_minor', 'interestMinor'], ['fee_minor', 'feeMinor'], ['penalty_minor', 'penaltyMinor'],
  ['principal_paid_minor', 'principalPaidMinor'], ['interest_paid_minor', 'interestPaidMinor'], ['fee_paid_minor', 'feePaidMinor'],
  ['penalty_paid_minor', 'penaltyPaidMinor'], ['fee_waived_minor', 'feeWaivedMinor'], ['penalty_waived_minor', 'penaltyWaivedMinor'],
] as const;

/**
 * Writes many loans' changes set-based — one statement per table, whatever the number of loans —
 * for a caller that holds every loan's lock in its transaction (a payment batch). Each change sets
 * the same loan columns. The version is still moved on, so optimistic writers elsewhere notice.
 */
export async function writeLoanChanges(db: Executor, ids: IdGenerator, changes: readonly LoanChangeWrite[]): Promise<void> {
  if (changes.length === 0) return;
  const columns = Object.keys(changes[0]!.loanColumns);
  for (const change of changes) {
    const keys = Object.keys(change.loanColumns);
    if (keys.length !== columns.length || keys.some((key, index) => key !== columns[index])) throw new Error('writeLoanChanges: every change must set the same loan columns');
  }
  for (const column of columns) if (!LOAN_COLUMNS.has(column)) throw new Error(`writeLoanChanges cannot set loan.${column}`);
  const loanIds = arrayParameter(changes.map((change) => change.loanId), 'text');
  const columnArrays = columns.map((column) => {
    return arrayParameter(changes.map((change) => change.loanColumns[column] ?? null), LOAN_COLUMN_TYPES[column]!);
  });
  await sql`
    UPDATE loan SET ${sql.join(columns.map((column) => sql`${sql.ref(column)} = v.${sql.ref(column)}`))}, version = loan.version + 1
      FROM unnest(${loanIds}, ${sql.join(columnArrays)}) AS v(id, ${sql.join(columns.map((column) => sql.ref(column)))})
     WHERE loan.id = v.id`.execute(db);

  const changed: Array<{ loanId: string; borrowerId: string; installment: InstallmentState }> = [];
  const dropped: Array<{ loanId: string; number: number }> = [];
  for (const change of changes) {
    const previous = new Map(change.installmentsBefore.map((installment) => [installment.number, installment]));
    for (const installment of change.installmentsAfter) {
      const old = previous.get(installment.number);
      if (!old || !sameInstallment(old, installment)) changed.push({ loanId: change.loanId, borrowerId: change.borrowerId, installment });
    }
    const kept = new Set(change.installmentsAfter.map((installment) => installment.number));
    for (const installment of change.installmentsBefore) if (!kept.has(installment.number)) dropped.push({ loanId: change.loanId, number: installment.number });
  }
  if (changed.length > 0) {
    await sql`
      INSERT INTO installment (loan_id, borrower_id, number, from_date, due_date, ${sql.join(INSTALLMENT_FIELDS.map(([column]) => sql.ref(column)))}, completed_on)
      SELECT * FROM unnest(${arrayParameter(changed.map((row) => row.loanId), 'text')}, ${arrayParameter(changed.map((row) => row.borrowerId), 'text')},
             ${arrayParameter(changed.map((row) => row.installment.number), 'int')}, ${arrayParameter(changed.map((row) => row.installment.fromDate), 'date')},
             ${arrayParameter(changed.map((row) => row.installment.dueDate), 'date')},
             ${sql.join(INSTALLMENT_FIELDS.map(([, field]) => arrayParameter(changed.map((row) => row.installment[field]), 'int8')))},
             ${arrayParameter(changed.map((row) => row.installment.completedOn), 'date')})
      ON CONFLICT (loan_id, number) DO UPDATE SET from_date = excluded.from_date, due_date = excluded.due_date,
        ${sql.join(INSTALLMENT_FIELDS.map(([column]) => sql`${sql.ref(column)} = excluded.${sql.ref(column)}`))}, completed_on = excluded.completed_on`.execute(db);
  }
  if (dropped.length > 0) {
    await sql`
      DELETE FROM installment USING unnest(${arrayParameter(dropped.map((row) => row.loanId), 'text')}, ${arrayParameter(dropped.map((row) => row.number), 'int')}) AS v(loan_id, number)
       WHERE installment.loan_id = v.loan_id AND installment.number = v.number`.execute(db);
  }
  await insertJournalEntries(db, ids, changes.flatMap((change) => (change.journal ? [{ context: change.journal.context, entry: change.journal.entry }] : [])));
  const transactions = changes.flatMap((change) => (change.newTransaction ? [{ change, transaction: change.newTransaction }] : []));
  if (transactions.length > 0) {
    const allocations = transactions.map(({ transaction }) => transaction.allocation);
    await sql`
      INSERT INTO loan_transaction (id, loan_id, borrower_id, kind, value_date, booked_on, amount_minor, principal_minor, interest_minor, fee_minor,
        penalty_minor, overpayment_minor, note)
      SELECT v.id, v.loan_id, v.borrower_id, v.kind, v.value_date, v.booked_on, v.amount_minor, v.principal_minor, v.interest_minor, v.fee_minor,
             v.penalty_minor, v.overpayment_minor, v.note
        FROM unnest(${arrayParameter(transactions.map(({ transaction }) => transaction.id), 'text')}, ${arrayParameter(transactions.map(({ change }) => change.loanId), 'text')},
             ${arrayParameter(transactions.map(({ change }) => change.borrowerId), 'text')}, ${arrayParameter(transactions.map(({ transaction }) => transaction.kind), 'text')},
             ${arrayParameter(transactions.map(({ transaction }) => transaction.valueDate), 'date')}, ${arrayParameter(transactions.map(({ transaction }) => transaction.bookedOn), 'date')},
             ${arrayParameter(transactions.map(({ transaction }) => transaction.amountMinor), 'int8')}, ${arrayParameter(allocations.map((allocation) => allocation.principalMinor), 'int8')},
             ${arrayParameter(allocations.map((allocation) => allocation.interestMinor), 'int8')}, ${arrayParameter(allocations.map((allocation) => allocation.feeMinor), 'int8')},
             ${arrayParameter(allocations.map((allocation) => allocation.penaltyMinor), 'int8')}, ${arrayParameter(allocations.map((allocation) => allocation.overpaymentMinor), 'int8')},
             ${arrayParameter(transactions.map(({ transaction }) => transaction.note), 'text')})
      WITH ORDINALITY AS v(id, loan_id, borrower_id, kind, value_date, booked_on, amount_minor, principal_minor, interest_minor, fee_minor, penalty_minor, overpayment_minor, note, position)
      ORDER BY v.position`.execute(db);
  }
  const records = changes.flatMap((change) => (change.idempotencyRecord ? [change.idempotencyRecord] : []));
  if (records.length > 0) {
    await sql`
      INSERT INTO idempotency_record (scope, key, request_hash, response_status, response_body)
      SELECT * FROM unnest(${arrayParameter(records.map((record) => record.scope), 'text')}, ${arrayParameter(records.map((record) => record.key), 'text')},
             ${arrayParameter(records.map((record) => record.requestHash), 'text')}, ${arrayParameter(records.map((record) => record.status), 'int')},
             ${arrayParameter(records.map((record) => JSON.stringify(record.body)), 'jsonb')})`.execute(db);
  }
  const events = changes.flatMap((change) => (change.journal ? (change.domainEvents ?? []).map((event) => ({ change, event, businessDate: change.journal!.context.businessDate })) : []));
  if (events.length > 0) {
    await sql`
      INSERT INTO domain_event (id, kind, borrower_id, loan_id, business_date, payload)
      SELECT v.id, v.kind, v.borrower_id, v.loan_id, v.business_date, v.payload
        FROM unnest(${arrayParameter(events.map(({ event }) => event.id), 'text')}, ${arrayParameter(events.map(({ event }) => event.kind), 'text')},
             ${arrayParameter(events.map(({ change }) => change.borrowerId), 'text')}, ${arrayParameter(events.map(({ change }) => change.loanId), 'text')},
             ${arrayParameter(events.map(({ businessDate }) => businessDate), 'date')}, ${arrayParameter(events.map(({ event }) => JSON.stringify(event.payload)), 'jsonb')})
        WITH ORDINALITY AS v(id, kind, borrower_id, loan_id, business_date, payload, position)
       ORDER BY v.position`.execute(db);
  }
}
