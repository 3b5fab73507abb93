import { type Kysely, sql } from 'kysely';

// Collection strategies stored as immutable versions: editing a strategy adds a version, activation
// retires the jurisdiction's previous active version, so at most one is active per jurisdiction.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('collection_strategy')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('jurisdiction', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('definition', 'jsonb', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('created_by', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('collection_strategy_pk', ['id', 'version'])
    .addCheckConstraint('collection_strategy_status', sql`status in ('draft', 'active', 'retired')`)
    .execute();
  await sql`create unique index collection_strategy_one_active on collection_strategy (jurisdiction) where status = 'active'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('collection_strategy').execute();
}
