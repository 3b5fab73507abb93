import { type Kysely, sql } from 'kysely';

// Delinquency ageing pauses. A resume ends a pause by setting until_date; history is kept, since a
// loan's delinquent days are re-derived from every pause it ever had.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('loan_ageing_pause')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('loan_id', 'text', (column) => column.notNull().references('loan.id'))
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('from_date', 'date', (column) => column.notNull())
    .addColumn('until_date', 'date')
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('loan_ageing_pause_dates', sql`until_date IS NULL OR until_date > from_date`)
    .execute();
  await db.schema.createIndex('loan_ageing_pause_loan').on('loan_ageing_pause').columns(['loan_id', 'from_date']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('loan_ageing_pause').execute();
}
