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
}
