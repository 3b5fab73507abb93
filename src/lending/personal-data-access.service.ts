import type { Executor } from '../db/transaction.ts';
import { addDays, parseBusinessDate } from '../shared/business-date.ts';
import { validationError } from '../shared/errors.ts';
import { startOfDayIn } from '../shared/zoned-time.ts';

export interface PersonalDataAccessQuery {
  borrowerId?: string;
  /** The user (or API key) who saw the data unmasked. */
  userId?: string;
  /** First day (UTC), YYYY-MM-DD. */
  from?: string;
  /** Last day (UTC), YYYY-MM-DD, inclusive. */
  to?: string;
  /** The `next` of the previous page. */
  cursor?: string;
  limit?: string;
}

const MAXIMUM_PAGE = 200;

/**
 * Every unmasked view of a borrower's personal data (who, whose, when, why), newest first, searched
 * by borrower, user and period, one page at a time.
 *
 * @example await searchPersonalDataAccess(db, { userId: 'usr_1', from: '2026-03-01' }, 'Asia/Shanghai') // { items: [{ borrowerId, userId, role, reason, fields, at }], next: null }
 */
export async function searchPersonalDataAccess(db: Executor, query: PersonalDataAccessQuery, timeZone: string) {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAXIMUM_PAGE) throw validationError('limit', `must be an integer from 1 to ${MAXIMUM_PAGE}`);
  if (query.cursor !== undefined && !/^\d{1,18}$/.test(query.cursor)) throw validationError('cursor', 'is not a cursor this search returned');
  const from = query.from ? parseBusinessDate(query.from, 'from') : undefined;
  const to = query.to ? parseBusinessDate(query.to, 'to') : undefined;
  if (from && to && to < from) throw validationError('to', 'must be on or after from');
  let select = db.selectFrom('personal_data_access').selectAll().orderBy('id', 'desc').limit(limit + 1);
  if (query.borrowerId) select = select.where('borrower_id', '=', query.borrowerId.trim());
  if (query.userId) select = select.where('key_id', '=', query.userId.trim());
  // Days are the lender's: a compliance officer's "10 March" is not UTC's.
  if (from) select = select.where('at', '>=', startOfDayIn(from, timeZone));
  if (to) select = select.where('at', '<', startOfDayIn(addDays(to, 1), timeZone));
  if (query.cursor !== undefined) select = select.where('id', '<', BigInt(query.cursor));
  const rows = await select.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: String(row.id), borrowerId: row.borrower_id, userId: row.key_id, role: row.role, reason: row.reason,
      fields: typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields, at: row.at.toISOString(),
    })),
    next: rows.length > limit ? String(page[page.length - 1]!.id) : null,
  };
}
