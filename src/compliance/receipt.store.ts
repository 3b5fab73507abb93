import type { Executor } from '../db/transaction.ts';

/** A stored receipt as the store returns it. */
export interface StoredReceipt {
  id: string;
  borrowerId: string;
  debtId: string;
  attemptAt: Date;
  request: unknown;
  overlay: unknown | null;
  decision: unknown;
  policy: string;
}

export interface NewReceipt {
  id: string;
  borrowerId: string;
  debtId: string;
  attemptAt: Date;
  request: unknown;
  overlay: unknown | null;
  decision: { decision: string; policy: string };
}

export async function insertReceipt(db: Executor, receipt: NewReceipt): Promise<void> {
  await db
    .insertInto('contact_receipt')
    .values({
      id: receipt.id,
      borrower_id: receipt.borrowerId,
      debt_id: receipt.debtId,
      attempt_at: receipt.attemptAt,
      request: JSON.stringify(receipt.request),
      overlay: receipt.overlay === null ? null : JSON.stringify(receipt.overlay),
      decision: JSON.stringify(receipt.decision),
      outcome: receipt.decision.decision,
      policy: receipt.decision.policy,
    })
    .execute();
}

/** Receipts in id order after `afterId` (keyset pagination), at most `limit`. */
export async function listReceiptsAfter(db: Executor, afterId: string | null, limit: number): Promise<StoredReceipt[]> {
  let query = db
    .selectFrom('contact_receipt')
    .select(['id', 'borrower_id', 'debt_id', 'attempt_at', 'request', 'overlay', 'decision', 'policy'])
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    borrowerId: row.borrower_id,
    debtId: row.debt_id,
    attemptAt: row.attempt_at,
    request: parseJsonColumn(row.request),
    overlay: row.overlay === null ? null : parseJsonColumn(row.overlay),
    decision: parseJsonColumn(row.decision),
    policy: row.policy,
  }));
}

/** Receipts of one borrower, newest attempt first. */
export async function listBorrowerReceipts(db: Executor, borrowerId: string, limit: number): Promise<StoredReceipt[]> {
  const rows = await db
    .selectFrom('contact_receipt')
    .select(['id', 'borrower_id', 'debt_id', 'attempt_at', 'request', 'overlay', 'decision', 'policy'])
    .where('borrower_id', '=', borrowerId)
    .orderBy('attempt_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    borrowerId: row.borrower_id,
    debtId: row.debt_id,
    attemptAt: row.attempt_at,
    request: parseJsonColumn(row.request),
    overlay: row.overlay === null ? null : parseJsonColumn(row.overlay),
    decision: parseJsonColumn(row.decision),
    policy: row.policy,
  }));
}

// Both drivers parse jsonb already; a string means a driver configured otherwise.
function parseJsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
