import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type Executor = Kysely<Database>;

/**
 * Runs `work` in a transaction, joining the caller's transaction when there is one, so that a use
 * case and its idempotency record (or its caller's other writes) commit together.
 */
export function inTransaction<T>(db: Executor, work: (transaction: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
