import type { ColumnType } from 'kysely';

/** The compliance context's tables, gathered into `Database` by `src/db/schema.ts`. */
export interface ComplianceTables {
  /** One row per contact attempt: the gate's inputs and its decision, re-derived by `lenity verify`. */
  contact_receipt: {
    id: string;
    /** Distribution key: every row of a borrower lives on one shard. */
    borrower_id: string;
    debt_id: string;
    attempt_at: Date;
    /** The contract request exactly as evaluated. */
    request: ColumnType<unknown, string, never>;
    /** The lender overlay applied, if any. */
    overlay: ColumnType<unknown | null, string | null, never>;
    decision: ColumnType<unknown, string, never>;
    /** "allow" or "deny", for queries without parsing the decision. */
    outcome: string;
    /** The pack and version that decided, e.g. "US@2026.11". */
    policy: string;
    created_at: ColumnType<Date, Date | undefined, never>;
    /** The attempt's channel (call, sms…), copied from the request for searching (migration 0070). */
    channel: ColumnType<string | null, string | null | undefined, never>;
    /** The agent who asked for the attempt; null for automated steps (migration 0070). */
    agent_id: ColumnType<string | null, string | null | undefined, never>;
  };
  /** A lender overlay stored per pack (jurisdiction): accepted only when it tightens the pack. */
  policy_overlay: {
    id: string;
    pack: string;
    name: string;
    version: string;
    overlay: ColumnType<unknown, string, never>;
    created_by: string;
    created_at: Date;
  };
  /** One row per evidence pack exported for a regulator: who, what, when and how many records. */
  evidence_export: {
    id: string;
    borrower_id: string | null;
    from_date: string | null;
    to_date: string | null;
    /** csv | json */
    format: string;
    exported_by: string;
    exported_role: string;
    exported_at: Date;
    record_counts: ColumnType<unknown, string, never>;
  };
  /** A borrower's complaint, with its jurisdiction's response deadline. */
  complaint: {
    id: string;
    borrower_id: string;
    /** harassment | wrong-amount | privacy | other */
    category: string;
    text: string;
    case_id: string | null;
    attempt_id: string | null;
    jurisdiction: string;
    /** open | assigned | closed */
    status: string;
    filed_by: string;
    filed_on: string;
    /** The last business date a final response is due by (`complaintDeadline`). */
    due_on: string;
    assigned_to: string | null;
    resolution: string | null;
    closed_by: string | null;
    closed_on: string | null;
  };
}
