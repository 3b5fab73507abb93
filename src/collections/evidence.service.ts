import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { insertEvidenceExport } from '../compliance/receipt.store.ts';
import { addDays, parseBusinessDate } from '../shared/business-date.ts';
import { startOfDayIn } from '../shared/zoned-time.ts';
import type { Clock } from '../shared/clock.ts';
import { csvLine } from '../shared/csv.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';

/**
 * The evidence pack a regulator asks for: for one borrower (or every borrower over a period) the
 * gate's receipts, the contact attempts, the messages sent, the complaints and the unmasking log.
 * Every export is recorded (who, what, when, how many records) before the file leaves.
 */

export const EVIDENCE_FORMATS = ['csv', 'json'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

// A pack is a download, not a data dump: past this many records per section, narrow the request.
const MAXIMUM_RECORDS_PER_SECTION = 20_000;
const MAXIMUM_PERIOD_DAYS = 366;

export interface EvidenceRequest {
  borrowerId?: string;
  from?: string;
  to?: string;
  format?: string;
}

export interface EvidenceActor {
  keyId: string;
  role: string;
}

interface EvidenceRecord {
  section: 'receipt' | 'contact-attempt' | 'message' | 'complaint' | 'unmasking';
  id: string;
  borrowerId: string;
  at: string;
  summary: string;
  details: Record<string, unknown>;
}

const CSV_HEADER = ['section', 'id', 'borrower_id', 'at', 'summary', 'details'] as const;

function parseJsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function readRequest(input: EvidenceRequest, timeZone: string) {
  const format = (input.format ?? 'json') as EvidenceFormat;
  if (!EVIDENCE_FORMATS.includes(format)) throw validationError('format', `must be one of ${EVIDENCE_FORMATS.join(', ')}`);
  const borrowerId = input.borrowerId?.trim() || null;
  const from = input.from ? parseBusinessDate(input.from, 'from') : null;
  const to = input.to ? parseBusinessDate(input.to, 'to') : null;
  if (!borrowerId && (!from || !to)) throw validationError('borrowerId', 'name a borrower, or a period with both from and to');
  if (from && to && to < from) throw validationError('to', 'must be on or after from');
  if (!borrowerId && from && to && addDays(from, MAXIMUM_PERIOD_DAYS) <= to) throw validationError('from', `a period without a borrower may span at most ${MAXIMUM_PERIOD_DAYS} days`);
  return {
    format,
    borrowerId,
    from,
    to,
    // The period's days are the lender's, as on every compliance screen.
    fromInstant: from ? startOfDayIn(from, timeZone) : null,
    beforeInstant: to ? startOfDayIn(addDays(to, 1), timeZone) : null,
  };
}

type Scope = ReturnType<typeof readRequest>;

function bounded<T>(rows: T[], section: string): T[] {
  if (rows.length > MAXIMUM_RECORDS_PER_SECTION) {
    throw new LenityError('VALIDATION_FAILED', `from: the pack would hold more than ${MAXIMUM_RECORDS_PER_SECTION} ${section} records; narrow the period or name a borrower`, { field: 'from' });
  }
  return rows;
}

async function loadRecords(db: Executor, scope: Scope): Promise<EvidenceRecord[]> {
  const cap = MAXIMUM_RECORDS_PER_SECTION + 1;
  let receipts = db.selectFrom('contact_receipt').select(['id', 'borrower_id', 'attempt_at', 'channel', 'agent_id', 'outcome', 'policy', 'decision', 'request', 'overlay']).orderBy('attempt_at').orderBy('id').limit(cap);
  let attempts = db.selectFrom('contact_attempt').select(['id', 'borrower_id', 'case_id', 'channel', 'at', 'agent_id', 'receipt_id', 'outcome', 'note']).orderBy('at').orderBy('id').limit(cap);
  let messages = db.selectFrom('outbound_message')
    .select(['id', 'borrower_id', 'channel', 'recipient', 'subject', 'body', 'language', 'status', 'receipt_id', 'provider', 'provider_message_id', 'delivery_state', 'created_at', 'sent_at', 'template_id', 'template_version'])
    .orderBy('created_at').orderBy('id').limit(cap);
  let complaints = db.selectFrom('complaint').selectAll().orderBy('filed_on').orderBy('id').limit(cap);
  let unmasking = db.selectFrom('personal_data_access').selectAll().orderBy('id').limit(cap);
  if (scope.borrowerId) {
    receipts = receipts.where('borrower_id', '=', scope.borrowerId);
    attempts = attempts.where('borrower_id', '=', scope.borrowerId);
    messages = messages.where('borrower_id', '=', scope.borrowerId);
    complaints = complaints.where('borrower_id', '=', scope.borrowerId);
    unmasking = unmasking.where('borrower_id', '=', scope.borrowerId);
  }
  if (scope.fromInstant && scope.from) {
    receipts = receipts.where('attempt_at', '>=', scope.fromInstant);
    attempts = attempts.where('at', '>=', scope.fromInstant);
    messages = messages.where('created_at', '>=', scope.fromInstant);
    complaints = complaints.where('filed_on', '>=', scope.from);
    unmasking = unmasking.where('at', '>=', scope.fromInstant);
  }
  if (scope.beforeInstant && scope.to) {
    receipts = receipts.where('attempt_at', '<', scope.beforeInstant);
    attempts = attempts.where('at', '<', scope.beforeInstant);
    messages = messages.where('created_at', '<', scope.beforeInstant);
    complaints = complaints.where('filed_on', '<=', scope.to);
    unmasking = unmasking.where('at', '<', scope.beforeInstant);
  }
  const [receiptRows, attemptRows, messageRows, complaintRows, unmaskingRows] = await Promise.all([
    receipts.execute(), attempts.execute(), messages.execute(), complaints.execute(), unmasking.execute(),
  ]);
  const records: EvidenceRecord[] = [];
  for (const row of bounded(receiptRows, 'receipt')) {
    const decision = parseJsonColumn(row.decision) as { decision: string; reasons: Array<{ rule: string }>; allowAfter: string | null };
    const rules = decision.reasons.map((reason) => reason.rule).join(' ');
    records.push({
      section: 'receipt', id: row.id, borrowerId: row.borrower_id, at: row.attempt_at.toISOString(),
      summary: `${row.channel ?? ''} ${row.outcome}${rules ? ` ${rules}` : ''} (${row.policy})`.trim(),
      details: { channel: row.channel, agentId: row.agent_id, policy: row.policy, decision, request: parseJsonColumn(row.request), overlay: row.overlay === null ? null : parseJsonColumn(row.overlay) },
    });
  }
  for (const row of bounded(attemptRows, 'contact attempt')) {
    records.push({
      section: 'contact-attempt', id: row.id, borrowerId: row.borrower_id, at: row.at.toISOString(), summary: `${row.channel} ${row.outcome ?? 'no outcome yet'}`,
      details: { caseId: row.case_id, channel: row.channel, agentId: row.agent_id, receiptId: row.receipt_id, outcome: row.outcome, note: row.note },
    });
  }
  for (const row of bounded(messageRows, 'message')) {
    records.push({
      section: 'message', id: row.id, borrowerId: row.borrower_id, at: (row.sent_at ?? row.created_at).toISOString(),
      summary: `${row.channel} ${row.status}${row.template_id === null ? '' : ` ${row.template_id} v${row.template_version}`}`,
      details: {
        channel: row.channel, recipient: row.recipient, subject: row.subject, body: row.body, language: row.language, status: row.status, receiptId: row.receipt_id,
        template: row.template_id === null ? null : { id: row.template_id, version: row.template_version },
        provider: row.provider, providerMessageId: row.provider_message_id, deliveryState: row.delivery_state, queuedAt: row.created_at.toISOString(), sentAt: row.sent_at?.toISOString() ?? null,
      },
    });
  }
  for (const row of bounded(complaintRows, 'complaint')) {
    records.push({
      section: 'complaint', id: row.id, borrowerId: row.borrower_id, at: row.filed_on, summary: `${row.category} ${row.status}, due ${row.due_on}`,
      details: {
        category: row.category, text: row.text, caseId: row.case_id, attemptId: row.attempt_id, jurisdiction: row.jurisdiction, status: row.status, filedBy: row.filed_by,
        filedOn: row.filed_on, dueOn: row.due_on, assignedTo: row.assigned_to, resolution: row.resolution, closedBy: row.closed_by, closedOn: row.closed_on,
      },
    });
  }
  for (const row of bounded(unmaskingRows, 'unmasking')) {
    records.push({
      section: 'unmasking', id: String(row.id), borrowerId: row.borrower_id, at: row.at.toISOString(), summary: `${row.key_id} (${row.role}): ${row.reason}`,
      details: { userId: row.key_id, role: row.role, reason: row.reason, fields: parseJsonColumn(row.fields) },
    });
  }
  return records;
}

/** A file name that says what the pack holds, e.g. `evidence-brw_1-2026-03-01-2026-03-31.csv`. */
function fileNameOf(scope: Scope, exportId: string): string {
  const parts = ['evidence', scope.borrowerId ?? 'all', scope.from, scope.to].filter((part): part is string => Boolean(part));
  return `${parts.join('-').replace(/[^A-Za-z0-9_.-]/g, '_')}-${exportId}.${scope.format}`;
}

/**
 * Builds an evidence pack and records its export. The CSV has one line per record
 * (`section,id,borrower_id,at,summary,details` with details as JSON, after a UTF-8 byte order mark); the JSON has one array per
 * section. Returns the file's name, media type and its content as lines to stream.
 *
 * @example const pack = await exportEvidencePack({ db, ids, clock, timeZone: 'Asia/Shanghai' }, { keyId: 'usr_1', role: 'compliance' }, { borrowerId: 'brw_1', format: 'csv' })
 */
export async function exportEvidencePack(dependencies: { db: Executor; ids: IdGenerator; clock: Clock; timeZone: string }, actor: EvidenceActor, input: EvidenceRequest) {
  const scope = readRequest(input, dependencies.timeZone);
  const exportId = dependencies.ids('evd');
  const exportedAt = dependencies.clock.now();
  return inTransaction(dependencies.db, async (transaction) => {
    const records = await loadRecords(transaction, scope);
    const recordCounts: Record<string, number> = { receipt: 0, 'contact-attempt': 0, message: 0, complaint: 0, unmasking: 0 };
    for (const record of records) recordCounts[record.section] = (recordCounts[record.section] ?? 0) + 1;
    await insertEvidenceExport(transaction, {
      id: exportId, borrowerId: scope.borrowerId, fromDate: scope.from, toDate: scope.to, format: scope.format, exportedBy: actor.keyId, exportedRole: actor.role, exportedAt, recordCounts,
    });
    const fileName = fileNameOf(scope, exportId);
    if (scope.format === 'csv') {
      // The byte order mark lets spreadsheet programs read the Chinese text as UTF-8.
      const lines = ['\uFEFF' + csvLine(CSV_HEADER), ...records.map((record) => csvLine([record.section, record.id, record.borrowerId, record.at, record.summary, record.details]))];
      return { fileName, mediaType: 'text/csv; charset=utf-8', lines, recordCounts };
    }
    const sections = (section: EvidenceRecord['section']) => records.filter((record) => record.section === section).map(({ id, borrowerId, at, details }) => ({ id, borrowerId, at, ...details }));
    const document = {
      exportId, exportedAt: exportedAt.toISOString(), exportedBy: actor.keyId, borrowerId: scope.borrowerId, from: scope.from, to: scope.to, recordCounts,
      receipts: sections('receipt'), contactAttempts: sections('contact-attempt'), messages: sections('message'), complaints: sections('complaint'), unmasking: sections('unmasking'),
    };
    return { fileName, mediaType: 'application/json; charset=utf-8', lines: [JSON.stringify(document, null, 2)], recordCounts };
  });
}
