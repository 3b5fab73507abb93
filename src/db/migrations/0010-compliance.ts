import { type Kysely, sql } from 'kysely';

// Contact receipts: every attempt's gate inputs and decision, kept for re-derivation and audit.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_receipt')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('debt_id', 'text', (column) => column.notNull())
    .addColumn('attempt_at', 'timestamptz', (column) => column.notNull())
    .addColumn('request', 'jsonb', (column) => column.notNull())
    .addColumn('overlay', 'jsonb')
    .addColumn('decision', 'jsonb', (column) => column.notNull())
    .addColumn('outcome', 'text', (column) => column.notNull())
    .addColumn('policy', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    // The borrower id leads the key so that the table can be distributed by it.
    .addPrimaryKeyConstraint('contact_receipt_pk', ['borrower_id', 'id'])
    .addCheckConstraint('contact_receipt_outcome', sql`outcome in ('allow', 'deny')`)
    .execute();
  await db.schema.createIndex('contact_receipt_attempt_idx').on('contact_receipt').columns(['borrower_id', 'attempt_at']).execute();
  await db.schema.createIndex('contact_receipt_id_idx').on('contact_receipt').column('id').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_receipt').execute();
}
