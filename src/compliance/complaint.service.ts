import type { Executor } from '../db/transaction.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { readEnum, readObject, readOptionalString, readString } from '../shared/input.ts';
import { complaintDeadline, complaintDeadlineRule, isComplaintOverdue } from './complaint-deadline.ts';

/**
 * Complaints: a borrower (or staff on their behalf) files one; compliance officers list, assign and
 * close them with a resolution, each with its jurisdiction's deadline and an overdue flag. Each
 * change runs in the caller's transaction (the route adds its idempotency record).
 */
export const COMPLAINT_CATEGORIES = ['harassment', 'wrong-amount', 'privacy', 'other'] as const;
export const COMPLAINT_STATUSES = ['open', 'assigned', 'closed'] as const;
const MAXIMUM_TEXT_LENGTH = 4_000;
const LIST_LIMIT = 200;

export interface ComplaintActor {
  keyId: string;
  role: string;
}

type ComplaintRow = Awaited<ReturnType<typeof loadComplaint>>;

async function loadComplaint(db: Executor, complaintId: string) {
  const row = await db.selectFrom('complaint').selectAll().where('id', '=', complaintId).executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Complaint ${complaintId} does not exist`);
  return row;
}

function formatComplaint(row: ComplaintRow, today: BusinessDate) {
  return {
    id: row.id, borrowerId: row.borrower_id, category: row.category, text: row.text, caseId: row.case_id, attemptId: row.attempt_id,
    jurisdiction: row.jurisdiction, status: row.status, filedBy: row.filed_by, filedOn: row.filed_on, dueOn: row.due_on,
    deadlineRule: complaintDeadlineRule(row.jurisdiction).source, overdue: isComplaintOverdue({ status: row.status, dueOn: row.due_on }, today),
    assignedTo: row.assigned_to, resolution: row.resolution, closedBy: row.closed_by, closedOn: row.closed_on,
  };
}

function readText(body: Record<string, unknown>, key: string): string {
  const text = readString(body, key, '(root)').trim();
  if (text.length === 0 || text.length > MAXIMUM_TEXT_LENGTH) throw validationError(key, `must hold 1 to ${MAXIMUM_TEXT_LENGTH} characters`);
  return text;
}

/**
 * Files a complaint for a borrower, optionally about one of their collections cases or contact
 * attempts (which must be theirs). Its deadline follows the borrower's jurisdiction.
 *
 * @example await fileComplaint({ db, ids }, actor, 'brw_1', '2026-03-10', { category: 'harassment', text: 'Called me at work', attemptId: 'att_1' })
 */
export async function fileComplaint(dependencies: { db: Executor; ids: IdGenerator }, actor: ComplaintActor, borrowerId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids } = dependencies;
  const body = readObject(json, '(root)', ['category', 'text', 'caseId', 'attemptId']);
  const category = readEnum(body, 'category', '(root)', COMPLAINT_CATEGORIES);
  const text = readText(body, 'text');
  const caseId = readOptionalString(body, 'caseId', '(root)');
  const attemptId = readOptionalString(body, 'attemptId', '(root)');
  const borrower = await db.selectFrom('borrower').select(['id', 'jurisdiction']).where('id', '=', borrowerId).executeTakeFirst();
  if (!borrower) throw new LenityError('NOT_FOUND', `Borrower ${borrowerId} does not exist`);
  // A reference must be the borrower's own: a complaint never points at someone else's records.
  if (caseId !== null && !(await db.selectFrom('collection_case').select('id').where('id', '=', caseId).where('borrower_id', '=', borrowerId).executeTakeFirst())) {
    throw validationError('caseId', `no case "${caseId}" of this borrower`);
  }
  if (attemptId !== null && !(await db.selectFrom('contact_attempt').select('id').where('id', '=', attemptId).where('borrower_id', '=', borrowerId).executeTakeFirst())) {
    throw validationError('attemptId', `no contact attempt "${attemptId}" of this borrower`);
  }
  const id = ids('cmp');
  await db.insertInto('complaint').values({
    id, borrower_id: borrowerId, category, text, case_id: caseId, attempt_id: attemptId, jurisdiction: borrower.jurisdiction, status: 'open', filed_by: actor.keyId,
    filed_on: businessDate, due_on: complaintDeadline(borrower.jurisdiction, businessDate), assigned_to: null, resolution: null, closed_by: null, closed_on: null,
  }).execute();
  return { status: 201, body: formatComplaint(await loadComplaint(db, id), businessDate) };
}

/**
 * Gives a complaint that is not closed to a compliance officer (or another handler).
 *
 * @example await assignComplaint(db, 'cmp_1', '2026-03-11', { assignee: 'key_9' })
 */
export async function assignComplaint(db: Executor, complaintId: string, businessDate: BusinessDate, json: unknown) {
  const body = readObject(json, '(root)', ['assignee']);
  const assignee = readString(body, 'assignee', '(root)');
  const row = await loadComplaint(db, complaintId);
  if (row.status === 'closed') throw new LenityError('INVALID_STATE', `Complaint ${complaintId} is closed`);
  await db.updateTable('complaint').set({ status: 'assigned', assigned_to: assignee }).where('id', '=', complaintId).execute();
  return { status: 200, body: formatComplaint(await loadComplaint(db, complaintId), businessDate) };
}

/**
 * Closes a complaint with the resolution told to the borrower.
 *
 * @example await closeComplaint(db, actor, 'cmp_1', '2026-03-20', { resolution: 'The agent was retrained; we apologised in writing.' })
 */
export async function closeComplaint(db: Executor, actor: ComplaintActor, complaintId: string, businessDate: BusinessDate, json: unknown) {
  const body = readObject(json, '(root)', ['resolution']);
  const resolution = readText(body, 'resolution');
  const row = await loadComplaint(db, complaintId);
  if (row.status === 'closed') throw new LenityError('INVALID_STATE', `Complaint ${complaintId} is already closed`);
  await db.updateTable('complaint').set({ status: 'closed', resolution, closed_by: actor.keyId, closed_on: businessDate }).where('id', '=', complaintId).execute();
  return { status: 200, body: formatComplaint(await loadComplaint(db, complaintId), businessDate) };
}

/** One complaint. @example (await getComplaint(db, 'cmp_1', '2026-03-10')).overdue // false */
export async function getComplaint(db: Executor, complaintId: string, today: BusinessDate) {
  return formatComplaint(await loadComplaint(db, complaintId), today);
}

/**
 * Complaints, the soonest due first (at most 200): by borrower, status, assignee, or only the
 * overdue ones.
 *
 * @example await listComplaints(db, { overdue: true }, '2026-04-01')
 */
export async function listComplaints(db: Executor, filter: { borrowerId?: string; status?: string; assignedTo?: string; overdue?: boolean }, today: BusinessDate) {
  let query = db.selectFrom('complaint').selectAll().orderBy('due_on').orderBy('id').limit(LIST_LIMIT);
  if (filter.borrowerId) query = query.where('borrower_id', '=', filter.borrowerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.assignedTo) query = query.where('assigned_to', '=', filter.assignedTo);
  if (filter.overdue) query = query.where('status', '!=', 'closed').where('due_on', '<', today);
  return (await query.execute()).map((row) => formatComplaint(row, today));
}
