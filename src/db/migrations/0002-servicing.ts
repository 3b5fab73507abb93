import { type Kysely, sql } from 'kysely';

// Ledger, products, borrowers, loans, installments, charges and loan transactions. Every table that
// belongs to a borrower carries borrower_id, the distribution key for a sharded PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('journal_entry')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('borrower_id', 'text')
    .addColumn('loan_id', 'text')
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('business_date', 'date', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('description', 'text', (column) => column.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('journal_entry_loan').on('journal_entry').column('loan_id').execute();

  await db.schema
    .createTable('journal_line')
    .addColumn('entry_id', 'text', (column) => column.notNull().references('journal_entry.id'))
    .addColumn('line_number', 'integer', (column) => column.notNull())
    .addColumn('account', 'text', (column) => column.notNull())
    .addColumn('loan_id', 'text')
    .addColumn('borrower_id', 'text')
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('amount_minor', 'bigint', (column) => column.notNull().check(sql`amount_minor <> 0`))
    .addPrimaryKeyConstraint('journal_line_pk', ['entry_id', 'line_number'])
    .execute();
  await db.schema.createIndex('journal_line_loan_account').on('journal_line').columns(['loan_id', 'account']).execute();

  // The database itself refuses an unbalanced entry. Every statement that writes journal lines is
  // checked once, over the lines it wrote: when each statement's lines balance per entry, every
  // entry balances (by induction), without reading the ever-growing journal.
  await sql`
    CREATE FUNCTION journal_entries_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      offending record;
    BEGIN
      SELECT entry_id, sum(amount_minor) AS total INTO offending
        FROM written_lines GROUP BY entry_id HAVING sum(amount_minor) <> 0 LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance (off by %)', offending.entry_id, offending.total USING ERRCODE = '23514';
      END IF;
      SELECT written.entry_id, written.currency INTO offending
        FROM written_lines written JOIN journal_entry entry ON entry.id = written.entry_id
       WHERE written.currency <> entry.currency LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'journal entry % mixes currencies (%)', offending.entry_id, offending.currency USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER journal_lines_balanced AFTER INSERT ON journal_line
    REFERENCING NEW TABLE AS written_lines FOR EACH STATEMENT EXECUTE FUNCTION journal_entries_must_balance()`.execute(db);
  await sql`CREATE RULE journal_line_no_update AS ON UPDATE TO journal_line DO INSTEAD NOTHING`.execute(db);
  await sql`CREATE RULE journal_line_no_delete AS ON DELETE TO journal_line DO INSTEAD NOTHING`.execute(db);

  await db.schema
    .createTable('product')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('config', 'jsonb', (column) => column.notNull())
    .addColumn('active', 'boolean', (column) => column.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('borrower')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('full_name', 'text', (column) => column.notNull())
    .addColumn('national_id', 'text')
    .addColumn('date_of_birth', 'date')
    .addColumn('phones', 'jsonb', (column) => column.notNull())
    .addColumn('emails', 'jsonb', (column) => column.notNull())
    .addColumn('addresses', 'jsonb', (column) => column.notNull())
    .addColumn('time_zone', 'text')
    .addColumn('language', 'text', (column) => column.notNull())
    .addColumn('jurisdiction', 'text', (column) => column.notNull())
    .addColumn('preferred_channels', 'jsonb', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('loan')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('borrower_id', 'text', (column) => column.notNull().references('borrower.id'))
    .addColumn('product_id', 'text', (column) => column.notNull().references('product.id'))
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('principal_minor', 'bigint', (column) => column.notNull().check(sql`principal_minor > 0`))
    .addColumn('terms', 'jsonb', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('apr', 'numeric', (column) => column.notNull())
    .addColumn('submitted_on', 'date', (column) => column.notNull())
    .addColumn('approved_on', 'date')
    .addColumn('disbursed_on', 'date')
    .addColumn('closed_on', 'date')
    .addColumn('principal_outstanding_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('interest_outstanding_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('fee_outstanding_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('penalty_outstanding_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('overpayment_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('disbursed_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('received_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('written_off_principal_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('written_off_interest_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('written_off_fee_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('written_off_penalty_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('written_off_on', 'date')
    .addColumn('oldest_unpaid_due_date', 'date')
    .addColumn('last_transaction_date', 'date')
    .addColumn('next_event_date', 'date')
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('loan_borrower').on('loan').column('borrower_id').execute();
  await db.schema.createIndex('loan_next_event').on('loan').column('next_event_date').execute();

  await db.schema
    .createTable('installment')
    .addColumn('loan_id', 'text', (column) => column.notNull().references('loan.id'))
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('number', 'integer', (column) => column.notNull())
    .addColumn('from_date', 'date', (column) => column.notNull())
    .addColumn('due_date', 'date', (column) => column.notNull())
    .addColumn('principal_minor', 'bigint', (column) => column.notNull())
    .addColumn('interest_minor', 'bigint', (column) => column.notNull())
    .addColumn('fee_minor', 'bigint', (column) => column.notNull())
    .addColumn('penalty_minor', 'bigint', (column) => column.notNull())
    .addColumn('principal_paid_minor', 'bigint', (column) => column.notNull())
    .addColumn('interest_paid_minor', 'bigint', (column) => column.notNull())
    .addColumn('fee_paid_minor', 'bigint', (column) => column.notNull())
    .addColumn('penalty_paid_minor', 'bigint', (column) => column.notNull())
    .addColumn('fee_waived_minor', 'bigint', (column) => column.notNull())
    .addColumn('penalty_waived_minor', 'bigint', (column) => column.notNull())
    .addColumn('completed_on', 'date')
    .addPrimaryKeyConstraint('installment_pk', ['loan_id', 'number'])
    .addCheckConstraint(
      'installment_paid_within_due',
      sql`principal_paid_minor BETWEEN 0 AND principal_minor AND interest_paid_minor BETWEEN 0 AND interest_minor
          AND fee_paid_minor + fee_waived_minor BETWEEN 0 AND fee_minor AND penalty_paid_minor + penalty_waived_minor BETWEEN 0 AND penalty_minor`,
    )
    .execute();

  await db.schema
    .createTable('loan_charge')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('loan_id', 'text', (column) => column.notNull().references('loan.id'))
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('amount_minor', 'bigint', (column) => column.notNull().check(sql`amount_minor > 0`))
    .addColumn('due_date', 'date', (column) => column.notNull())
    .addColumn('installment_number', 'integer', (column) => column.notNull())
    .addColumn('waived_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('charged_on', 'date', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('loan_charge_loan').on('loan_charge').column('loan_id').execute();

  await db.schema
    .createTable('loan_transaction')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('loan_id', 'text', (column) => column.notNull().references('loan.id'))
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('sequence', 'bigserial', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('value_date', 'date', (column) => column.notNull())
    .addColumn('booked_on', 'date', (column) => column.notNull())
    .addColumn('amount_minor', 'bigint', (column) => column.notNull())
    .addColumn('principal_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('interest_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('fee_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('penalty_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('overpayment_minor', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('reversed_on', 'date')
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('personal_data_access')
    .addColumn('id', 'bigserial', (column) => column.primaryKey())
    .addColumn('borrower_id', 'text', (column) => column.notNull())
    .addColumn('key_id', 'text', (column) => column.notNull())
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('fields', 'jsonb', (column) => column.notNull())
    .addColumn('at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('personal_data_access_borrower').on('personal_data_access').column('borrower_id').execute();

  await db.schema.createIndex('loan_transaction_loan').on('loan_transaction').columns(['loan_id', 'value_date']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['personal_data_access', 'loan_transaction', 'loan_charge', 'installment', 'loan', 'borrower', 'product', 'journal_line', 'journal_entry']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP FUNCTION IF EXISTS journal_entries_must_balance()`.execute(db);
}
