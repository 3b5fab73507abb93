import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';

/** A stored receipt as the store returns it. */
export interface StoredReceipt {
  id: string;
  borrowerId: string;
  debtId: string;
  attemptAt: Date;
  request: unknown;
  overlay: unknown | null;
  decision: unknown;
  policy: string;
}

export interface NewReceipt {
  id: string;
  borrowerId: string;
  debtId: string;
  channel: string;
  agentId: string | null;
  attemptAt: Date;
  request: unknown;
  overlay: unknown | null;
  decision: { decision: string; policy: string };
}

export async function insertReceipt(db: Executor, receipt: NewReceipt): Promise<void> {
  await insertReceipts(db, [receipt]);
}

// Rows per INSERT: 11 parameters a row stays far below PostgreSQL's 65,535 per statement.
const RECEIPTS_PER_STATEMENT = 1_000;

/** Stores receipts, a thousand per statement: for a run that decides many contacts. */
export async function insertReceipts(db: Executor, receipts: readonly NewReceipt[]): Promise<void> {
  for (let start = 0; start < receipts.length; start += RECEIPTS_PER_STATEMENT) {
    await db
      .insertInto('contact_receipt')
      .values(receipts.slice(start, start + RECEIPTS_PER_STATEMENT).map((receipt) => ({
        id: receipt.id,
        borrower_id: receipt.borrowerId,
        debt_id: receipt.debtId,
        channel: receipt.channel,
        agent_id: receipt.agentId,
        attempt_at: receipt.attemptAt,
        request: JSON.stringify(receipt.request),
        overlay: receipt.overlay === null ? null : JSON.stringify(receipt.overlay),
        decision: JSON.stringify(receipt.decision),
        outcome: receipt.decision.decision,
        policy: receipt.decision.policy,
      })))
      .execute();
  }
}

/** Receipts in id order after `afterId` (keyset pagination), at most `limit`. */
export async function listReceiptsAfter(db: Executor, afterId: string | null, limit: number): Promise<StoredReceipt[]> {
  let query = db
    .selectFrom('contact_receipt')
    .select(['id', 'borrower_id', 'debt_id', 'attempt_at', 'request', 'overlay', 'decision', 'policy'])
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  const rows = await query.execute();
  return rows.map(receiptFromRow);
}

/** Receipts of one borrower, newest attempt first. */
export async function listBorrowerReceipts(db: Executor, borrowerId: string, limit: number): Promise<StoredReceipt[]> {
  const rows = await db
    .selectFrom('contact_receipt')
    .select(['id', 'borrower_id', 'debt_id', 'attempt_at', 'request', 'overlay', 'decision', 'policy'])
    .where('borrower_id', '=', borrowerId)
    .orderBy('attempt_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(receiptFromRow);
}

// Both drivers parse jsonb already; a string means a driver configured otherwise.
function parseJsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

interface ReceiptColumns { id: string; borrower_id: string; debt_id: string; attempt_at: Date; request: unknown; overlay: unknown; decision: unknown; policy: string }

function receiptFromRow(row: ReceiptColumns): StoredReceipt {
  return {
    id: row.id,
    borrowerId: row.borrower_id,
    debtId: row.debt_id,
    attemptAt: row.attempt_at,
    request: parseJsonColumn(row.request),
    overlay: row.overlay === null ? null : parseJsonColumn(row.overlay),
    decision: parseJsonColumn(row.decision),
    policy: row.policy,
  };
}

/** What a receipt search may filter on; every filter is optional and they combine with AND. */
export interface ReceiptFilter {
  borrowerId?: string;
  agentId?: string;
  /** A pack rule id named among the reasons or warnings, e.g. "US-01". */
  rule?: string;
  /** allow; deny (refused, no time it becomes possible); defer (refused until `allowAfter`). */
  decision?: 'allow' | 'deny' | 'defer';
  channel?: string;
  /** Attempts at or after this instant. */
  fromInstant?: Date;
  /** Attempts before this instant. */
  beforeInstant?: Date;
}

/** Where the previous page ended: the last receipt's attempt instant and id (newest first). */
export interface ReceiptCursor {
  attemptAt: Date;
  id: string;
}

export interface ReceiptRow extends StoredReceipt {
  channel: string | null;
  agentId: string | null;
  outcome: string;
}

/**
 * Receipts matching a filter, newest attempt first, after `cursor`, at most `limit`.
 *
 * @example await searchReceiptRows(db, { borrowerId: 'brw_1', decision: 'deny' }, null, 50)
 */
export async function searchReceiptRows(db: Executor, filter: ReceiptFilter, cursor: ReceiptCursor | null, limit: number): Promise<ReceiptRow[]> {
  let query = db
    .selectFrom('contact_receipt')
    .select(['id', 'borrower_id', 'debt_id', 'attempt_at', 'request', 'overlay', 'decision', 'policy', 'channel', 'agent_id', 'outcome'])
    .orderBy('attempt_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (filter.borrowerId !== undefined) query = query.where('borrower_id', '=', filter.borrowerId);
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
  if (filter.fromInstant !== undefined) query = query.where('attempt_at', '>=', filter.fromInstant);
  if (filter.beforeInstant !== undefined) query = query.where('attempt_at', '<', filter.beforeInstant);
  if (filter.decision === 'allow') query = query.where('outcome', '=', 'allow');
  if (filter.decision === 'deny') query = query.where('outcome', '=', 'deny').where(sql<boolean>`(decision->>'allowAfter') is null`);
  if (filter.decision === 'defer') query = query.where('outcome', '=', 'deny').where(sql<boolean>`(decision->>'allowAfter') is not null`);
  if (filter.rule !== undefined) {
    const pattern = JSON.stringify([{ rule: filter.rule }]);
    query = query.where(sql<boolean>`(decision->'reasons' @> ${pattern}::jsonb or decision->'warnings' @> ${pattern}::jsonb)`);
  }
  if (cursor !== null) {
    query = query.where((eb) => eb.or([eb('attempt_at', '<', cursor.attemptAt), eb.and([eb('attempt_at', '=', cursor.attemptAt), eb('id', '<', cursor.id)])]));
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    ...receiptFromRow(row),
    channel: row.channel,
    agentId: row.agent_id,
    outcome: row.outcome,
  }));
}

/** How many refusals and warnings one rule gave on one channel over a period. */
export interface RuleCountRow {
  rule: string;
  code: string;
  channel: string;
  /** reason: the rule refused the attempt; warning: it only warned. */
  kind: 'reason' | 'warning';
  count: number;
}

/**
 * Counts each rule's reasons and warnings per channel for attempts in [fromInstant, beforeInstant).
 *
 * @example await countRuleHits(db, new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'))
 */
export async function countRuleHits(db: Executor, fromInstant: Date, beforeInstant: Date): Promise<RuleCountRow[]> {
  const result = await sql<{ rule: string; code: string; channel: string | null; kind: 'reason' | 'warning'; count: string | number | bigint }>`
    select hit.value->>'rule' as rule, hit.value->>'code' as code, receipt.channel, hit.kind, count(*) as count
    from contact_receipt receipt
    cross join lateral (
      select value, 'reason' as kind from jsonb_array_elements(receipt.decision->'reasons')
      union all
      select value, 'warning' as kind from jsonb_array_elements(receipt.decision->'warnings')
    ) hit
    where receipt.attempt_at >= ${fromInstant} and receipt.attempt_at < ${beforeInstant}
    group by 1, 2, 3, 4
    order by count(*) desc, 1, 3, 4`.execute(db);
  return result.rows.map((row) => ({ rule: row.rule, code: row.code, channel: row.channel ?? 'unknown', kind: row.kind, count: Number(row.count) }));
}

export interface StoredOverlayRow {
  id: string;
  pack: string;
  name: string;
  version: string;
  overlay: unknown;
  createdBy: string;
  createdAt: Date;
}

export async function insertOverlay(db: Executor, row: StoredOverlayRow): Promise<void> {
  await db.insertInto('policy_overlay').values({
    id: row.id, pack: row.pack, name: row.name, version: row.version, overlay: JSON.stringify(row.overlay), created_by: row.createdBy, created_at: row.createdAt,
  }).execute();
}

/** Stored overlays, newest first, for one pack or all. */
export async function selectOverlays(db: Executor, pack: string | null): Promise<StoredOverlayRow[]> {
  let query = db.selectFrom('policy_overlay').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500);
  if (pack !== null) query = query.where('pack', '=', pack);
  const rows = await query.execute();
  return rows.map((row) => ({ id: row.id, pack: row.pack, name: row.name, version: row.version, overlay: parseJsonColumn(row.overlay), createdBy: row.created_by, createdAt: row.created_at }));
}

/**
 * The overlay in force for a pack: the newest one stored (a new version replaces the one before).
 *
 * @example await selectCurrentOverlay(db, 'CN') // { name: 'acme', version: '2', pack: 'CN', hours: {...} } or null
 */
export async function selectCurrentOverlay(db: Executor, pack: string): Promise<unknown | null> {
  const row = await db.selectFrom('policy_overlay').select('overlay').where('pack', '=', pack).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? parseJsonColumn(row.overlay) : null;
}

export interface EvidenceExportRow {
  id: string;
  borrowerId: string | null;
  fromDate: string | null;
  toDate: string | null;
  format: string;
  exportedBy: string;
  exportedRole: string;
  exportedAt: Date;
  recordCounts: Record<string, number>;
}

/** The audit row of one exported evidence pack. */
export async function insertEvidenceExport(db: Executor, row: EvidenceExportRow): Promise<void> {
  await db.insertInto('evidence_export').values({
    id: row.id, borrower_id: row.borrowerId, from_date: row.fromDate, to_date: row.toDate, format: row.format, exported_by: row.exportedBy,
    exported_role: row.exportedRole, exported_at: row.exportedAt, record_counts: JSON.stringify(row.recordCounts),
  }).execute();
}

/** Evidence packs exported, newest first. */
export async function selectEvidenceExports(db: Executor, limit: number): Promise<EvidenceExportRow[]> {
  const rows = await db.selectFrom('evidence_export').selectAll().orderBy('exported_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id, borrowerId: row.borrower_id, fromDate: row.from_date, toDate: row.to_date, format: row.format, exportedBy: row.exported_by,
    exportedRole: row.exported_role, exportedAt: row.exported_at, recordCounts: parseJsonColumn(row.record_counts) as Record<string, number>,
  }));
}
