import type { ColumnType } from 'kysely';

/** Collections cases and what is done on them, gathered into `Database` by `src/db/schema.ts`. */
export interface CollectionCaseTables {
  /** One case per delinquent loan while it is delinquent; closed when the loan cures, is paid or charged off. */
  collection_case: {
    id: string;
    /** Distribution key: every row of a borrower lives on one shard. */
    borrower_id: string;
    loan_id: string;
    /** open | promised | hardship-review | dispute-hold | legal-hold | closed-cured | closed-paid | closed-charged-off | closed-settled */
    status: string;
    strategy_id: string;
    strategy_version: number;
    /** The champion/challenger arm the case hashed to; null when the strategy has no arms. */
    arm: string | null;
    agent_id: string | null;
    opened_on: string;
    closed_on: string | null;
    /** The business date the last promise was judged broken (the `promise-broken` strategy event). */
    promise_broken_on: string | null;
    last_right_party_contact_on: string | null;
    updated_at: Date;
  };
  /** Each rung a case's ladder ran on a date, and what became of it (so a rerun proposes nothing new). */
  collection_rung_run: {
    case_id: string;
    borrower_id: string;
    rung_id: string;
    run_on: string;
    /** queued | deferred | denied | call-task | visit-requested | skipped */
    outcome: string;
    receipt_id: string | null;
  };
  /** A contact made by a person (call, visit…): always with the gate's receipt. */
  contact_attempt: {
    id: string;
    case_id: string;
    borrower_id: string;
    channel: string;
    at: Date;
    agent_id: string | null;
    receipt_id: string;
    outcome: string | null;
    note: string | null;
  };
  promise_to_pay: {
    id: string;
    case_id: string;
    borrower_id: string;
    loan_id: string;
    /** [{ dueOn, amountMinor (string) }] */
    instalments: ColumnType<unknown, string, string>;
    tolerance_minor: bigint;
    grace_days: number;
    /** pending | kept | partly-kept | broken */
    status: string;
    made_on: string;
    made_by: string | null;
    judged_on: string | null;
  };
  field_visit: {
    id: string;
    case_id: string;
    borrower_id: string;
    /** requested | approved | scheduled | checked-in | completed | rejected */
    status: string;
    requested_by: string;
    requested_on: string;
    approved_by: string | null;
    collectors: ColumnType<string[], string, string>;
    slot: Date | null;
    check_in_location: string | null;
    checked_in_at: Date | null;
    receipt_id: string | null;
    outcome: string | null;
    report: string | null;
    payment_id: string | null;
    updated_at: Date;
  };
  /** What the borrower told us that the gate must honour: flags (cease, attorney…), opt-outs, inconvenient times. */
  borrower_contact_flags: {
    borrower_id: string;
    flags: ColumnType<string[], string, string>;
    opt_outs: ColumnType<string[], string, string>;
    /** Contract form: [{ weekdays?, from?: "HH:MM", to?: "HH:MM" }] */
    inconvenient: ColumnType<unknown[], string, string>;
    /** The language the borrower asked to be written to in (zh-CN | en); null: the borrower record's. */
    preferred_language: ColumnType<string | null, string | null | undefined, string | null>;
    updated_at: Date;
  };
  /** Who changed a borrower's contact preferences, when, and what they were before and after. */
  contact_preference_change: {
    id: string;
    borrower_id: string;
    changed_by: string;
    changed_by_role: string;
    changed_at: Date;
    before: ColumnType<unknown, string, string>;
    after: ColumnType<unknown, string, string>;
  };
  /** What holds a loan's case while a borrower's request (a dispute, a hardship request) is looked at. */
  case_hold: {
    /** The request's id (`dsp_…`, `hdp_…`). */
    id: string;
    borrower_id: string;
    loan_id: string;
    case_id: string | null;
    /** dispute-hold | hardship-review */
    kind: string;
    active: boolean;
    /** The case status to return to when the last active hold ends; kept by the first hold. */
    previous_case_status: string | null;
    /** Whether this hold ends the ageing pause when it is the last to be released. */
    owns_pause: boolean;
    held_on: string;
    released_on: string | null;
  };
  /** A borrower's dispute of a loan: its case is held and ageing paused until staff resolve it. */
  loan_dispute: {
    id: string;
    borrower_id: string;
    loan_id: string;
    case_id: string | null;
    reason: string;
    text: string;
    /** open | upheld | rejected */
    status: string;
    raised_by: string;
    raised_on: string;
    /** Whether the loan's ageing was paused while the dispute was open (an active loan's always is). */
    ageing_paused: boolean;
    resolved_by: string | null;
    resolved_on: string | null;
    resolution: string | null;
    waived_charge_ids: ColumnType<string[], string, string>;
  };
  /** A collector's free-text note on a case (outcome codes say what happened; a note says what to know). */
  case_note: {
    id: string;
    case_id: string;
    borrower_id: string;
    author_id: string;
    text: string;
    created_at: Date;
  };
  /** How far each outbox consumer has read `domain_event`. */
  event_cursor: {
    consumer: string;
    last_sequence: bigint;
  };
}
