import { type Kysely, sql } from 'kysely';

// Collections: outbound messages and their dispatch state, SMPP segment acknowledgements, the demo
// outbox, agent call tasks and collector training records.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbound_message')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('channel', 'text', (column) => column.notNull())
    .addColumn('recipient', 'text', (column) => column.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('language', 'text', (column) => column.notNull())
    .addColumn('idempotency_key', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('maximum_attempts', 'integer', (column) => column.notNull())
    .addColumn('next_attempt_at', 'timestamptz', (column) => column.notNull())
    .addColumn('lease_until', 'timestamptz')
    .addColumn('provider', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('delivery_state', 'text')
    .addColumn('last_error', 'text')
    .addColumn('receipt_id', 'text')
    .addColumn('contact_request', 'jsonb', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('outbound_message_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('outbound_message_idempotency_key', ['idempotency_key'])
    .addCheckConstraint('outbound_message_status', sql`status in ('queued', 'sending', 'sent', 'failed', 'dead', 'denied')`)
    .addCheckConstraint('outbound_message_channel', sql`channel in ('sms', 'email', 'letter', 'call')`)
    .addCheckConstraint('outbound_message_attempts', sql`attempts >= 0 and attempts <= maximum_attempts and maximum_attempts between 1 and 20`)
    .execute();
  // The dispatcher's claim: due rows by time, among the statuses it may send.
  await db.schema.createIndex('outbound_message_due_idx').on('outbound_message').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbound_message_provider_idx').on('outbound_message').column('provider_message_id').execute();

  await db.schema
    .createTable('message_segment_acknowledgement')
    .addColumn('idempotency_key', 'text', (column) => column.notNull())
    .addColumn('segment_index', 'integer', (column) => column.notNull())
    .addColumn('segment_count', 'integer', (column) => column.notNull())
    .addColumn('provider_message_id', 'text', (column) => column.notNull())
    .addColumn('delivery_state', 'text')
    .addColumn('acknowledged_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('message_segment_acknowledgement_pk', ['idempotency_key', 'segment_index'])
    .execute();
  await db.schema.createIndex('message_segment_provider_idx').on('message_segment_acknowledgement').column('provider_message_id').execute();

  await db.schema
    .createTable('outbox_message')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('idempotency_key', 'text', (column) => column.notNull())
    .addColumn('channel', 'text', (column) => column.notNull())
    .addColumn('recipient', 'text', (column) => column.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('recorded_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('outbox_message_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('outbox_message_idempotency_key', ['idempotency_key'])
    .execute();

  await db.schema
    .createTable('call_task')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('idempotency_key', 'text', (column) => column.notNull())
    .addColumn('phone', 'text', (column) => column.notNull())
    .addColumn('script', 'text', (column) => column.notNull())
    .addColumn('language', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_note', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addPrimaryKeyConstraint('call_task_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('call_task_idempotency_key', ['idempotency_key'])
    .addCheckConstraint('call_task_status', sql`status in ('open', 'done')`)
    .execute();

  await db.schema
    .createTable('collector_training')
    .addColumn('id', 'text', (column) => column.notNull().primaryKey())
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('module', 'text', (column) => column.notNull())
    .addColumn('jurisdiction', 'text', (column) => column.notNull())
    .addColumn('channels', 'jsonb', (column) => column.notNull())
    .addColumn('passed_on', 'date', (column) => column.notNull())
    .addColumn('expires_on', 'date')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('collector_training_dates', sql`expires_on is null or expires_on > passed_on`)
    .execute();
  await db.schema.createIndex('collector_training_agent_idx').on('collector_training').columns(['agent_id', 'jurisdiction']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['collector_training', 'call_task', 'outbox_message', 'message_segment_acknowledgement', 'outbound_message']) {
    await db.schema.dropTable(table).execute();
  }
}
