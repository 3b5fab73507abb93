import { type Kysely, sql } from 'kysely';

// End of day: the loan's classification columns (kept current by every change and by the daily run),
// charge-off facts, the domain-event outbox, run/partition/chunk bookkeeping and the business calendar.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('loan')
    .addColumn('days_past_due', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('delinquent_days', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('bucket', 'text')
    .addColumn('non_accrual_on', 'date')
    .addColumn('charged_off_on', 'date')
    .addColumn('charged_off_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('penalty_accrued_through', 'date')
    .addColumn('eod_through', 'date')
    .execute();
  // Loans with something due by a date, for payment simulation and arrears lists.
  await db.schema.createIndex('loan_oldest_unpaid_due').on('loan').column('oldest_unpaid_due_date').execute();

  await db.schema
    .createTable('domain_event')
    .addColumn('sequence', 'bigserial', (column) => column.primaryKey())
    .addColumn('id', 'text', (column) => column.notNull().unique())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text')
    .addColumn('loan_id', 'text')
    .addColumn('business_date', 'date', (column) => column.notNull())
    .addColumn('payload', 'jsonb', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('domain_event_loan').on('domain_event').columns(['loan_id', 'sequence']).execute();

  await db.schema
    .createTable('eod_run')
    .addColumn('business_date', 'date', (column) => column.primaryKey())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('partitions', 'integer', (column) => column.notNull())
    .addColumn('started_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addCheckConstraint('eod_run_status', sql`status in ('running', 'finished')`)
    .execute();

  await db.schema
    .createTable('eod_partition')
    .addColumn('business_date', 'date', (column) => column.notNull().references('eod_run.business_date'))
    .addColumn('partition_number', 'integer', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('eod_partition_pk', ['business_date', 'partition_number'])
    .addCheckConstraint('eod_partition_status', sql`status in ('pending', 'running', 'finished')`)
    .execute();

  // One row per committed chunk, written in the chunk's own transaction: the record of progress.
  await db.schema
    .createTable('eod_chunk')
    .addColumn('business_date', 'date', (column) => column.notNull())
    .addColumn('partition_number', 'integer', (column) => column.notNull())
    .addColumn('chunk_number', 'integer', (column) => column.notNull())
    .addColumn('loans', 'integer', (column) => column.notNull())
    .addColumn('worker', 'text', (column) => column.notNull())
    .addColumn('committed_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('eod_chunk_pk', ['business_date', 'partition_number', 'chunk_number'])
    .execute();

  await db.schema
    .createTable('business_calendar')
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('time_zone', 'text', (column) => column.notNull())
    .addColumn('weekend_days', 'jsonb', (column) => column.notNull())
    .addColumn('non_business_day_rule', 'text', (column) => column.notNull())
    .addColumn('first_business_date', 'date')
    .addCheckConstraint('business_calendar_single', sql`id = 1`)
    .addCheckConstraint('business_calendar_rule', sql`non_business_day_rule in ('next', 'previous', 'unchanged')`)
    .execute();

  await db.schema
    .createTable('holiday')
    .addColumn('date', 'date', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['holiday', 'business_calendar', 'eod_chunk', 'eod_partition', 'eod_run', 'domain_event']) await db.schema.dropTable(table).execute();
  await db.schema
    .alterTable('loan')
    .dropColumn('days_past_due').dropColumn('delinquent_days').dropColumn('bucket').dropColumn('non_accrual_on')
    .dropColumn('charged_off_on').dropColumn('charged_off_minor').dropColumn('penalty_accrued_through').dropColumn('eod_through')
    .execute();
}
