import { assert } from '../shared/errors.ts';
import type { AccountCode } from './accounts.ts';

/**
 * One line of a journal entry: a signed amount, debit positive and credit negative, so an entry
 * balances when its lines sum to zero.
 */
export interface JournalLine {
  account: AccountCode;
  amountMinor: bigint;
}

export interface JournalEntryDraft {
  lines: JournalLine[];
  description: string;
}

/** A debit of `amountMinor` to `account`. */
export function debit(account: AccountCode, amountMinor: bigint): JournalLine {
  return { account, amountMinor };
}

/** A credit of `amountMinor` to `account`. */
export function credit(account: AccountCode, amountMinor: bigint): JournalLine {
  return { account, amountMinor: -amountMinor };
}

/**
 * Builds a balanced entry: zero lines are dropped, lines on the same account are merged, and the
 * result must sum to zero (a programmer error otherwise).
 *
 * @example
 * journalEntry('Disbursement', [debit('principal-receivable', 100000n), credit('settlement-cash', 100000n)])
 */
export function journalEntry(description: string, lines: JournalLine[]): JournalEntryDraft {
  const merged = new Map<AccountCode, bigint>();
  for (const line of lines) merged.set(line.account, (merged.get(line.account) ?? 0n) + line.amountMinor);
  const kept: JournalLine[] = [];
  let total = 0n;
  for (const [account, amountMinor] of merged) {
    total += amountMinor;
    if (amountMinor !== 0n) kept.push({ account, amountMinor });
  }
  assert(total === 0n, `journal entry "${description}" does not balance (off by ${total})`);
  return { description, lines: kept };
}

export function isEmptyEntry(entry: JournalEntryDraft): boolean {
  return entry.lines.length === 0;
}
