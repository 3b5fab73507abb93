import type { ColumnType } from 'kysely';

export interface LedgerTables {
  journal_entry: {
    id: string;
    borrower_id: string | null;
    loan_id: string | null;
    currency: string;
    business_date: string;
    kind: string;
    description: string;
    transaction_id: string | null;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  journal_line: {
    entry_id: string;
    line_number: number;
    account: string;
    loan_id: string | null;
    borrower_id: string | null;
    currency: string;
    amount_minor: ColumnType<bigint, bigint, bigint>;
  };
}
