import type { Kysely } from 'kysely';

// Collectors' notes on a case: what a later collector (or a supervisor handling a complaint) needs
// to know that no outcome code says. Kept per borrower like every other case row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_note')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('author_id', 'text', (column) => column.notNull())
    .addColumn('text', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('case_note_pk', ['borrower_id', 'id'])
    .execute();
  await db.schema.createIndex('case_note_by_case').on('case_note').columns(['case_id', 'created_at']).execute();
}
