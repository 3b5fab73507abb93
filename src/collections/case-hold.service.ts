import type { Executor } from '../db/transaction.ts';
import { pausesOverlap } from '../delinquency/classification.ts';
import { loadPauses, pauseAgeing, resumeAgeing } from '../delinquency/pause.service.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';

/** Holds a loan's case while a borrower's request is looked at: `dispute-hold` or `hardship-review`. */
export type HoldStatus = 'dispute-hold' | 'hardship-review';

/** Case statuses a hold may interrupt; a closed case or a legal hold is left as it is. */
const HOLDABLE_STATUSES = ['open', 'promised', 'dispute-hold', 'hardship-review'];

export interface CaseHold {
  caseId: string | null;
  /** The status the case returns to when the hold ends; null when no case was held. */
  previousStatus: string | null;
  /** Whether this hold started the ageing pause, and so must end it. */
  ageingPaused: boolean;
}

/**
 * Puts the loan's open case (when it has one) in `status` and pauses the loan's ageing from
 * `businessDate`, so that the time we take to look at a dispute or a hardship request never pushes
 * the borrower into a worse bucket or earns a late fee. An ageing pause already running (another
 * request's) covers this one too; the loan must be active for its ageing to pause.
 *
 * @example await holdCase({ db, ids, clock }, 'loan_1', 'dispute-hold', '2026-03-10', 'Dispute dsp_1')
 */
export async function holdCase(dependencies: { db: Executor; ids: IdGenerator; clock: Clock }, loanId: string, status: HoldStatus, businessDate: BusinessDate, reason: string): Promise<CaseHold> {
  const { db, ids, clock } = dependencies;
  const openCase = await db.selectFrom('collection_case').select(['id', 'status']).where('loan_id', '=', loanId).where('closed_on', 'is', null).forUpdate().executeTakeFirst();
  let previousStatus: string | null = null;
  if (openCase && HOLDABLE_STATUSES.includes(openCase.status)) {
    // A case already held (an agent logged the dispute on a call) returns to open afterwards.
    previousStatus = openCase.status === 'dispute-hold' || openCase.status === 'hardship-review' ? 'open' : openCase.status;
    await db.updateTable('collection_case').set({ status, updated_at: clock.now() }).where('id', '=', openCase.id).execute();
  }
  const loan = await db.selectFrom('loan').select('status').where('id', '=', loanId).executeTakeFirstOrThrow();
  let ageingPaused = false;
  if (loan.status === 'active') {
    const pauses = await loadPauses(db, loanId);
    if (!pauses.some((pause) => pausesOverlap(pause, { from: businessDate, until: null }))) {
      await pauseAgeing(db, ids, loanId, { from: businessDate, reason });
      ageingPaused = true;
    } else if (openCase?.status === status && pauses.some((pause) => pause.from <= businessDate && pause.until === null)) {
      // An agent already held the case for the same reason on a call and paused ageing without an
      // end: this request takes that pause over, so that its decision ends it.
      ageingPaused = true;
    }
  }
  return { caseId: previousStatus === null ? null : openCase!.id, previousStatus, ageingPaused };
}

/**
 * Ends a hold: the case (still held, not closed meanwhile) returns to `returnTo` or the status it
 * had, and the ageing pause this hold started ends on `businessDate`.
 *
 * @example await releaseCase({ db, clock }, 'loan_1', hold, 'dispute-hold', '2026-03-20')
 */
export async function releaseCase(dependencies: { db: Executor; clock: Clock }, loanId: string, hold: CaseHold, heldStatus: HoldStatus, businessDate: BusinessDate, returnTo?: string): Promise<void> {
  const { db, clock } = dependencies;
  if (hold.caseId !== null && hold.previousStatus !== null) {
    await db.updateTable('collection_case').set({ status: returnTo ?? hold.previousStatus, updated_at: clock.now() })
      .where('id', '=', hold.caseId).where('status', '=', heldStatus).where('closed_on', 'is', null).execute();
  }
  if (!hold.ageingPaused) return;
  const loan = await db.selectFrom('loan').select('status').where('id', '=', loanId).executeTakeFirstOrThrow();
  if (loan.status !== 'active') return;
  const pauses = await loadPauses(db, loanId);
  if (pauses.some((pause) => pause.from <= businessDate && (pause.until === null || pause.until > businessDate))) await resumeAgeing(db, loanId, { on: businessDate });
}
