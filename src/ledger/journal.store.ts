import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import { insertRowsAsArrays } from '../db/array-parameter.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { JournalEntryDraft } from './journal.ts';
import { ACCOUNT_CODES, type AccountCode } from './accounts.ts';

export interface JournalEntryContext {
  loanId: string | null;
  borrowerId: string | null;
  currency: string;
  businessDate: string;
  kind: string;
  transactionId?: string | null;
}

const ENTRY_COLUMNS = {
  id: 'text', borrower_id: 'text', loan_id: 'text', currency: 'text', business_date: 'date', kind: 'text', description: 'text', transaction_id: 'text',
} as const;
const LINE_COLUMNS = { entry_id: 'text', line_number: 'int', account: 'text', loan_id: 'text', borrower_id: 'text', currency: 'text', amount_minor: 'int8' } as const;

/**
 * Writes journal entries and their lines with two INSERTs of a few array parameters, however many
 * entries there are. Call it
 * inside the transaction of the change that caused the entries. An entry with lines is given an id
 * here unless it brings its own (`entryId`, for a caller that builds its rows ahead of writing them).
 */
export async function insertJournalEntries(
  db: Executor,
  ids: IdGenerator,
  entries: ReadonlyArray<{ context: JournalEntryContext; entry: JournalEntryDraft; entryId?: string }>,
): Promise<string[]> {
  const kept = entries.filter(({ entry }) => entry.lines.length > 0);
  if (kept.length === 0) return [];
  const entryIds = kept.map(({ entryId }) => entryId ?? ids('je'));
  await insertRowsAsArrays(db, 'journal_entry', ENTRY_COLUMNS, kept.map(({ context, entry }, index) => ({
    id: entryIds[index]!, borrower_id: context.borrowerId, loan_id: context.loanId, currency: context.currency, business_date: context.businessDate,
    kind: context.kind, description: entry.description, transaction_id: context.transactionId ?? null,
  })));
  const lines = kept.flatMap(({ context, entry }, index) =>
    entry.lines.map((line, lineIndex) => ({
      entry_id: entryIds[index]!, line_number: lineIndex + 1, account: line.account, loan_id: context.loanId, borrower_id: context.borrowerId,
      currency: context.currency, amount_minor: line.amountMinor,
    })));
  await insertRowsAsArrays(db, 'journal_line', LINE_COLUMNS, lines);
  return entryIds;
}

/** A loan's balance on each account (debit positive). */
export async function loanAccountBalances(db: Executor, loanId: string): Promise<Record<AccountCode, bigint>> {
  // Lines are found through their entries (the loan's entries index, then the line key).
  const rows = await db
    .selectFrom('journal_entry as entry')
    .innerJoin('journal_line as line', 'line.entry_id', 'entry.id')
    .select(['line.account', sql<bigint>`sum(line.amount_minor)::int8`.as('balance')])
    .where('entry.loan_id', '=', loanId)
    .groupBy('line.account')
    .execute();
  const balances = Object.fromEntries(ACCOUNT_CODES.map((code) => [code, 0n])) as Record<AccountCode, bigint>;
  for (const row of rows) balances[row.account as AccountCode] = BigInt(row.balance);
  return balances;
}

export interface LedgerTrialBalance {
  currency: string;
  totalMinor: bigint;
  unbalancedEntries: Array<{ entryId: string; offByMinor: bigint }>;
}

/** Proves the ledger balances: every entry sums to zero and so does each currency. */
export async function trialBalance(db: Executor): Promise<LedgerTrialBalance[]> {
  const totals = await db
    .selectFrom('journal_line')
    .select(['currency', sql<bigint>`sum(amount_minor)::int8`.as('total')])
    .groupBy('currency')
    .execute();
  const unbalanced = await db
    .selectFrom('journal_line')
    .select(['entry_id', 'currency', sql<bigint>`sum(amount_minor)::int8`.as('off_by')])
    .groupBy(['entry_id', 'currency'])
    .having(sql`sum(amount_minor)`, '<>', 0)
    .limit(100)
    .execute();
  return totals.map((row) => ({
    currency: row.currency,
    totalMinor: BigInt(row.total),
    unbalancedEntries: unbalanced
      .filter((entry) => entry.currency === row.currency)
      .map((entry) => ({ entryId: entry.entry_id, offByMinor: BigInt(entry.off_by) })),
  }));
}
