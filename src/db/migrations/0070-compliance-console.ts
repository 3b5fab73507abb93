import { type Kysely, sql } from 'kysely';

// What the compliance and admin consoles read and write: a receipt's channel and agent as columns
// (so receipts are searched without parsing JSON), the lender's stored policy overlays, and an audit
// row for every evidence pack exported for a regulator.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact_receipt').addColumn('channel', 'text').addColumn('agent_id', 'text').execute();
  await sql`update contact_receipt set channel = request->'attempt'->>'channel'`.execute(db);
  await db.schema.createIndex('contact_receipt_attempt_at_idx').on('contact_receipt').columns(['attempt_at', 'id']).execute();

  await db.schema
    .createTable('policy_overlay')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('pack', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('version', 'text', (column) => column.notNull())
    .addColumn('overlay', 'jsonb', (column) => column.notNull())
    .addColumn('created_by', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addUniqueConstraint('policy_overlay_version', ['pack', 'name', 'version'])
    .execute();

  await db.schema
    .createTable('evidence_export')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('borrower_id', 'text')
    .addColumn('from_date', 'text')
    .addColumn('to_date', 'text')
    .addColumn('format', 'text', (column) => column.notNull())
    .addColumn('exported_by', 'text', (column) => column.notNull())
    .addColumn('exported_role', 'text', (column) => column.notNull())
    .addColumn('exported_at', 'timestamptz', (column) => column.notNull())
    .addColumn('record_counts', 'jsonb', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_export').execute();
  await db.schema.dropTable('policy_overlay').execute();
  await db.schema.dropIndex('contact_receipt_attempt_at_idx').execute();
  await db.schema.alterTable('contact_receipt').dropColumn('agent_id').dropColumn('channel').execute();
}
