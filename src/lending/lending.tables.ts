import type { ColumnType, Generated } from 'kysely';

type Money = ColumnType<bigint, bigint | undefined, bigint>;
type Json<T> = ColumnType<T, string, string>;

export interface LendingTables {
  product: {
    id: string;
    name: string;
    currency: string;
    config: Json<unknown>;
    active: ColumnType<boolean, boolean | undefined, boolean>;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  borrower: {
    id: string;
    full_name: string;
    national_id: string | null;
    date_of_birth: string | null;
    phones: Json<unknown>;
    emails: Json<unknown>;
    addresses: Json<unknown>;
    time_zone: string | null;
    language: string;
    jurisdiction: string;
    preferred_channels: Json<unknown>;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  loan: {
    id: string;
    borrower_id: string;
    product_id: string;
    currency: string;
    /** The borrower's jurisdiction when the loan was opened: the law it was made under. */
    jurisdiction: string;
    principal_minor: bigint;
    terms: Json<unknown>;
    status: string;
    apr: string;
    submitted_on: string;
    approved_on: string | null;
    disbursed_on: string | null;
    closed_on: string | null;
    principal_outstanding_minor: Money;
    interest_outstanding_minor: Money;
    fee_outstanding_minor: Money;
    penalty_outstanding_minor: Money;
    overpayment_minor: Money;
    disbursed_minor: Money;
    received_minor: Money;
    written_off_principal_minor: Money;
    written_off_interest_minor: Money;
    written_off_fee_minor: Money;
    written_off_penalty_minor: Money;
    written_off_on: string | null;
    oldest_unpaid_due_date: string | null;
    last_transaction_date: string | null;
    next_event_date: string | null;
    /** As of the last change or end of day: business date − oldest unpaid due date. */
    days_past_due: ColumnType<number, number | undefined, number>;
    /** Days past due less the grace and paused days: what buckets, non-accrual and charge-off count. */
    delinquent_days: ColumnType<number, number | undefined, number>;
    bucket: ColumnType<string | null, string | null | undefined, string | null>;
    non_accrual_on: ColumnType<string | null, string | null | undefined, string | null>;
    charged_off_on: ColumnType<string | null, string | null | undefined, string | null>;
    charged_off_minor: Money;
    penalty_accrued_through: ColumnType<string | null, string | null | undefined, string | null>;
    eod_through: ColumnType<string | null, string | null | undefined, string | null>;
    version: ColumnType<number, number | undefined, number>;
    /** Generated from the id (0–1023): which end-of-day partition the loan falls in. */
    eod_partition_key: ColumnType<number, never, never>;
    /** Set by the database whenever `terms` is written: the `product_terms_snapshot` of the product part. */
    product_terms_key: ColumnType<string | null, never, never>;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  /** The product terms loans were sold under, stored once per distinct content (its SHA-256, hex). */
  product_terms_snapshot: {
    key: string;
    product: Json<unknown>;
  };
  installment: {
    loan_id: string;
    borrower_id: string;
    number: number;
    from_date: string;
    due_date: string;
    principal_minor: bigint;
    interest_minor: bigint;
    fee_minor: bigint;
    penalty_minor: bigint;
    principal_paid_minor: bigint;
    interest_paid_minor: bigint;
    fee_paid_minor: bigint;
    penalty_paid_minor: bigint;
    fee_waived_minor: bigint;
    penalty_waived_minor: bigint;
    completed_on: string | null;
  };
  loan_charge: {
    id: string;
    loan_id: string;
    borrower_id: string;
    kind: string;
    name: string;
    amount_minor: bigint;
    due_date: string;
    installment_number: number;
    waived_minor: Money;
    charged_on: string;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  personal_data_access: {
    id: Generated<bigint>;
    borrower_id: string;
    key_id: string;
    role: string;
    reason: string;
    fields: Json<unknown>;
    at: Date;
  };
  loan_transaction: {
    id: string;
    loan_id: string;
    borrower_id: string;
    sequence: Generated<bigint>;
    kind: string;
    value_date: string;
    booked_on: string;
    amount_minor: bigint;
    principal_minor: Money;
    interest_minor: Money;
    fee_minor: Money;
    penalty_minor: Money;
    overpayment_minor: Money;
    reversed_on: string | null;
    note: string | null;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  /** The new installments of a reschedule (`loan_transaction` of kind `reschedule`), replayed at its value date. */
  loan_reschedule: {
    transaction_id: string;
    loan_id: string;
    borrower_id: string;
    /** [{ fromDate, dueDate, principalMinor, interestMinor }] with amounts as decimal strings of minor units. */
    installments: Json<unknown>;
    /** What asked for it, e.g. `hardship:hdp_…`. */
    source: string;
  };
}
