import { type Kysely, sql } from 'kysely';

// End of day reads the late fees a loan already carries (one per installment, and the caps) for
// every loan it looks at. Through the index of all its charges, that read fetched every charge of
// the loan, penalty bookings included (one per run in which an overdue loan has an event), to keep
// the few late fees: a loan long overdue cost a dozen table pages. This index holds the late fees
// alone, with the two figures the run needs.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX loan_charge_late_fee ON loan_charge (loan_id) INCLUDE (installment_number, amount_minor)
    WHERE name = 'Late fee'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('loan_charge_late_fee').execute();
}
