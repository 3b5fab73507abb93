import type { Executor } from '../db/transaction.ts';
import { addDays, parseBusinessDate, type BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import { startOfDayIn } from '../shared/zoned-time.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { findPolicyPack } from './evaluate-contact.ts';
import { applyOverlay, parsePolicyOverlay } from './overlay.ts';
import { CHANNELS, PACK_IDS } from './policy-pack.ts';
import { countRuleHits, insertOverlay, type ReceiptCursor, type ReceiptFilter, type ReceiptRow, searchReceiptRows, selectOverlays } from './receipt.store.ts';

/** What the compliance console reads: receipts searched and counted, and the lender's overlays. */

export const RECEIPT_DECISIONS = ['allow', 'deny', 'defer'] as const;
const MAXIMUM_PAGE = 200;
// A period for counting is bounded so one request cannot scan years of receipts.
const MAXIMUM_PERIOD_DAYS = 366;

export interface ReceiptQuery {
  borrowerId?: string;
  agentId?: string;
  rule?: string;
  decision?: string;
  channel?: string;
  /** First calendar day in the lender's time zone, YYYY-MM-DD. */
  from?: string;
  /** Last calendar day in the lender's time zone, YYYY-MM-DD, inclusive. */
  to?: string;
  cursor?: string;
  limit?: string;
}

/** A receipt as the console shows it: the decision taken apart, the request kept whole. */
export function receiptView(row: ReceiptRow) {
  const decision = row.decision as { decision: string; reasons?: unknown[]; warnings?: unknown[]; allowAfter?: string | null; policy: string };
  const [packId, version] = splitPolicy(row.policy);
  return {
    id: row.id,
    borrowerId: row.borrowerId,
    debtId: row.debtId,
    agentId: row.agentId,
    channel: row.channel,
    attemptAt: row.attemptAt.toISOString(),
    decision: row.outcome === 'allow' ? 'allow' : decision.allowAfter ? 'defer' : 'deny',
    allowAfter: decision.allowAfter ?? null,
    policy: row.policy,
    packId,
    packVersion: version,
    reasons: decision.reasons ?? [],
    warnings: decision.warnings ?? [],
    request: row.request,
    overlay: row.overlay,
  };
}

/** "US@2026.11+acme.3" → ["US", "2026.11+acme.3"]. */
function splitPolicy(policy: string): [string, string] {
  const at = policy.indexOf('@');
  return at < 0 ? [policy, ''] : [policy.slice(0, at), policy.slice(at + 1)];
}

function encodeCursor(row: ReceiptRow): string {
  return Buffer.from(JSON.stringify([row.attemptAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(text: string): ReceiptCursor {
  try {
    const [instant, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string];
    const attemptAt = new Date(instant);
    if (typeof id !== 'string' || Number.isNaN(attemptAt.getTime())) throw new Error('shape');
    return { attemptAt, id };
  } catch {
    throw validationError('cursor', 'is not a cursor this search returned');
  }
}

/**
 * Reads `from` and `to` (inclusive calendar days in the lender's time zone: a compliance officer's
 * "10 March" is the lender's day, not UTC's) into an instant range, checking their order.
 *
 * @example periodOf('2026-03-10', '2026-03-10', 'Asia/Shanghai') // { fromInstant: 2026-03-09T16:00Z, beforeInstant: 2026-03-10T16:00Z }
 */
export function periodOf(from: string | undefined, to: string | undefined, timeZone: string): { fromInstant?: Date; beforeInstant?: Date } {
  const fromDate = from ? parseBusinessDate(from, 'from') : undefined;
  const toDate = to ? parseBusinessDate(to, 'to') : undefined;
  if (fromDate && toDate && toDate < fromDate) throw validationError('to', 'must be on or after from');
  return {
    ...(fromDate ? { fromInstant: startOfDayIn(fromDate, timeZone) } : {}),
    ...(toDate ? { beforeInstant: startOfDayIn(addDays(toDate, 1), timeZone) } : {}),
  };
}

/**
 * Searches stored receipts, newest attempt first, one page at a time; `next` is the cursor of the
 * following page, null on the last.
 *
 * @example await searchReceipts(db, { borrowerId: 'brw_1', decision: 'deny', from: '2026-03-01', to: '2026-03-31' }, 'Asia/Shanghai') // { items: [...], next: null }
 */
export async function searchReceipts(db: Executor, query: ReceiptQuery, timeZone: string) {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAXIMUM_PAGE) throw validationError('limit', `must be an integer from 1 to ${MAXIMUM_PAGE}`);
  if (query.decision !== undefined && !(RECEIPT_DECISIONS as readonly string[]).includes(query.decision)) throw validationError('decision', `must be one of ${RECEIPT_DECISIONS.join(', ')}`);
  if (query.channel !== undefined && !(CHANNELS as readonly string[]).includes(query.channel)) throw validationError('channel', `must be one of ${CHANNELS.join(', ')}`);
  const filter: ReceiptFilter = {
    ...(query.borrowerId ? { borrowerId: query.borrowerId.trim() } : {}),
    ...(query.agentId ? { agentId: query.agentId.trim() } : {}),
    ...(query.rule ? { rule: query.rule.trim() } : {}),
    ...(query.decision ? { decision: query.decision as ReceiptFilter['decision'] & string } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...periodOf(query.from, query.to, timeZone),
  };
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  // One more than asked tells whether another page follows.
  const rows = await searchReceiptRows(db, filter, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return { items: page.map(receiptView), next: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}

/**
 * One receipt with its pack and version, reasons, warnings and the inputs the gate saw.
 *
 * @example (await getReceipt(db, 'rcpt_1')).packVersion // "2026.11"
 */
export async function getReceipt(db: Executor, receiptId: string) {
  const row = await db
    .selectFrom('contact_receipt')
    .select(['id', 'borrower_id', 'debt_id', 'attempt_at', 'request', 'overlay', 'decision', 'policy', 'channel', 'agent_id', 'outcome'])
    .where('id', '=', receiptId)
    .executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Receipt ${receiptId} does not exist`);
  const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
  return receiptView({
    id: row.id, borrowerId: row.borrower_id, debtId: row.debt_id, attemptAt: row.attempt_at, request: parse(row.request), overlay: row.overlay === null ? null : parse(row.overlay),
    decision: parse(row.decision), policy: row.policy, channel: row.channel, agentId: row.agent_id, outcome: row.outcome,
  });
}

/**
 * Refusals and warnings per rule and channel over a period (default: the 30 days up to `today`).
 *
 * @example await countDenialsAndWarnings(db, '2026-03-31', { from: '2026-03-01', to: '2026-03-31' }, 'Asia/Shanghai') // { from, to, items: [{ rule: 'US-01', channel: 'call', kind: 'reason', count: 4 }] }
 */
export async function countDenialsAndWarnings(db: Executor, today: BusinessDate, query: { from?: string; to?: string }, timeZone: string) {
  const to = query.to ? parseBusinessDate(query.to, 'to') : today;
  const from = query.from ? parseBusinessDate(query.from, 'from') : addDays(to, -29);
  if (to < from) throw validationError('to', 'must be on or after from');
  if (addDays(from, MAXIMUM_PERIOD_DAYS) <= to) throw validationError('from', `the period may span at most ${MAXIMUM_PERIOD_DAYS} days`);
  const items = await countRuleHits(db, startOfDayIn(from, timeZone), startOfDayIn(addDays(to, 1), timeZone));
  return { from, to, items };
}

/**
 * The lender's stored overlays, newest first, for one pack (jurisdiction) or all.
 *
 * @example await listOverlays(db, 'CN') // { items: [{ id: 'ovl_1', pack: 'CN', name: 'acme', version: '1', overlay: {...} }] }
 */
export async function listOverlays(db: Executor, pack: string | undefined) {
  if (pack !== undefined && !(PACK_IDS as readonly string[]).includes(pack)) throw validationError('pack', `must be one of ${PACK_IDS.join(', ')}`);
  const rows = await selectOverlays(db, pack ?? null);
  return { items: rows.map((row) => ({ id: row.id, pack: row.pack, name: row.name, version: row.version, overlay: row.overlay, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() })) };
}

/**
 * Stores an overlay for its pack after checking it against the pack's current version: one that
 * would loosen the law is refused with a VALIDATION_FAILED problem that names the rule.
 *
 * @example await addOverlay({ db, ids, clock }, 'usr_1', { name: 'acme', version: '1', pack: 'US', hours: { start: '09:00', end: '20:00' } })
 */
export async function addOverlay(dependencies: { db: Executor; ids: IdGenerator; clock: Clock }, createdBy: string, json: unknown) {
  const overlay = parsePolicyOverlay(json);
  const pack = findPolicyPack(overlay.pack);
  if (!pack) throw validationError('pack', `no pack ${overlay.pack} is known`);
  const tightened = applyOverlay(pack, overlay);
  const existing = await dependencies.db.selectFrom('policy_overlay').select('id').where('pack', '=', overlay.pack).where('name', '=', overlay.name).where('version', '=', overlay.version).executeTakeFirst();
  if (existing) throw new LenityError('CONFLICT', `Overlay ${overlay.name} version ${overlay.version} for ${overlay.pack} exists already; give the change a new version`, { field: 'version' });
  const id = dependencies.ids('ovl');
  const createdAt = dependencies.clock.now();
  await insertOverlay(dependencies.db, { id, pack: overlay.pack, name: overlay.name, version: overlay.version, overlay, createdBy, createdAt });
  return { id, pack: overlay.pack, name: overlay.name, version: overlay.version, overlay, createdBy, createdAt: createdAt.toISOString(), policy: `${pack.id}@${tightened.version}` };
}
