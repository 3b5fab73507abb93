import type { Executor } from '../db/transaction.ts';

/** Most events one read returns: consumers page with `afterSequence`. */
export const MAX_EVENTS_PER_READ = 1000;

export interface DomainEvent {
  sequence: string;
  id: string;
  kind: string;
  borrowerId: string | null;
  loanId: string | null;
  businessDate: string;
  payload: unknown;
  createdAt: string;
}

/**
 * Reads the outbox in order: events after `afterSequence` (exclusive), oldest first. A consumer
 * remembers the last sequence it handled and asks for the next page.
 *
 * @example const { events, lastSequence } = await readEvents(db, { afterSequence: 0n, limit: 100 })
 */
export async function readEvents(db: Executor, options: { afterSequence?: bigint; limit?: number; loanId?: string } = {}): Promise<{ events: DomainEvent[]; lastSequence: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), MAX_EVENTS_PER_READ);
  let query = db.selectFrom('domain_event').selectAll().where('sequence', '>', options.afterSequence ?? 0n).orderBy('sequence').limit(limit);
  if (options.loanId) query = query.where('loan_id', '=', options.loanId);
  const rows = await query.execute();
  const events = rows.map((row) => ({
    sequence: String(row.sequence), id: row.id, kind: row.kind, borrowerId: row.borrower_id, loanId: row.loan_id,
    businessDate: row.business_date, payload: row.payload, createdAt: row.created_at.toISOString(),
  }));
  return { events, lastSequence: events.at(-1)?.sequence ?? null };
}
