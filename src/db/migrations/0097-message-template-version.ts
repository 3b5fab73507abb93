import { type Kysely, sql } from 'kysely';

// A message rendered from a template records which approved version it came from, so the evidence
// pack can show a regulator the wording the lender approved beside the text that went out. Both
// columns are set or neither is: a message queued without a template (an integration's own text)
// names none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbound_message')
    .addColumn('template_id', 'text')
    .addColumn('template_version', 'integer')
    .execute();
  await sql`ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_template
    CHECK ((template_id IS NULL) = (template_version IS NULL))`.execute(db);
  await sql`ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_template_version
    FOREIGN KEY (template_id, template_version) REFERENCES collection_template (id, version)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbound_message').dropConstraint('outbound_message_template_version').execute();
  await db.schema.alterTable('outbound_message').dropConstraint('outbound_message_template').execute();
  await db.schema.alterTable('outbound_message').dropColumn('template_version').dropColumn('template_id').execute();
}
