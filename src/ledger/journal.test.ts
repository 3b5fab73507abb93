import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { credit, debit, journalEntry } from './journal.ts';
import { ACCOUNT_CODES } from './accounts.ts';

describe('journalEntry', () => {
  it('merges lines on one account and drops zero lines', () => {
    const entry = journalEntry('payment', [
      debit('settlement-cash', 500n),
      credit('principal-receivable', 300n),
      credit('principal-receivable', 200n),
      credit('fee-receivable', 0n),
    ]);
    expect(entry.lines).toEqual([
      { account: 'settlement-cash', amountMinor: 500n },
      { account: 'principal-receivable', amountMinor: -500n },
    ]);
  });

  it('refuses an entry that does not balance', () => {
    expect(() => journalEntry('broken', [debit('settlement-cash', 1n)])).toThrow(/does not balance/);
  });

  it('keeps every balanced set of lines balanced after merging (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ACCOUNT_CODES), fc.constantFrom(...ACCOUNT_CODES), fc.bigInt({ min: 0n, max: 10n ** 15n })), { maxLength: 20 }),
        (moves) => {
          const lines = moves.flatMap(([from, to, amount]) => [debit(from, amount), credit(to, amount)]);
          const entry = journalEntry('random', lines);
          expect(entry.lines.reduce((total, line) => total + line.amountMinor, 0n)).toBe(0n);
          expect(entry.lines.every((line) => line.amountMinor !== 0n)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
