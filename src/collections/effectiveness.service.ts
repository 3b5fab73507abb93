import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { validationError } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { calendarDateIn } from '../shared/zoned-time.ts';
import { RIGHT_PARTY_OUTCOMES } from './case-contact.ts';
import { effectiveness, type EffectivenessRow, type Touch } from './effectiveness.ts';

/** Promises, payments and cures this many days after the last touch still count for it. */
const ATTRIBUTION_DAYS = 30;
/** A report covers at most this many days of touches. */
const MAXIMUM_REPORT_DAYS = 366;

/**
 * The effectiveness report for touches made from `from` to `to` (business dates, inclusive): strategy
 * messages (SMS, email, letter) and the contacts people made (calls, visits), with the promises,
 * cures and payments of the following 30 days credited to the last touch. Loaded set-based: one
 * query per kind of fact.
 *
 * @example (await effectivenessReport(db, '2026-03-01', '2026-03-31', 'Asia/Shanghai')).rows[0]
 */
export async function effectivenessReport(db: Executor, from: BusinessDate, to: BusinessDate, timeZone: string) {
  if (to < from) throw validationError('to', 'must not be before from');
  if (addDays(from, MAXIMUM_REPORT_DAYS) <= to) throw validationError('to', `a report covers at most ${MAXIMUM_REPORT_DAYS} days`);
  const until = addDays(to, ATTRIBUTION_DAYS);
  // Messages a rung queued: their channel and delivery come from the message with the rung's key.
  const messages = await db.selectFrom('collection_rung_run')
    .innerJoin('collection_case', 'collection_case.id', 'collection_rung_run.case_id')
    .innerJoin('outbound_message', (join) => join.onRef('outbound_message.borrower_id', '=', 'collection_rung_run.borrower_id')
      .on('outbound_message.idempotency_key', '=', sql<string>`'case:' || collection_rung_run.case_id || ':' || collection_rung_run.rung_id || ':' || collection_rung_run.run_on`))
    .select(['collection_case.id as case_id', 'collection_case.loan_id', 'collection_case.arm', 'collection_rung_run.run_on', 'collection_rung_run.rung_id', 'outbound_message.channel', 'outbound_message.status', 'outbound_message.delivery_state'])
    .where('collection_rung_run.run_on', '>=', from).where('collection_rung_run.run_on', '<=', to).execute();
  // Attempts are instants; a day of slack on each side, then exact business dates in the lender's zone.
  const attempts = await db.selectFrom('contact_attempt').innerJoin('collection_case', 'collection_case.id', 'contact_attempt.case_id')
    .select(['collection_case.id as case_id', 'collection_case.loan_id', 'collection_case.arm', 'contact_attempt.at', 'contact_attempt.channel', 'contact_attempt.agent_id', 'contact_attempt.outcome'])
    .where('contact_attempt.at', '>=', new Date(`${addDays(from, -1)}T00:00:00Z`)).where('contact_attempt.at', '<', new Date(`${addDays(to, 2)}T00:00:00Z`)).execute();
  // Within one day, messages come before people's contacts: the stable sort keeps this order, so a
  // call or visit that follows the morning's SMS is the day's last touch.
  const touches: Touch[] = [
    ...messages.map((row) => ({
      caseId: row.case_id, loanId: row.loan_id, on: row.run_on as BusinessDate, channel: row.channel, rung: row.rung_id, arm: row.arm, agent: null,
      delivered: row.status === 'sent' && (row.delivery_state === null || row.delivery_state === 'DELIVRD'), rightParty: false,
    })),
    ...attempts.map((row) => ({
      caseId: row.case_id, loanId: row.loan_id, on: calendarDateIn(row.at, timeZone) as BusinessDate, channel: row.channel, rung: null, arm: row.arm, agent: row.agent_id,
      delivered: true, rightParty: row.outcome !== null && (RIGHT_PARTY_OUTCOMES as readonly string[]).includes(row.outcome),
    })).filter((touch) => touch.on >= from && touch.on <= to),
  ];
  const promises = await db.selectFrom('promise_to_pay').select(['case_id', 'loan_id', 'made_on', 'status']).where('made_on', '>=', from).where('made_on', '<=', until).execute();
  const cures = await db.selectFrom('collection_case').select(['id', 'loan_id', 'closed_on']).where('status', '=', 'closed-cured').where('closed_on', '>=', from).where('closed_on', '<=', until).execute();
  const payments = await db.selectFrom('loan_transaction').innerJoin('loan', 'loan.id', 'loan_transaction.loan_id')
    .select(['loan_transaction.loan_id', 'loan_transaction.value_date', 'loan_transaction.amount_minor', 'loan.currency'])
    .where('loan_transaction.kind', '=', 'payment').where('loan_transaction.reversed_on', 'is', null)
    .where('loan_transaction.value_date', '>=', from).where('loan_transaction.value_date', '<=', until)
    .where('loan_transaction.loan_id', 'in', (query) => query.selectFrom('collection_case').select('loan_id')).execute();
  const rows = effectiveness(
    touches,
    promises.map((row) => ({ caseId: row.case_id, loanId: row.loan_id, madeOn: row.made_on as BusinessDate, status: row.status })),
    payments.map((row) => ({ loanId: row.loan_id, paidOn: row.value_date as BusinessDate, amountMinor: BigInt(row.amount_minor), currency: row.currency })),
    cures.map((row) => ({ caseId: row.id, loanId: row.loan_id, curedOn: row.closed_on as BusinessDate })),
  );
  return { from, to, attributionDays: ATTRIBUTION_DAYS, rows: rows.map(formatRow) };
}

function formatAmounts(amounts: Record<string, bigint>): Record<string, string> {
  return Object.fromEntries(Object.entries(amounts).map(([currency, minor]) => [currency, formatMoney(minor, currency as CurrencyCode)]));
}

function formatRow(row: EffectivenessRow) {
  const { recoveredWithin7DaysMinor, recoveredWithin30DaysMinor, evenSplitRecoveredWithin7DaysMinor, evenSplitRecoveredWithin30DaysMinor, ...counts } = row;
  return {
    ...counts,
    recoveredWithin7Days: formatAmounts(recoveredWithin7DaysMinor),
    recoveredWithin30Days: formatAmounts(recoveredWithin30DaysMinor),
    evenSplitRecoveredWithin7Days: formatAmounts(evenSplitRecoveredWithin7DaysMinor),
    evenSplitRecoveredWithin30Days: formatAmounts(evenSplitRecoveredWithin30DaysMinor),
  };
}
