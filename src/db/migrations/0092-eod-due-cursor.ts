import { type Kysely, sql } from 'kysely';

// A partition's chunks walk the due-loan index in order, each starting after the last loan of the
// one before (a cursor), instead of from the start of the index. A loan the run has finished leaves
// a dead index entry behind at its old date; while other chunks run, those entries cannot be cleared,
// and a scan from the start would fetch every one of them from the table again for every chunk. The
// loan id completes the key, so that the cursor names one position.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('loan_due_by_partition').execute();
  await sql`CREATE INDEX loan_due_by_partition ON loan (next_event_date, eod_partition_key, id)
    WHERE status IN ('active', 'charged-off')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('loan_due_by_partition').execute();
  await sql`CREATE INDEX loan_due_by_partition ON loan (next_event_date, eod_partition_key)
    WHERE status IN ('active', 'charged-off')`.execute(db);
}
