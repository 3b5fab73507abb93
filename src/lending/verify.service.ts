import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import { trialBalance } from '../ledger/journal.store.ts';
import { ACCOUNT_CODES, type AccountCode } from '../ledger/accounts.ts';
import { formatMoney } from '../shared/money.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { positionFromTotals } from './loan-state.ts';

/** One invariant checked by `lenity verify`. */
export interface VerificationCheck {
  name: string;
  ok: boolean;
  checked: number;
  failures: string[];
}

const MAX_FAILURES_REPORTED = 50;
const LOANS_PER_CHUNK = 2000;

/**
 * Proves the servicing invariants over the whole book, a chunk of loans at a time with set-based
 * queries: the ledger balances; every loan's ledger accounts equal the position its state implies;
 * the loan row's balances equal its installments; installments sum to the principal.
 */
export async function verifyServicing(db: Executor): Promise<VerificationCheck[]> {
  const ledger: VerificationCheck = { name: 'ledger balances', ok: true, checked: 0, failures: [] };
  for (const currency of await trialBalance(db)) {
    ledger.checked++;
    if (currency.totalMinor !== 0n) ledger.failures.push(`${currency.currency}: debits and credits differ by ${currency.totalMinor} minor units`);
    for (const entry of currency.unbalancedEntries) ledger.failures.push(`entry ${entry.entryId} is off by ${entry.offByMinor}`);
  }
  const accounts: VerificationCheck = { name: 'loan balances equal ledger accounts', ok: true, checked: 0, failures: [] };
  const rows: VerificationCheck = { name: 'loan balances equal installments', ok: true, checked: 0, failures: [] };
  const principal: VerificationCheck = { name: 'installments sum to principal', ok: true, checked: 0, failures: [] };

  let cursor = '';
  for (;;) {
    const loans = await sql<Record<string, string | bigint | null>>`
      SELECT l.id, l.currency, l.principal_minor, l.disbursed_minor, l.received_minor, l.overpayment_minor,
             l.written_off_principal_minor, l.written_off_interest_minor, l.written_off_fee_minor, l.written_off_penalty_minor, l.charged_off_minor,
             l.principal_outstanding_minor, l.interest_outstanding_minor, l.fee_outstanding_minor, l.penalty_outstanding_minor,
             coalesce(sum(i.principal_minor), 0)::int8 AS principal, coalesce(sum(i.interest_minor), 0)::int8 AS interest,
             coalesce(sum(i.fee_minor), 0)::int8 AS fee, coalesce(sum(i.penalty_minor), 0)::int8 AS penalty,
             coalesce(sum(i.principal_paid_minor), 0)::int8 AS principal_paid, coalesce(sum(i.interest_paid_minor), 0)::int8 AS interest_paid,
             coalesce(sum(i.fee_paid_minor), 0)::int8 AS fee_paid, coalesce(sum(i.penalty_paid_minor), 0)::int8 AS penalty_paid,
             coalesce(sum(i.fee_waived_minor), 0)::int8 AS fee_waived, coalesce(sum(i.penalty_waived_minor), 0)::int8 AS penalty_waived
        FROM loan l LEFT JOIN installment i ON i.loan_id = l.id
       WHERE l.disbursed_on IS NOT NULL AND l.id > ${cursor}
       GROUP BY l.id ORDER BY l.id LIMIT ${LOANS_PER_CHUNK}`.execute(db);
    if (loans.rows.length === 0) break;
    const ids = loans.rows.map((loan) => loan.id as string);
    const lines = await sql<{ loan_id: string; account: string; balance: bigint }>`
      SELECT entry.loan_id, line.account, sum(line.amount_minor)::int8 AS balance
        FROM journal_entry entry JOIN journal_line line ON line.entry_id = entry.id
       WHERE entry.loan_id IN (${sql.join(ids)}) GROUP BY entry.loan_id, line.account`.execute(db);
    const ledgerByLoan = new Map<string, Map<string, bigint>>();
    for (const line of lines.rows) {
      const balances = ledgerByLoan.get(line.loan_id) ?? new Map<string, bigint>();
      balances.set(line.account, BigInt(line.balance));
      ledgerByLoan.set(line.loan_id, balances);
    }
    for (const loan of loans.rows) {
      const id = loan.id as string;
      const currency = loan.currency as CurrencyCode;
      const money = (value: bigint) => `${formatMoney(value, currency)} ${currency}`;
      const big = (key: string) => BigInt(loan[key] as bigint);
      const totals = {
        principalMinor: big('principal'), interestMinor: big('interest'), feeMinor: big('fee'), penaltyMinor: big('penalty'),
        principalPaidMinor: big('principal_paid'), interestPaidMinor: big('interest_paid'), feePaidMinor: big('fee_paid'),
        penaltyPaidMinor: big('penalty_paid'), feeWaivedMinor: big('fee_waived'), penaltyWaivedMinor: big('penalty_waived'),
      };
      const writtenOff = {
        principalMinor: big('written_off_principal_minor'), interestMinor: big('written_off_interest_minor'),
        feeMinor: big('written_off_fee_minor'), penaltyMinor: big('written_off_penalty_minor'),
      };
      const position = positionFromTotals({ disbursedMinor: big('disbursed_minor'), receivedMinor: big('received_minor'), overpaymentMinor: big('overpayment_minor'), chargedOffMinor: big('charged_off_minor'), writtenOff, totals });
      const ledgerBalances = ledgerByLoan.get(id) ?? new Map<string, bigint>();
      accounts.checked++;
      for (const account of ACCOUNT_CODES as AccountCode[]) {
        const onLedger = ledgerBalances.get(account) ?? 0n;
        if (onLedger !== position[account]) accounts.failures.push(`${id} ${account}: ledger ${money(onLedger)}, loan ${money(position[account])}`);
      }
      rows.checked++;
      const expected: Array<[string, bigint]> = [
        ['principal_outstanding_minor', totals.principalMinor - totals.principalPaidMinor - writtenOff.principalMinor],
        ['interest_outstanding_minor', totals.interestMinor - totals.interestPaidMinor - writtenOff.interestMinor],
        ['fee_outstanding_minor', totals.feeMinor - totals.feePaidMinor - totals.feeWaivedMinor - writtenOff.feeMinor],
        ['penalty_outstanding_minor', totals.penaltyMinor - totals.penaltyPaidMinor - totals.penaltyWaivedMinor - writtenOff.penaltyMinor],
      ];
      for (const [column, value] of expected) {
        if (big(column) !== value) rows.failures.push(`${id} ${column}: loan row ${money(big(column))}, installments ${money(value)}`);
      }
      principal.checked++;
      if (totals.principalMinor !== big('principal_minor')) principal.failures.push(`${id}: installments ${money(totals.principalMinor)}, principal ${money(big('principal_minor'))}`);
    }
    cursor = ids.at(-1)!;
  }
  return [ledger, accounts, rows, principal].map((check) => ({ ...check, ok: check.failures.length === 0, failures: check.failures.slice(0, MAX_FAILURES_REPORTED) }));
}
