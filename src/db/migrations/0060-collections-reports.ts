import { type Kysely, sql } from 'kysely';

// The portfolio as the end-of-day run leaves each business date: loans and what they owe per
// jurisdiction, currency and bucket ('current' while not delinquent), for the supervisors'
// delinquency-over-time chart. Written once per date when the date closes; nothing is backfilled.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portfolio_snapshot')
    .addColumn('business_date', 'date', (column) => column.notNull())
    .addColumn('jurisdiction', 'text', (column) => column.notNull())
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('bucket', 'text', (column) => column.notNull())
    .addColumn('loans', 'integer', (column) => column.notNull())
    .addColumn('outstanding_minor', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('portfolio_snapshot_pk', ['business_date', 'jurisdiction', 'currency', 'bucket'])
    .addCheckConstraint('portfolio_snapshot_counts', sql`loans >= 0 and outstanding_minor >= 0`)
    .execute();
  // Roll and cure rates read the outbox by kind and date.
  await db.schema.createIndex('domain_event_kind_date').on('domain_event').columns(['kind', 'business_date']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('domain_event_kind_date').execute();
  await db.schema.dropTable('portfolio_snapshot').execute();
}
