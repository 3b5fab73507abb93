/** What the supervisors' reports keep, gathered into `Database` by `src/db/schema.ts`. */
export interface CollectionReportTables {
  /** Loans and outstanding per jurisdiction, currency and bucket as each business date closed ('current' when not delinquent). */
  portfolio_snapshot: {
    business_date: string;
    jurisdiction: string;
    currency: string;
    bucket: string;
    loans: number;
    outstanding_minor: bigint;
  };
  /** Active loans and what they owe per jurisdiction, currency and bucket, as of the last fold of `portfolio_change`. */
  portfolio_position: {
    jurisdiction: string;
    currency: string;
    bucket: string;
    loans: bigint;
    outstanding_minor: bigint;
  };
  /** Signed changes to the position not yet folded into it, appended by the loan table's triggers. */
  portfolio_change: {
    jurisdiction: string;
    currency: string;
    bucket: string;
    loans: bigint;
    outstanding_minor: bigint;
  };
}
