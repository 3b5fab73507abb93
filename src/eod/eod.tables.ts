import type { ColumnType, Generated } from 'kysely';

export interface EndOfDayTables {
  /** The transactional outbox: written in the transaction of the change, read in sequence order. */
  domain_event: {
    sequence: Generated<bigint>;
    id: string;
    kind: string;
    borrower_id: string | null;
    loan_id: string | null;
    business_date: string;
    payload: ColumnType<unknown, string, string>;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  eod_run: {
    business_date: string;
    status: string;
    partitions: number;
    started_at: ColumnType<Date, Date | undefined, never>;
    finished_at: Date | null;
  };
  eod_partition: {
    business_date: string;
    partition_number: number;
    status: string;
    claimed_by: string | null;
    claimed_at: Date | null;
    finished_at: Date | null;
  };
  eod_chunk: {
    business_date: string;
    partition_number: number;
    chunk_number: number;
    loans: number;
    worker: string;
    committed_at: ColumnType<Date, Date | undefined, never>;
  };
  business_calendar: {
    id: number;
    time_zone: string;
    weekend_days: ColumnType<unknown, string, string>;
    non_business_day_rule: string;
    first_business_date: string | null;
  };
  holiday: {
    date: string;
    name: string;
  };
}
