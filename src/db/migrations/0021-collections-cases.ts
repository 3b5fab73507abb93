import { type Kysely, sql } from 'kysely';

// Collections cases: one case per delinquent loan, the contact attempts made on it (each with its
// gate receipt), promises to pay, field visits, the borrower's contact flags the gate honours, the
// rungs a case's ladder has run, and the outbox cursor of each event consumer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('collection_case')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('loan_id', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('strategy_id', 'text', (column) => column.notNull())
    .addColumn('strategy_version', 'integer', (column) => column.notNull())
    .addColumn('arm', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('opened_on', 'text', (column) => column.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('promise_broken_on', 'text')
    .addColumn('last_right_party_contact_on', 'text')
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('collection_case_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('collection_case_id', ['id'])
    .addCheckConstraint(
      'collection_case_status',
      sql`status in ('open', 'promised', 'hardship-review', 'dispute-hold', 'legal-hold', 'closed-cured', 'closed-paid', 'closed-charged-off', 'closed-settled')`,
    )
    .execute();
  // One open case per loan: a loan that cures and goes late again gets a new case.
  await sql`create unique index collection_case_open_loan on collection_case (loan_id) where closed_on is null`.execute(db);
  await db.schema.createIndex('collection_case_agent_idx').on('collection_case').columns(['agent_id', 'status']).execute();

  await db.schema
    .createTable('collection_rung_run')
    .addColumn('case_id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('rung_id', 'text', (column) => column.notNull())
    .addColumn('run_on', 'text', (column) => column.notNull())
    .addColumn('outcome', 'text', (column) => column.notNull())
    .addColumn('receipt_id', 'text')
    .addPrimaryKeyConstraint('collection_rung_run_pk', ['case_id', 'rung_id', 'run_on'])
    .execute();

  await db.schema
    .createTable('contact_attempt')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('channel', 'text', (column) => column.notNull())
    .addColumn('at', 'timestamptz', (column) => column.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('receipt_id', 'text', (column) => column.notNull())
    .addColumn('outcome', 'text')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('contact_attempt_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('contact_attempt_id', ['id'])
    .execute();
  await db.schema.createIndex('contact_attempt_borrower_at_idx').on('contact_attempt').columns(['borrower_id', 'at']).execute();

  await db.schema
    .createTable('promise_to_pay')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('loan_id', 'text', (column) => column.notNull())
    .addColumn('instalments', 'jsonb', (column) => column.notNull())
    .addColumn('tolerance_minor', 'bigint', (column) => column.notNull())
    .addColumn('grace_days', 'integer', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('made_on', 'text', (column) => column.notNull())
    .addColumn('made_by', 'text')
    .addColumn('judged_on', 'text')
    .addPrimaryKeyConstraint('promise_to_pay_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('promise_to_pay_id', ['id'])
    .addCheckConstraint('promise_to_pay_status', sql`status in ('pending', 'kept', 'partly-kept', 'broken')`)
    .addCheckConstraint('promise_to_pay_tolerance', sql`tolerance_minor >= 0`)
    .execute();
  await db.schema.createIndex('promise_to_pay_status_idx').on('promise_to_pay').columns(['status', 'case_id']).execute();

  await db.schema
    .createTable('field_visit')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('requested_by', 'text', (column) => column.notNull())
    .addColumn('requested_on', 'text', (column) => column.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('collectors', 'jsonb', (column) => column.notNull())
    .addColumn('slot', 'timestamptz')
    .addColumn('check_in_location', 'text')
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('receipt_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('report', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('field_visit_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('field_visit_id', ['id'])
    .addCheckConstraint('field_visit_status', sql`status in ('requested', 'approved', 'scheduled', 'checked-in', 'completed', 'rejected')`)
    .execute();
  await db.schema.createIndex('field_visit_case_idx').on('field_visit').columns(['case_id', 'status']).execute();

  await db.schema
    .createTable('borrower_contact_flags')
    .addColumn('borrower_id', 'text', (column) => column.notNull().primaryKey())
    .addColumn('flags', 'jsonb', (column) => column.notNull())
    .addColumn('opt_outs', 'jsonb', (column) => column.notNull())
    .addColumn('inconvenient', 'jsonb', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('event_cursor')
    .addColumn('consumer', 'text', (column) => column.notNull().primaryKey())
    .addColumn('last_sequence', 'bigint', (column) => column.notNull())
    .execute();

  // A call task made by a case's ladder names its case, so the agent's queue can join it.
  await db.schema.alterTable('call_task').addColumn('case_id', 'text').execute();
  await db.schema.createIndex('call_task_case_idx').on('call_task').columns(['case_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('call_task').dropColumn('case_id').execute();
  for (const table of ['event_cursor', 'borrower_contact_flags', 'field_visit', 'promise_to_pay', 'contact_attempt', 'collection_rung_run', 'collection_case']) {
    await db.schema.dropTable(table).execute();
  }
}
