import { type Kysely, sql } from 'kysely';

// Writing a journal line cost more than anything else end of day writes. Two parts of that cost
// bought nothing the ledger needs:
// - The lines' own index on (loan, account) put every line a chunk wrote on an index page of its
//   own, scattered over an index as large as the journal. A loan's lines are found through its
//   entries just as well: `journal_entry_loan`, then the line key (entry, line number).
// - The foreign key from a line to its entry checked each line with a query and a row lock of its
//   own. The statement trigger that proves every entry balances now also proves, once per
//   statement and over the lines it wrote, that each line's entry exists; entries, like their
//   lines, can no longer be changed or deleted, so an entry never disappears from under its lines.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('journal_line_loan_account').ifExists().execute();
  await sql`ALTER TABLE journal_line DROP CONSTRAINT IF EXISTS journal_line_entry_id_fkey`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION journal_entries_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      offending record;
    BEGIN
      SELECT entry_id, sum(amount_minor) AS total INTO offending
        FROM written_lines GROUP BY entry_id HAVING sum(amount_minor) <> 0 LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance (off by %)', offending.entry_id, offending.total USING ERRCODE = '23514';
      END IF;
      SELECT written.entry_id, written.currency, entry.id IS NULL AS missing INTO offending
        FROM written_lines written LEFT JOIN journal_entry entry ON entry.id = written.entry_id
       WHERE entry.id IS NULL OR written.currency <> entry.currency LIMIT 1;
      IF FOUND AND offending.missing THEN
        RAISE EXCEPTION 'journal line refers to entry %, which does not exist', offending.entry_id USING ERRCODE = '23503';
      ELSIF FOUND THEN
        RAISE EXCEPTION 'journal entry % mixes currencies (%)', offending.entry_id, offending.currency USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE RULE journal_entry_no_update AS ON UPDATE TO journal_entry DO INSTEAD NOTHING`.execute(db);
  await sql`CREATE RULE journal_entry_no_delete AS ON DELETE TO journal_entry DO INSTEAD NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP RULE journal_entry_no_delete ON journal_entry`.execute(db);
  await sql`DROP RULE journal_entry_no_update ON journal_entry`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION journal_entries_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
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
  await sql`ALTER TABLE journal_line ADD CONSTRAINT journal_line_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES journal_entry (id)`.execute(db);
  await sql`CREATE INDEX journal_line_loan_account ON journal_line (loan_id, account)`.execute(db);
}
