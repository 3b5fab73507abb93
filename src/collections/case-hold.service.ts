import type { Executor } from '../db/transaction.ts';
import { pausesOverlap } from '../delinquency/classification.ts';
import { loadPauses, pauseAgeing, resumeAgeing } from '../delinquency/pause.service.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';

/** Holds a loan's case while a borrower's request is looked at: `dispute-hold` or `hardship-review`. */
export type HoldStatus = 'dispute-hold' | 'hardship-review';

const HOLD_STATUSES: readonly string[] = ['dispute-hold', 'hardship-review'];
/** Case statuses a hold may change; a closed case or a legal hold is left as it is. */
const HOLDABLE_STATUSES: readonly string[] = ['open', 'promised', ...HOLD_STATUSES];

/** A dispute stops collection contact altogether, so it shows over a hardship review. */
function strongest(kinds: readonly string[]): HoldStatus {
  return kinds.includes('dispute-hold') ? 'dispute-hold' : 'hardship-review';
}

export interface HoldDependencies {
  db: Executor;
  ids: IdGenerator;
  clock: Clock;
}

async function activeHolds(db: Executor, loanId: string) {
  return db.selectFrom('case_hold').selectAll().where('loan_id', '=', loanId).where('active', '=', true).orderBy('held_on').orderBy('id').forUpdate().execute();
}

async function openCaseOf(db: Executor, loanId: string) {
  return db.selectFrom('collection_case').select(['id', 'status']).where('loan_id', '=', loanId).where('closed_on', 'is', null).forUpdate().executeTakeFirst();
}

/**
 * Holds the loan's open case for a borrower's request (`holdId` is the request's id) and pauses the
 * loan's ageing from `businessDate`, so that the time we take to look at a dispute or a hardship
 * request never pushes the borrower into a worse bucket or earns a late fee. Several requests may
 * hold one loan: the case shows the strongest (`dispute-hold` over `hardship-review`), and the
 * first hold keeps the status to return to and the pause (an ageing pause an agent started for the
 * same reason on a call is taken over). Returns the case held, if any, and whether ageing is paused.
 *
 * @example await holdCase({ db, ids, clock }, 'loan_1', 'dispute-hold', '2026-03-10', 'dsp_1', 'Dispute dsp_1')
 */
export async function holdCase(dependencies: HoldDependencies, loanId: string, status: HoldStatus, businessDate: BusinessDate, holdId: string, reason: string) {
  const { db, ids, clock } = dependencies;
  const openCase = await openCaseOf(db, loanId);
  const active = await activeHolds(db, loanId);
  const loan = await db.selectFrom('loan').select(['status', 'borrower_id']).where('id', '=', loanId).executeTakeFirstOrThrow();
  const holdable = openCase !== undefined && HOLDABLE_STATUSES.includes(openCase.status);
  let previousStatus: string | null = null;
  let ownsPause = false;
  if (active.length === 0) {
    // A case an agent already held on a call (no request behind it) returns to open afterwards.
    if (holdable) previousStatus = HOLD_STATUSES.includes(openCase.status) ? 'open' : openCase.status;
    if (loan.status === 'active') {
      const pauses = await loadPauses(db, loanId);
      if (!pauses.some((pause) => pausesOverlap(pause, { from: businessDate, until: null }))) {
        await pauseAgeing(db, ids, loanId, { from: businessDate, reason });
        ownsPause = true;
      } else {
        ownsPause = holdable && HOLD_STATUSES.includes(openCase.status) && pauses.some((pause) => pause.from <= businessDate && pause.until === null);
      }
    }
  }
  if (holdable) {
    await db.updateTable('collection_case').set({ status: strongest([...active.map((hold) => hold.kind), status]), updated_at: clock.now() }).where('id', '=', openCase.id).execute();
  }
  await db.insertInto('case_hold').values({
    id: holdId, borrower_id: loan.borrower_id, loan_id: loanId, case_id: holdable ? openCase.id : null, kind: status, active: true, previous_case_status: previousStatus,
    owns_pause: ownsPause, held_on: businessDate, released_on: null,
  }).execute();
  const pauses = loan.status === 'active' ? await loadPauses(db, loanId) : [];
  return { caseId: holdable ? openCase.id : null, ageingPaused: pauses.some((pause) => pause.from <= businessDate && (pause.until === null || pause.until > businessDate)) };
}

/**
 * Ends a request's hold. While another request still holds the loan, the case shows that one and
 * this hold hands it the status to return to (`returnTo` when given) and the ageing pause. The last
 * hold returns the case (still held, not closed meanwhile) to `returnTo` or the status it had, and
 * ends the ageing pause on `businessDate`.
 *
 * @example await releaseCase({ db, ids, clock }, 'loan_1', 'dsp_1', '2026-03-20')
 */
export async function releaseCase(dependencies: HoldDependencies, loanId: string, holdId: string, businessDate: BusinessDate, returnTo?: string): Promise<void> {
  const { db, clock } = dependencies;
  const openCase = await openCaseOf(db, loanId);
  const active = await activeHolds(db, loanId);
  const hold = active.find((candidate) => candidate.id === holdId);
  if (!hold) return;
  await db.updateTable('case_hold').set({ active: false, released_on: businessDate }).where('id', '=', holdId).execute();
  const remaining = active.filter((candidate) => candidate.id !== holdId);
  const held = openCase !== undefined && HOLD_STATUSES.includes(openCase.status);
  if (remaining.length > 0) {
    const heir = remaining[0]!;
    await db.updateTable('case_hold').set({
      previous_case_status: hold.previous_case_status === null ? heir.previous_case_status : (returnTo ?? hold.previous_case_status),
      owns_pause: heir.owns_pause || hold.owns_pause,
    }).where('id', '=', heir.id).execute();
    if (held) await db.updateTable('collection_case').set({ status: strongest(remaining.map((candidate) => candidate.kind)), updated_at: clock.now() }).where('id', '=', openCase.id).execute();
    return;
  }
  if (held) await db.updateTable('collection_case').set({ status: returnTo ?? hold.previous_case_status ?? 'open', updated_at: clock.now() }).where('id', '=', openCase.id).execute();
  if (!hold.owns_pause) return;
  const loan = await db.selectFrom('loan').select('status').where('id', '=', loanId).executeTakeFirstOrThrow();
  if (loan.status !== 'active') return;
  const pauses = await loadPauses(db, loanId);
  if (pauses.some((pause) => pause.from <= businessDate && (pause.until === null || pause.until > businessDate))) await resumeAgeing(db, loanId, { on: businessDate });
}
