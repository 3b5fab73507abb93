import { type Kysely, sql } from 'kysely';

// The collector roster (who may receive cases) and message templates stored as versions that must
// be approved (the gate's template check passed) before a message may use them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('collector_profile')
    .addColumn('agent_id', 'text', (column) => column.primaryKey())
    .addColumn('display_name', 'text', (column) => column.notNull())
    .addColumn('languages', 'jsonb', (column) => column.notNull())
    .addColumn('jurisdictions', 'jsonb', (column) => column.notNull())
    .addColumn('region', 'text')
    .addColumn('capacity', 'integer', (column) => column.notNull())
    .addColumn('active', 'boolean', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .addCheckConstraint('collector_profile_capacity', sql`capacity >= 0`)
    .execute();

  await db.schema
    .createTable('collection_template')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('purpose', 'text', (column) => column.notNull())
    .addColumn('language', 'text', (column) => column.notNull())
    .addColumn('channel', 'text', (column) => column.notNull())
    .addColumn('recipient', 'text', (column) => column.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('checked_at', 'timestamptz')
    .addColumn('check_result', 'jsonb')
    .addColumn('created_by', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('collection_template_pk', ['id', 'version'])
    .addCheckConstraint('collection_template_status', sql`status in ('draft', 'approved')`)
    .execute();
  await db.schema.createIndex('collection_template_purpose_idx').on('collection_template').columns(['purpose', 'language', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('collection_template').execute();
  await db.schema.dropTable('collector_profile').execute();
}
