import type { RegisterCommand } from '../command.ts';
import { CliExit } from '../io.ts';
import { withDatabase } from '../database.ts';
import { verifyServicing, type VerificationCheck } from '../../lending/verify.service.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { verifyReceipts } from '../../compliance/receipt.service.ts';
import { portfolioPositionMismatches } from '../../collections/reports.store.ts';

/** Every invariant `lenity verify` proves, from each context. */
export async function verifyEverything(handle: DatabaseHandle): Promise<VerificationCheck[]> {
  const receipts = await verifyReceipts(handle.db);
  const receiptCheck: VerificationCheck = {
    name: 'every contact receipt re-derives to its stored decision',
    ok: receipts.mismatches.length === 0,
    checked: receipts.checked,
    failures: receipts.mismatches.map((mismatch) => `${mismatch.receiptId}: ${mismatch.problem}${mismatch.detail ? ` (${mismatch.detail})` : ''}`),
  };
  const mismatches = await portfolioPositionMismatches(handle.db);
  const groups = await handle.db.selectFrom('portfolio_position').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const positionCheck: VerificationCheck = {
    name: 'the portfolio position equals a count of the book',
    ok: mismatches.length === 0,
    checked: Number(groups.count),
    failures: mismatches.map((row) => `${row.jurisdiction} ${row.currency} ${row.bucket}: position ${row.positionLoans} loans owing ${row.positionOutstandingMinor}, book ${row.bookLoans} loans owing ${row.bookOutstandingMinor} (minor units)`),
  };
  return [...(await verifyServicing(handle.db)), receiptCheck, positionCheck];
}

/**
 * `lenity verify`: proves the ledger balances, loans equal their ledger accounts, schedules sum to
 * their principal, every contact attempt has a receipt, and the portfolio position counts the book; exit 1 with a report on any breach.
 */
export const registerVerifyCommand: RegisterCommand = (program, context) => {
  program
    .command('verify')
    .description('Prove the book: ledger, loan balances, schedules and compliance receipts')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const checks = await withDatabase(context.environment, verifyEverything);
      const ok = checks.every((check) => check.ok);
      if (options.json) {
        context.io.stdout(`${JSON.stringify({ ok, checks })}\n`);
      } else {
        for (const check of checks) {
          context.io.stdout(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name} (${check.checked} checked)\n`);
          for (const failure of check.failures) context.io.stdout(`     ${failure}\n`);
        }
        context.io.stdout(ok ? 'The book verifies.\n' : 'The book does NOT verify.\n');
      }
      if (!ok) throw new CliExit(1);
    });
};
