import { type Kysely, sql } from 'kysely';

// What a borrower can ask for themself: contact preferences (kept in borrower_contact_flags, which
// the gate reads, with an audit row per change), disputes, hardship plans and complaints; and the
// loan reschedules an approved plan makes (replayed like payments, so a back-dated payment keeps them).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('borrower_contact_flags').addColumn('preferred_language', 'text').execute();

  await db.schema
    .createTable('contact_preference_change')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('changed_by', 'text', (column) => column.notNull())
    .addColumn('changed_by_role', 'text', (column) => column.notNull())
    .addColumn('changed_at', 'timestamptz', (column) => column.notNull())
    .addColumn('before', 'jsonb', (column) => column.notNull())
    .addColumn('after', 'jsonb', (column) => column.notNull())
    .addPrimaryKeyConstraint('contact_preference_change_pk', ['borrower_id', 'id'])
    .execute();

  // What holds a loan's case while a borrower's request is looked at: the case shows the strongest
  // active hold; the first hold keeps the status to return to and the ageing pause, and hands both
  // to the next hold still active when it ends.
  await db.schema
    .createTable('case_hold')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('loan_id', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text')
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('active', 'boolean', (column) => column.notNull())
    .addColumn('previous_case_status', 'text')
    .addColumn('owns_pause', 'boolean', (column) => column.notNull())
    .addColumn('held_on', 'text', (column) => column.notNull())
    .addColumn('released_on', 'text')
    .addPrimaryKeyConstraint('case_hold_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('case_hold_id', ['id'])
    .addCheckConstraint('case_hold_kind', sql`kind in ('dispute-hold', 'hardship-review')`)
    .execute();
  await sql`create index case_hold_active_loan on case_hold (loan_id) where active`.execute(db);

  await db.schema
    .createTable('loan_dispute')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('loan_id', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text')
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('text', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('raised_by', 'text', (column) => column.notNull())
    .addColumn('raised_on', 'text', (column) => column.notNull())
    .addColumn('ageing_paused', 'boolean', (column) => column.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_on', 'text')
    .addColumn('resolution', 'text')
    .addColumn('waived_charge_ids', 'jsonb', (column) => column.notNull())
    .addPrimaryKeyConstraint('loan_dispute_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('loan_dispute_id', ['id'])
    .addCheckConstraint('loan_dispute_status', sql`status in ('open', 'upheld', 'rejected')`)
    .execute();
  // One open dispute per loan: a second one adds nothing the first does not already hold.
  await sql`create unique index loan_dispute_open_loan on loan_dispute (loan_id) where status = 'open'`.execute(db);

  await db.schema
    .createTable('hardship_request')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('loan_id', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text')
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('income_minor', 'bigint', (column) => column.notNull())
    .addColumn('expenses_minor', 'bigint', (column) => column.notNull())
    .addColumn('plan', 'jsonb', (column) => column.notNull())
    .addColumn('proposal', 'jsonb', (column) => column.notNull())
    .addColumn('requested_by', 'text', (column) => column.notNull())
    .addColumn('requested_on', 'text', (column) => column.notNull())
    .addColumn('ageing_paused', 'boolean', (column) => column.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_on', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('reschedule_id', 'text')
    .addPrimaryKeyConstraint('hardship_request_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('hardship_request_id', ['id'])
    .addCheckConstraint('hardship_request_status', sql`status in ('requested', 'approved', 'declined')`)
    .addCheckConstraint('hardship_request_money', sql`income_minor >= 0 and expenses_minor >= 0`)
    .execute();
  await sql`create unique index hardship_request_open_loan on hardship_request (loan_id) where status = 'requested'`.execute(db);

  await db.schema
    .createTable('loan_reschedule')
    .addColumn('transaction_id', 'text', (column) => column.notNull().primaryKey())
    .addColumn('loan_id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('installments', 'jsonb', (column) => column.notNull())
    .addColumn('source', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('loan_reschedule_loan_idx').on('loan_reschedule').column('loan_id').execute();

  await db.schema
    .createTable('complaint')
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('category', 'text', (column) => column.notNull())
    .addColumn('text', 'text', (column) => column.notNull())
    .addColumn('case_id', 'text')
    .addColumn('attempt_id', 'text')
    .addColumn('jurisdiction', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('filed_by', 'text', (column) => column.notNull())
    .addColumn('filed_on', 'text', (column) => column.notNull())
    .addColumn('due_on', 'text', (column) => column.notNull())
    .addColumn('assigned_to', 'text')
    .addColumn('resolution', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_on', 'text')
    .addPrimaryKeyConstraint('complaint_pk', ['borrower_id', 'id'])
    .addUniqueConstraint('complaint_id', ['id'])
    .addCheckConstraint('complaint_status', sql`status in ('open', 'assigned', 'closed')`)
    .addCheckConstraint('complaint_category', sql`category in ('harassment', 'wrong-amount', 'privacy', 'other')`)
    .execute();
  await db.schema.createIndex('complaint_status_due_idx').on('complaint').columns(['status', 'due_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['complaint', 'loan_reschedule', 'hardship_request', 'loan_dispute', 'case_hold', 'contact_preference_change']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('borrower_contact_flags').dropColumn('preferred_language').execute();
}
