import type { ColumnType } from 'kysely';

/** The hardship context's tables, gathered into `Database` by `src/db/schema.ts`. */
export interface HardshipTables {
  /** A borrower's request for a hardship plan, its proposal and the supervisor's decision. */
  hardship_request: {
    id: string;
    /** Distribution key: every row of a borrower lives on one shard. */
    borrower_id: string;
    loan_id: string;
    case_id: string | null;
    /** requested | approved | declined */
    status: string;
    reason: string;
    currency: string;
    /** Income and essential expenses per repayment period, as the borrower stated them. */
    income_minor: bigint;
    expenses_minor: bigint;
    /** The plan asked for: { kind: 'deferral' | 'extension' | 'reduced-payments', months }. */
    plan: ColumnType<unknown, string, string>;
    /** The calculator's proposal at request time: new installments and the affordability verdict. */
    proposal: ColumnType<unknown, string, string>;
    requested_by: string;
    requested_on: string;
    /** Whether the loan's ageing was paused while the request was under review. */
    ageing_paused: boolean;
    decided_by: string | null;
    decided_on: string | null;
    decision_reason: string | null;
    /** The loan transaction of the reschedule an approval made. */
    reschedule_id: string | null;
  };
}
