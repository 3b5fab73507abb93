import { type Selectable, sql } from 'kysely';
import { arrayParameter } from '../db/array-parameter.ts';
import type { Executor } from '../db/transaction.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { LenityError } from '../shared/errors.ts';
import type { Allocation } from './allocation.ts';
import type { InstallmentState } from './loan-state.ts';
import type { LoanEvent, LoanState, ReamortizedInstallment } from './servicing.ts';
import type { LendingTables } from './lending.tables.ts';

export type LoanRow = Selectable<LendingTables['loan']>;

/**
 * Locks many loans for the rest of the transaction, in id order, so that two writers of overlapping
 * sets cannot deadlock. Returns the ids that exist.
 */
export async function lockLoans(db: Executor, loanIds: readonly string[]): Promise<Set<string>> {
  if (loanIds.length === 0) return new Set();
  const rows = await sql<{ id: string }>`SELECT id FROM loan WHERE id = ANY(${arrayParameter(loanIds, 'text')}) ORDER BY id FOR UPDATE`.execute(db);
  return new Set(rows.rows.map((row) => row.id));
}

/** Locks the loan row for the rest of the transaction: one writer per loan at a time. */
export async function lockLoan(db: Executor, loanId: string): Promise<LoanRow> {
  const row = await db.selectFrom('loan').selectAll().where('id', '=', loanId).forUpdate().executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
  return row as LoanRow;
}

export async function findLoan(db: Executor, loanId: string): Promise<LoanRow | undefined> {
  return (await db.selectFrom('loan').selectAll().where('id', '=', loanId).executeTakeFirst()) as LoanRow | undefined;
}

export async function loadInstallments(db: Executor, loanId: string): Promise<InstallmentState[]> {
  const rows = await db.selectFrom('installment').selectAll().where('loan_id', '=', loanId).orderBy('number').execute();
  return rows.map(installmentFromRow);
}

export function installmentFromRow(row: Selectable<LendingTables['installment']>): InstallmentState {
  return {
    number: row.number,
    fromDate: row.from_date as BusinessDate,
    dueDate: row.due_date as BusinessDate,
    principalMinor: row.principal_minor,
    interestMinor: row.interest_minor,
    feeMinor: row.fee_minor,
    penaltyMinor: row.penalty_minor,
    principalPaidMinor: row.principal_paid_minor,
    interestPaidMinor: row.interest_paid_minor,
    feePaidMinor: row.fee_paid_minor,
    penaltyPaidMinor: row.penalty_paid_minor,
    feeWaivedMinor: row.fee_waived_minor,
    penaltyWaivedMinor: row.penalty_waived_minor,
    completedOn: row.completed_on as BusinessDate | null,
  };
}

/** The state the servicing core works on, from the loan row and its installments. */
export function loanStateFromRows(
  loan: Pick<LoanRow, 'received_minor' | 'overpayment_minor' | 'written_off_principal_minor' | 'written_off_interest_minor' | 'written_off_fee_minor' | 'written_off_penalty_minor' | 'written_off_on'>,
  installments: InstallmentState[],
): LoanState {
  return {
    installments,
    receivedMinor: loan.received_minor,
    overpaymentMinor: loan.overpayment_minor,
    writtenOff: {
      principalMinor: loan.written_off_principal_minor,
      interestMinor: loan.written_off_interest_minor,
      feeMinor: loan.written_off_fee_minor,
      penaltyMinor: loan.written_off_penalty_minor,
    },
    writtenOffOn: loan.written_off_on as BusinessDate | null,
  };
}

/** Every event of the loan that the replay needs: live payments, charges (net of waivers) and a write-off. */
export async function loadEvents(db: Executor, loanId: string): Promise<LoanEvent[]> {
  const [transactions, charges] = await Promise.all([
    db
      .selectFrom('loan_transaction')
      .select(['id', 'kind', 'value_date', 'sequence', 'amount_minor'])
      .where('loan_id', '=', loanId)
      .where('reversed_on', 'is', null)
      .where('kind', 'in', ['payment', 'write-off', 'reschedule'])
      .execute(),
    db
      .selectFrom('loan_charge')
      .select(['id', 'kind', 'charged_on', 'amount_minor', 'waived_minor', 'installment_number', 'created_at'])
      .where('loan_id', '=', loanId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const reschedules = transactions.some((row) => row.kind === 'reschedule')
    ? new Map((await db.selectFrom('loan_reschedule').select(['transaction_id', 'installments']).where('loan_id', '=', loanId).execute())
      .map((row) => [row.transaction_id, rescheduledInstallments(row.installments)]))
    : new Map<string, ReamortizedInstallment[]>();
  const events: LoanEvent[] = transactions.map((row) =>
    row.kind === 'payment'
      ? { kind: 'payment', id: row.id, date: row.value_date as BusinessDate, sequence: Number(row.sequence), amountMinor: row.amount_minor }
      : row.kind === 'reschedule'
        ? { kind: 'reschedule', id: row.id, date: row.value_date as BusinessDate, sequence: Number(row.sequence), installments: reschedules.get(row.id) ?? [] }
        : { kind: 'write-off', id: row.id, date: row.value_date as BusinessDate, sequence: Number(row.sequence) },
  );
  charges.forEach((row, index) =>
    events.push({
      kind: 'charge',
      id: row.id,
      date: row.charged_on as BusinessDate,
      sequence: index,
      chargeKind: row.kind as 'fee' | 'penalty',
      amountMinor: row.amount_minor,
      waivedMinor: row.waived_minor,
      installmentNumber: row.installment_number,
    }),
  );
  return events;
}

/** Rewrites the allocation of transactions whose split changed in a replay, in one statement. */
export async function saveAllocations(db: Executor, changes: Array<{ transactionId: string; allocation: Allocation }>): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map(({ transactionId, allocation }) =>
    sql`(${transactionId}::text, ${allocation.principalMinor}::int8, ${allocation.interestMinor}::int8, ${allocation.feeMinor}::int8, ${allocation.penaltyMinor}::int8, ${allocation.overpaymentMinor}::int8)`,
  );
  await sql`
    UPDATE loan_transaction AS target SET
      principal_minor = source.principal, interest_minor = source.interest, fee_minor = source.fee,
      penalty_minor = source.penalty, overpayment_minor = source.overpayment
    FROM (VALUES ${sql.join(rows)}) AS source(id, principal, interest, fee, penalty, overpayment)
    WHERE target.id = source.id`.execute(db);
}

export interface LoanSnapshot {
  loan: LoanRow;
  installments: InstallmentState[];
  /** The loan's ageing pauses, so that a payment re-classifies the loan at once. */
  pauses: Array<{ from: BusinessDate; until: BusinessDate | null }>;
  idempotency: { requestHash: string; status: number; body: unknown } | null;
}

const MONEY_FIELDS = [
  'principal_minor', 'interest_minor', 'fee_minor', 'penalty_minor', 'principal_paid_minor', 'interest_paid_minor', 'fee_paid_minor',
  'penalty_paid_minor', 'fee_waived_minor', 'penalty_waived_minor',
] as const;

/**
 * The loan, its installments and any idempotency record for (scope, key), in one round trip: the
 * read half of the two-statement payment path.
 */
export async function loadLoanSnapshot(db: Executor, loanId: string, scope: string, key: string): Promise<LoanSnapshot | null> {
  return (await loadLoanSnapshots(db, [{ loanId, scope, key }])).get(loanId) ?? null;
}

/**
 * Many loans' snapshots (loan, installments, pauses, the idempotency record of each request) in one
 * round trip, keyed by loan id; loans that do not exist are absent. Money travels as text inside the
 * arrays so that no amount ever passes through a JavaScript number. A writer locks the loans first
 * (`lockLoans`): read in a later statement, the snapshot then holds every change committed before.
 *
 * @example await loadLoanSnapshots(transaction, [{ loanId, scope: `payment:${loanId}`, key }])
 */
export async function loadLoanSnapshots(db: Executor, requests: ReadonlyArray<{ loanId: string; scope: string; key: string }>): Promise<Map<string, LoanSnapshot>> {
  const snapshots = new Map<string, LoanSnapshot>();
  if (requests.length === 0) return snapshots;
  const arrays = MONEY_FIELDS.map((field) => sql`array_agg(i.${sql.ref(field)}::text ORDER BY i.number) AS ${sql.ref(`${field}_list`)}`);
  const result = await sql<LoanRow & Record<string, string[] | null> & { idempotency_hash: string | null; idempotency_status: number | null; idempotency_body: unknown }>`
    SELECT l.*, installments.*, pauses.*, r.request_hash AS idempotency_hash, r.response_status AS idempotency_status, r.response_body AS idempotency_body
      FROM unnest(${arrayParameter(requests.map((request) => request.loanId), 'text')}, ${arrayParameter(requests.map((request) => request.scope), 'text')},
                  ${arrayParameter(requests.map((request) => request.key), 'text')}) AS request(loan_id, scope, key)
      JOIN loan l ON l.id = request.loan_id
      LEFT JOIN LATERAL (
        SELECT array_agg(i.number::text ORDER BY i.number) AS number_list, array_agg(i.from_date::text ORDER BY i.number) AS from_date_list,
               array_agg(i.due_date::text ORDER BY i.number) AS due_date_list, array_agg(i.completed_on::text ORDER BY i.number) AS completed_on_list,
               ${sql.join(arrays)}
          FROM installment i WHERE i.loan_id = l.id) AS installments ON true
      LEFT JOIN LATERAL (
        SELECT array_agg(p.from_date::text ORDER BY p.from_date) AS pause_from_list, array_agg(p.until_date::text ORDER BY p.from_date) AS pause_until_list
          FROM loan_ageing_pause p WHERE p.loan_id = l.id) AS pauses ON true
      LEFT JOIN idempotency_record r ON r.scope = request.scope AND r.key = request.key
     ORDER BY l.id`.execute(db);
  for (const row of result.rows) snapshots.set(row.id, snapshotFromRow(row));
  return snapshots;
}

function snapshotFromRow(row: LoanRow & Record<string, unknown>): LoanSnapshot {
  const list = (name: string) => (row[`${name}_list`] as string[] | null) ?? [];
  const numbers = list('number');
  const money = Object.fromEntries(MONEY_FIELDS.map((field) => [field, list(field)]));
  const installments: InstallmentState[] = numbers.map((number, index) => ({
    number: Number(number),
    fromDate: list('from_date')[index] as BusinessDate,
    dueDate: list('due_date')[index] as BusinessDate,
    principalMinor: BigInt(money.principal_minor![index]!),
    interestMinor: BigInt(money.interest_minor![index]!),
    feeMinor: BigInt(money.fee_minor![index]!),
    penaltyMinor: BigInt(money.penalty_minor![index]!),
    principalPaidMinor: BigInt(money.principal_paid_minor![index]!),
    interestPaidMinor: BigInt(money.interest_paid_minor![index]!),
    feePaidMinor: BigInt(money.fee_paid_minor![index]!),
    penaltyPaidMinor: BigInt(money.penalty_paid_minor![index]!),
    feeWaivedMinor: BigInt(money.fee_waived_minor![index]!),
    penaltyWaivedMinor: BigInt(money.penalty_waived_minor![index]!),
    completedOn: (list('completed_on')[index] ?? null) as BusinessDate | null,
  }));
  const loan = Object.fromEntries(Object.entries(row).filter(([name]) => !name.endsWith('_list') && !name.startsWith('idempotency_'))) as LoanRow;
  const pauseFrom = list('pause_from');
  const pauseUntil = list('pause_until');
  return {
    loan,
    installments,
    pauses: pauseFrom.map((from, index) => ({ from: from as BusinessDate, until: (pauseUntil[index] ?? null) as BusinessDate | null })),
    idempotency: row.idempotency_hash ? { requestHash: row.idempotency_hash as string, status: Number(row.idempotency_status), body: row.idempotency_body } : null,
  };
}

/** The stored installments of a reschedule (amounts are decimal strings of minor units in JSON). */
export function rescheduledInstallments(json: unknown): ReamortizedInstallment[] {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as Array<{ fromDate: string; dueDate: string; principalMinor: string; interestMinor: string }>;
  return list.map((row) => ({ fromDate: row.fromDate as BusinessDate, dueDate: row.dueDate as BusinessDate, principalMinor: BigInt(row.principalMinor), interestMinor: BigInt(row.interestMinor) }));
}
