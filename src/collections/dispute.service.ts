import type { Executor } from '../db/transaction.ts';
import { waiveCharge } from '../lending/loan.service.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { readArray, readEnum, readObject, readString } from '../shared/input.ts';
import { holdCase, releaseCase } from './case-hold.service.ts';
import type { RequestActor } from './contact-preferences.service.ts';

/** Why a borrower disputes a loan. */
export const DISPUTE_REASONS = ['not-mine', 'wrong-amount', 'already-paid', 'fraud', 'other'] as const;
export const DISPUTE_OUTCOMES = ['upheld', 'rejected'] as const;
const MAXIMUM_TEXT_LENGTH = 4_000;
const MAXIMUM_WAIVED_CHARGES = 50;
const LIST_LIMIT = 200;

export interface DisputeDependencies {
  db: Executor;
  ids: IdGenerator;
  clock: Clock;
}

type DisputeRow = Awaited<ReturnType<typeof loadDispute>>;

async function loadDispute(db: Executor, disputeId: string) {
  const row = await db.selectFrom('loan_dispute').selectAll().where('id', '=', disputeId).executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Dispute ${disputeId} does not exist`);
  return row;
}

function formatDispute(row: DisputeRow) {
  return {
    id: row.id, borrowerId: row.borrower_id, loanId: row.loan_id, caseId: row.case_id, reason: row.reason, text: row.text, status: row.status,
    raisedBy: row.raised_by, raisedOn: row.raised_on, ageingPaused: row.ageing_paused, resolvedBy: row.resolved_by, resolvedOn: row.resolved_on,
    resolution: row.resolution, waivedChargeIds: typeof row.waived_charge_ids === 'string' ? (JSON.parse(row.waived_charge_ids) as string[]) : row.waived_charge_ids,
  };
}

function readText(body: Record<string, unknown>, key: string): string {
  const text = readString(body, key, '(root)').trim();
  if (text.length === 0 || text.length > MAXIMUM_TEXT_LENGTH) throw validationError(key, `must hold 1 to ${MAXIMUM_TEXT_LENGTH} characters`);
  return text;
}

/**
 * A borrower (or staff on their behalf) disputes a loan. Its open collections case goes to
 * `dispute-hold` — the gate then refuses every collection contact about the loan
 * (DISPUTE_PENDING) and the daily run proposes none — and the loan's ageing pauses. Runs in the
 * caller's transaction (the route wraps it with its idempotency record).
 *
 * @example await raiseDispute(dependencies, { keyId: 'key_1', role: 'borrower' }, 'loan_1', '2026-03-10', { reason: 'already-paid', text: 'I paid on 1 March by transfer' })
 */
export async function raiseDispute(dependencies: DisputeDependencies, actor: RequestActor, loanId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids } = dependencies;
  const body = readObject(json, '(root)', ['reason', 'text']);
  const reason = readEnum(body, 'reason', '(root)', DISPUTE_REASONS);
  const text = readText(body, 'text');
  const loan = await db.selectFrom('loan').select(['id', 'borrower_id', 'status']).where('id', '=', loanId).executeTakeFirst();
  if (!loan) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
  if (loan.status === 'submitted' || loan.status === 'approved') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; only a disbursed loan can be disputed`);
  const open = await db.selectFrom('loan_dispute').select('id').where('loan_id', '=', loanId).where('status', '=', 'open').executeTakeFirst();
  if (open) throw new LenityError('INVALID_STATE', `Loan ${loanId} already has an open dispute (${open.id})`);
  const id = ids('dsp');
  const hold = await holdCase(dependencies, loanId, 'dispute-hold', businessDate, id, `Dispute ${id}`);
  await db.insertInto('loan_dispute').values({
    id, borrower_id: loan.borrower_id, loan_id: loanId, case_id: hold.caseId, reason, text, status: 'open', raised_by: actor.keyId, raised_on: businessDate,
    ageing_paused: hold.ageingPaused, resolved_by: null, resolved_on: null, resolution: null, waived_charge_ids: JSON.stringify([]),
  }).execute();
  return { status: 201, body: formatDispute(await loadDispute(db, id)) };
}

/**
 * Staff resolve an open dispute: `upheld` (optionally waiving the loan's charges named in
 * `waiveChargeIds`, each through `waiveCharge` with its own balanced journal entry) or `rejected`.
 * Either way the case returns to the status it had and ageing resumes on the business date.
 *
 * @example await resolveDispute(dependencies, staff, 'dsp_1', '2026-03-20', { outcome: 'upheld', resolution: 'Payment found', waiveChargeIds: ['chg_1'] })
 */
export async function resolveDispute(dependencies: DisputeDependencies, actor: RequestActor, disputeId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids, clock } = dependencies;
  const body = readObject(json, '(root)', ['outcome', 'resolution', 'waiveChargeIds']);
  const outcome = readEnum(body, 'outcome', '(root)', DISPUTE_OUTCOMES);
  const resolution = readText(body, 'resolution');
  const chargeIds = [...new Set(readArray(body, 'waiveChargeIds', '(root)', []).map((item, index) => {
    if (typeof item !== 'string' || item.length === 0) throw validationError(`waiveChargeIds.${index}`, 'must be a charge id');
    return item;
  }))];
  if (chargeIds.length > MAXIMUM_WAIVED_CHARGES) throw validationError('waiveChargeIds', `must name at most ${MAXIMUM_WAIVED_CHARGES} charges`);
  if (outcome === 'rejected' && chargeIds.length > 0) throw validationError('waiveChargeIds', 'only an upheld dispute waives charges');
  const dispute = await loadDispute(db, disputeId);
  if (dispute.status !== 'open') throw new LenityError('INVALID_STATE', `Dispute ${disputeId} is already ${dispute.status}`);
  for (const chargeId of chargeIds) {
    await waiveCharge({ db, ids }, dispute.loan_id, chargeId, { idempotencyKey: `dispute:${disputeId}:${chargeId}`, businessDate, reason: `Dispute ${disputeId} upheld` });
  }
  await db.updateTable('loan_dispute').set({ status: outcome, resolved_by: actor.keyId, resolved_on: businessDate, resolution, waived_charge_ids: JSON.stringify(chargeIds) })
    .where('id', '=', disputeId).execute();
  await releaseCase({ db, ids, clock }, dispute.loan_id, disputeId, businessDate);
  return { status: 200, body: formatDispute(await loadDispute(db, disputeId)) };
}

/**
 * One dispute. @example (await getDispute(db, 'dsp_1')).status // "open"
 */
export async function getDispute(db: Executor, disputeId: string) {
  return formatDispute(await loadDispute(db, disputeId));
}

/**
 * Disputes, newest first, of a loan or a borrower, or every one with a status (at most 200).
 *
 * @example await listDisputes(db, { status: 'open' })
 */
export async function listDisputes(db: Executor, filter: { loanId?: string; borrowerId?: string; status?: string }) {
  let query = db.selectFrom('loan_dispute').selectAll().orderBy('id', 'desc').limit(LIST_LIMIT);
  if (filter.loanId) query = query.where('loan_id', '=', filter.loanId);
  if (filter.borrowerId) query = query.where('borrower_id', '=', filter.borrowerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.execute()).map(formatDispute);
}
