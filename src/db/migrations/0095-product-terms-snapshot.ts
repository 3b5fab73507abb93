import { type Kysely, sql } from 'kysely';

// A loan keeps the product terms it was sold under inside its `terms`. End of day needs them for
// every loan it looks at (grace, fees, penalty rate, buckets), and taking them out of `terms`
// (decompressing the value, finding the key, writing the product back out as text) cost more than
// reading the rest of the loan row. Loans sold under the same terms share one stored snapshot,
// named by the digest of its content: the loan carries the name, and the run reads each snapshot
// once. A trigger names and stores the snapshot whenever a loan's terms are written, however the
// loan is written (a single loan, a bulk load, a migration).
const SNAPSHOT_KEY = sql.raw(`encode(sha256(convert_to((terms->'product')::text, 'UTF8')), 'hex')`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_terms_snapshot')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('product', 'jsonb', (column) => column.notNull())
    .execute();
  // A snapshot is named by its content: changing it would leave the name lying.
  await sql`
    CREATE FUNCTION product_terms_snapshot_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'product terms snapshot % cannot be changed or deleted', OLD.key USING ERRCODE = '55000';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER product_terms_snapshot_kept BEFORE UPDATE OR DELETE ON product_terms_snapshot
    FOR EACH ROW EXECUTE FUNCTION product_terms_snapshot_is_kept()`.execute(db);
  await sql`ALTER TABLE loan ADD COLUMN product_terms_key text`.execute(db);
  // The snapshot's name for a loan's terms, storing the snapshot the first time it is seen.
  await sql`
    CREATE FUNCTION product_terms_snapshot_for(terms jsonb) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE
      snapshot_key text;
    BEGIN
      IF terms->'product' IS NULL THEN
        RETURN NULL;
      END IF;
      snapshot_key := encode(sha256(convert_to((terms->'product')::text, 'UTF8')), 'hex');
      IF NOT EXISTS (SELECT 1 FROM product_terms_snapshot WHERE key = snapshot_key) THEN
        INSERT INTO product_terms_snapshot (key, product) VALUES (snapshot_key, terms->'product') ON CONFLICT (key) DO NOTHING;
      END IF;
      RETURN snapshot_key;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION loan_product_terms_key_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.product_terms_key := product_terms_snapshot_for(NEW.terms);
      RETURN NEW;
    END $$`.execute(db);
  // After an update rather than before it: a BEFORE UPDATE row trigger, whatever its columns, makes
  // PostgreSQL lock every row an UPDATE of the table touches before changing it, and the loan table
  // is updated by every payment and every end of day. The correcting update fires this trigger once
  // more, and finds the name right.
  await sql`
    CREATE FUNCTION loan_product_terms_key_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      snapshot_key text;
    BEGIN
      snapshot_key := product_terms_snapshot_for(NEW.terms);
      IF NEW.product_terms_key IS DISTINCT FROM snapshot_key THEN
        UPDATE loan SET product_terms_key = snapshot_key WHERE id = NEW.id;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    INSERT INTO product_terms_snapshot (key, product)
    SELECT DISTINCT ON (key) key, product FROM (SELECT ${SNAPSHOT_KEY} AS key, terms->'product' AS product FROM loan WHERE terms->'product' IS NOT NULL) AS existing
    ON CONFLICT (key) DO NOTHING`.execute(db);
  await sql`UPDATE loan SET product_terms_key = ${SNAPSHOT_KEY} WHERE terms->'product' IS NOT NULL`.execute(db);
  await sql`
    CREATE TRIGGER loan_product_terms_key_inserted BEFORE INSERT ON loan
    FOR EACH ROW EXECUTE FUNCTION loan_product_terms_key_on_insert()`.execute(db);
  await sql`
    CREATE TRIGGER loan_product_terms_key_updated AFTER UPDATE OF terms, product_terms_key ON loan
    FOR EACH ROW EXECUTE FUNCTION loan_product_terms_key_on_update()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER loan_product_terms_key_updated ON loan`.execute(db);
  await sql`DROP TRIGGER loan_product_terms_key_inserted ON loan`.execute(db);
  await sql`DROP FUNCTION loan_product_terms_key_on_update()`.execute(db);
  await sql`DROP FUNCTION loan_product_terms_key_on_insert()`.execute(db);
  await sql`DROP FUNCTION product_terms_snapshot_for(jsonb)`.execute(db);
  await sql`ALTER TABLE loan DROP COLUMN product_terms_key`.execute(db);
  await db.schema.dropTable('product_terms_snapshot').execute();
  await sql`DROP FUNCTION product_terms_snapshot_is_kept()`.execute(db);
}
