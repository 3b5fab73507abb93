import type { ColumnType, Generated } from 'kysely';
import type { LedgerTables } from '../ledger/ledger.tables.ts';
import type { LendingTables } from '../lending/lending.tables.ts';
import type { ComplianceTables } from '../compliance/compliance.tables.ts';
import type { DelinquencyTables } from '../delinquency/delinquency.tables.ts';
import type { CollectionsTables } from '../collections/collections.tables.ts';
import type { CollectionCaseTables } from '../collections/cases.tables.ts';
import type { CollectionSetupTables } from '../collections/setup.tables.ts';
import type { EndOfDayTables } from '../eod/eod.tables.ts';
import type { IdentityTables } from '../identity/identity.tables.ts';
import type { HardshipTables } from '../hardship/hardship.tables.ts';
import type { CollectionReportTables } from '../collections/reports.tables.ts';

/**
 * The database schema as Kysely sees it. Each context declares its own tables in
 * `<context>/<context>.tables.ts`; this interface gathers them (type-only imports, no runtime edge).
 */
export interface FoundationTables {
  api_key: {
    id: string;
    key_hash: string;
    name: string;
    role: string;
    borrower_id: string | null;
    /** The user this key acts as (migration 0030), so one person is one agent id by key or by login. */
    user_id: ColumnType<string | null, string | null | undefined, string | null>;
    created_at: ColumnType<Date, Date | undefined, never>;
    revoked_at: Date | null;
  };
  idempotency_record: {
    scope: string;
    key: string;
    request_hash: string;
    response_status: number;
    response_body: ColumnType<unknown, string, string>;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
}

export type { Generated };

export interface Database extends FoundationTables, LedgerTables, LendingTables, DelinquencyTables, ComplianceTables, CollectionsTables, CollectionCaseTables,
  CollectionSetupTables, EndOfDayTables, IdentityTables, HardshipTables, CollectionReportTables {}
