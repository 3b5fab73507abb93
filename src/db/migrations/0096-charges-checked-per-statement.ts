import { type Kysely, sql } from 'kysely';

// End of day books a late fee or penalty charge for most loans it looks at. The foreign key from a
// charge to its loan checked each charge with a query and a row lock of its own, the largest part of
// writing a charge. The same guarantee now holds per statement: a statement that writes charges is
// refused when one of them names a loan that does not exist, and a loan that carries charges cannot
// be deleted.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION loan_charges_must_have_loan() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      offending record;
    BEGIN
      SELECT written.loan_id INTO offending
        FROM written_charges written LEFT JOIN loan ON loan.id = written.loan_id
       WHERE loan.id IS NULL LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'loan charge refers to loan %, which does not exist', offending.loan_id USING ERRCODE = '23503';
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER loan_charges_inserted_have_loan AFTER INSERT ON loan_charge
    REFERENCING NEW TABLE AS written_charges FOR EACH STATEMENT EXECUTE FUNCTION loan_charges_must_have_loan()`.execute(db);
  await sql`
    CREATE TRIGGER loan_charges_updated_have_loan AFTER UPDATE ON loan_charge
    REFERENCING NEW TABLE AS written_charges FOR EACH STATEMENT EXECUTE FUNCTION loan_charges_must_have_loan()`.execute(db);
  await sql`
    CREATE FUNCTION loan_with_charges_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM loan_charge WHERE loan_id = OLD.id) THEN
        RAISE EXCEPTION 'loan % carries charges and cannot be deleted or renamed', OLD.id USING ERRCODE = '23503';
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  // After the change, which the exception undoes: a BEFORE row trigger for updates would make
  // PostgreSQL lock every loan row any UPDATE touches.
  await sql`
    CREATE TRIGGER loan_with_charges_kept AFTER DELETE OR UPDATE OF id ON loan
    FOR EACH ROW EXECUTE FUNCTION loan_with_charges_is_kept()`.execute(db);
  await sql`ALTER TABLE loan_charge DROP CONSTRAINT IF EXISTS loan_charge_loan_id_fkey`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE loan_charge ADD CONSTRAINT loan_charge_loan_id_fkey FOREIGN KEY (loan_id) REFERENCES loan (id)`.execute(db);
  await sql`DROP TRIGGER loan_with_charges_kept ON loan`.execute(db);
  await sql`DROP FUNCTION loan_with_charges_is_kept()`.execute(db);
  await sql`DROP TRIGGER loan_charges_updated_have_loan ON loan_charge`.execute(db);
  await sql`DROP TRIGGER loan_charges_inserted_have_loan ON loan_charge`.execute(db);
  await sql`DROP FUNCTION loan_charges_must_have_loan()`.execute(db);
}
