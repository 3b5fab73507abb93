import { type Kysely, sql } from 'kysely';

// The portfolio kept up to date as loans change, so that closing a business date costs what
// changed that day instead of a read of the whole book. Every change to an active loan's group
// (jurisdiction, currency, bucket) or what it owes appends a signed change row, written by the
// database itself so that no code path can forget it; closing a date folds the changes into the
// running position and copies the position into that date's snapshot.
//
// Changes are only ever appended, so concurrent payments and end-of-day chunks never wait for one
// another on a shared total; the fold deletes exactly the change rows it adds (rows of transactions
// not yet committed stay for the next fold). Bulk inserts are counted once per statement; updates
// row by row, and only when a counted figure moved (an update that leaves them alone costs a test).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portfolio_position')
    .addColumn('jurisdiction', 'text', (column) => column.notNull())
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('bucket', 'text', (column) => column.notNull())
    .addColumn('loans', 'bigint', (column) => column.notNull())
    .addColumn('outstanding_minor', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('portfolio_position_pk', ['jurisdiction', 'currency', 'bucket'])
    .execute();
  await db.schema
    .createTable('portfolio_change')
    .addColumn('jurisdiction', 'text', (column) => column.notNull())
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('bucket', 'text', (column) => column.notNull())
    .addColumn('loans', 'bigint', (column) => column.notNull())
    .addColumn('outstanding_minor', 'bigint', (column) => column.notNull())
    .execute();

  await sql`
    CREATE FUNCTION loan_outstanding_minor(loan) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
      SELECT ($1).principal_outstanding_minor + ($1).interest_outstanding_minor + ($1).fee_outstanding_minor + ($1).penalty_outstanding_minor
    $$`.execute(db);
  await sql`
    CREATE FUNCTION portfolio_change_of_loan() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.status = 'active' THEN
        INSERT INTO portfolio_change (jurisdiction, currency, bucket, loans, outstanding_minor)
        VALUES (OLD.jurisdiction, OLD.currency, coalesce(OLD.bucket, 'current'), -1, -loan_outstanding_minor(OLD));
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.status = 'active' THEN
        INSERT INTO portfolio_change (jurisdiction, currency, bucket, loans, outstanding_minor)
        VALUES (NEW.jurisdiction, NEW.currency, coalesce(NEW.bucket, 'current'), 1, loan_outstanding_minor(NEW));
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION portfolio_change_of_inserted_loans() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO portfolio_change (jurisdiction, currency, bucket, loans, outstanding_minor)
      SELECT jurisdiction, currency, coalesce(bucket, 'current'), count(*), sum(loan_outstanding_minor(inserted))
        FROM inserted_loans inserted WHERE status = 'active' GROUP BY 1, 2, 3;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER loan_portfolio_inserted AFTER INSERT ON loan
    REFERENCING NEW TABLE AS inserted_loans FOR EACH STATEMENT EXECUTE FUNCTION portfolio_change_of_inserted_loans()`.execute(db);
  await sql`
    CREATE TRIGGER loan_portfolio_updated AFTER UPDATE ON loan FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.bucket IS DISTINCT FROM NEW.bucket
          OR OLD.jurisdiction IS DISTINCT FROM NEW.jurisdiction OR OLD.currency IS DISTINCT FROM NEW.currency
          OR OLD.principal_outstanding_minor IS DISTINCT FROM NEW.principal_outstanding_minor
          OR OLD.interest_outstanding_minor IS DISTINCT FROM NEW.interest_outstanding_minor
          OR OLD.fee_outstanding_minor IS DISTINCT FROM NEW.fee_outstanding_minor
          OR OLD.penalty_outstanding_minor IS DISTINCT FROM NEW.penalty_outstanding_minor)
    EXECUTE FUNCTION portfolio_change_of_loan()`.execute(db);
  await sql`CREATE TRIGGER loan_portfolio_deleted AFTER DELETE ON loan FOR EACH ROW EXECUTE FUNCTION portfolio_change_of_loan()`.execute(db);

  await sql`
    INSERT INTO portfolio_position (jurisdiction, currency, bucket, loans, outstanding_minor)
    SELECT jurisdiction, currency, coalesce(bucket, 'current'), count(*), sum(loan_outstanding_minor(loan))
      FROM loan WHERE status = 'active' GROUP BY 1, 2, 3`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER loan_portfolio_deleted ON loan`.execute(db);
  await sql`DROP TRIGGER loan_portfolio_updated ON loan`.execute(db);
  await sql`DROP TRIGGER loan_portfolio_inserted ON loan`.execute(db);
  await sql`DROP FUNCTION portfolio_change_of_inserted_loans()`.execute(db);
  await sql`DROP FUNCTION portfolio_change_of_loan()`.execute(db);
  await sql`DROP FUNCTION loan_outstanding_minor(loan)`.execute(db);
  await db.schema.dropTable('portfolio_change').execute();
  await db.schema.dropTable('portfolio_position').execute();
}
