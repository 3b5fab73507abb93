import { type Kysely, sql } from 'kysely';

// A payment or an end-of-day charge rewrites one or two installment rows of a loan. With every page
// full, each new row version lands on another page with a new index entry, and a loan's schedule
// scatters over the table: the daily run then reads more pages for every loan it looks at. Leaving a
// fifth of each page free keeps a new version beside the old one (a heap-only update, no index
// entry), so a loan's installments stay together. Applies to pages written from now on.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE installment SET (fillfactor = 80)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE installment RESET (fillfactor)`.execute(db);
}
