import { type Kysely, sql } from 'kysely';

// The law a loan was made under: the borrower's jurisdiction when the loan was opened, kept on the
// loan. The daily portfolio snapshot counts loans per jurisdiction from the loan table alone,
// without joining every borrower of the book.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('loan').addColumn('jurisdiction', 'text').execute();
  await sql`update loan set jurisdiction = borrower.jurisdiction from borrower where borrower.id = loan.borrower_id`.execute(db);
  await sql`alter table loan alter column jurisdiction set not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('loan').dropColumn('jurisdiction').execute();
}
