import { type Kysely, sql } from 'kysely';

// End of day in proportion to the day's events. Each loan carries a fixed partition key (a hash of its
// id, 0–1023); a run's partition is a range of keys, so a worker's chunk query reads only its own due
// loans through one index instead of filtering the whole day's due set by hash. The index is partial:
// closed loans keep their last next-event date but are never due again.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE loan ADD COLUMN eod_partition_key smallint NOT NULL
    GENERATED ALWAYS AS (mod(hashtext(id)::int8 + 2147483648, 1024)::smallint) STORED`.execute(db);
  await sql`CREATE INDEX loan_due_by_partition ON loan (next_event_date, eod_partition_key)
    WHERE status IN ('active', 'charged-off')`.execute(db);
  await db.schema.dropIndex('loan_next_event').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('loan_next_event').on('loan').column('next_event_date').execute();
  await db.schema.dropIndex('loan_due_by_partition').execute();
  await db.schema.alterTable('loan').dropColumn('eod_partition_key').execute();
}
