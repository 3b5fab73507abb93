import { sql } from 'kysely';
import type { Channel } from '../compliance/policy-pack.ts';
import type { Executor } from '../db/transaction.ts';
import type { PastAttempt } from './case-contact.ts';

/** What a borrower told us about being contacted (`borrower_contact_flags`). */
export interface StatedContactFacts {
  flags: string[];
  optOuts: string[];
  inconvenient: unknown[];
}

/** The idempotency keys of messages an agent sent by hand start with this: the agent's attempt already counts them. */
const HAND_SENT_KEY_PREFIX = 'contact:';

/**
 * What the gate must know of borrowers' past contacts since an instant, in three queries however
 * many borrowers: what each one said (opt-outs, flags, inconvenient times), the attempts agents made
 * (calls, visits, messages sent by hand) and the messages the dispatcher sent. Frequency rules that
 * count texts beside calls (US-MA) need both.
 *
 * - A message sent by hand is its agent's attempt already, and a call task is no contact until an
 *   agent makes the call (an attempt of its own): neither is counted twice.
 * - With `inFlightExcept`, messages being sent at this moment count as well, at the instant they
 *   were claimed, except the ones named (the dispatcher's own batch). Only the dispatcher asks for
 *   them: a send in flight may still fail, so counting it is the strict reading for frequency, but
 *   it is not yet the written notice a visit needs.
 *
 * @example const { flags, history } = await loadContactFacts(db, ['brw_1'], new Date('2026-02-07T00:00:00Z'))
 */
export async function loadContactFacts(db: Executor, borrowerIds: readonly string[], since: Date, options: { inFlightExcept?: readonly string[] } = {}) {
  const flags = new Map<string, StatedContactFacts>();
  const history = new Map<string, PastAttempt[]>();
  if (borrowerIds.length === 0) return { flags, history };
  const inFlightExcept = options.inFlightExcept;
  let messages = db.selectFrom('outbound_message')
    .select(['borrower_id', 'channel', 'status', 'sent_at', 'updated_at', sql<string | null>`contact_request -> 'attempt' ->> 'debtId'`.as('debt_id')])
    .where('borrower_id', 'in', borrowerIds)
    .where('channel', '!=', 'call')
    .where('idempotency_key', 'not like', `${HAND_SENT_KEY_PREFIX}%`)
    .where((where) => where.or([
      where.and([where('status', '=', 'sent'), where('sent_at', '>=', since)]),
      ...(inFlightExcept ? [where.and([where('status', '=', 'sending'), where('updated_at', '>=', since)])] : []),
    ]));
  if (inFlightExcept && inFlightExcept.length > 0) messages = messages.where('id', 'not in', inFlightExcept);
  const [flagRows, attempts, messageRows] = await Promise.all([
    db.selectFrom('borrower_contact_flags').selectAll().where('borrower_id', 'in', borrowerIds).execute(),
    db.selectFrom('contact_attempt').innerJoin('collection_case', 'collection_case.id', 'contact_attempt.case_id')
      .select(['contact_attempt.borrower_id', 'contact_attempt.at', 'contact_attempt.channel', 'contact_attempt.outcome', 'collection_case.loan_id'])
      .where('contact_attempt.borrower_id', 'in', borrowerIds).where('contact_attempt.at', '>=', since).execute(),
    messages.execute(),
  ]);
  for (const row of flagRows) flags.set(row.borrower_id, { flags: row.flags, optOuts: row.opt_outs, inconvenient: row.inconvenient });
  const add = (borrowerId: string, attempt: PastAttempt) => {
    const list = history.get(borrowerId);
    if (list) list.push(attempt);
    else history.set(borrowerId, [attempt]);
  };
  for (const attempt of attempts) add(attempt.borrower_id, { at: attempt.at, channel: attempt.channel as Channel, outcome: attempt.outcome, loanId: attempt.loan_id });
  for (const message of messageRows) {
    add(message.borrower_id, { at: message.status === 'sent' ? message.sent_at! : message.updated_at, channel: message.channel as Channel, outcome: 'delivered', loanId: message.debt_id ?? 'unknown' });
  }
  for (const list of history.values()) list.sort((first, second) => first.at.getTime() - second.at.getTime());
  return { flags, history };
}

/**
 * The loans among `loanIds` whose case is held for a dispute: the gate treats their debt as disputed.
 *
 * @example await disputedLoans(db, ['loan_1', 'loan_2']) // Set { 'loan_2' }
 */
export async function disputedLoans(db: Executor, loanIds: readonly string[]): Promise<Set<string>> {
  if (loanIds.length === 0) return new Set();
  const rows = await db.selectFrom('collection_case').select('loan_id').where('loan_id', 'in', loanIds)
    .where('status', '=', 'dispute-hold').where('closed_on', 'is', null).execute();
  return new Set(rows.map((row) => row.loan_id));
}
