import type { ColumnType } from 'kysely';

export interface DelinquencyTables {
  /** A pause in delinquency ageing: from_date inclusive, until_date exclusive (null: until resumed). */
  loan_ageing_pause: {
    id: string;
    loan_id: string;
    borrower_id: string;
    from_date: string;
    until_date: string | null;
    reason: string;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
}
