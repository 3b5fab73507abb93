import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../db/transaction.ts';

/** The SQL of the dispatcher: `outbound_message` and `message_segment_acknowledgement`. */
export interface MessageRow {
  id: string;
  borrowerId: string;
  channel: string;
  to: string;
  subject: string | null;
  body: string;
  language: string;
  idempotencyKey: string;
  status: string;
  attempts: number;
  maximumAttempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  provider: string | null;
  providerMessageId: string | null;
  deliveryState: string | null;
  lastError: string | null;
  receiptId: string | null;
  contactRequest: Record<string, unknown>;
  sentAt: Date | null;
  template: { id: string; version: number } | null;
}

export interface NewMessageRow {
  id: string;
  borrowerId: string;
  channel: string;
  to: string;
  subject: string | null;
  body: string;
  language: string;
  idempotencyKey: string;
  maximumAttempts: number;
  nextAttemptAt: Date;
  contactRequest: Record<string, unknown>;
  template: { id: string; version: number } | null;
  now: Date;
}

// Error texts are kept short: they are for people reading a dead-letter list, not for logs.
const MAXIMUM_ERROR_LENGTH = 1_000;

function toRow(row: Database['outbound_message'] extends infer T ? Record<keyof T, any> : never): MessageRow {
  return {
    id: row.id,
    borrowerId: row.borrower_id,
    channel: row.channel,
    to: row.recipient,
    subject: row.subject,
    body: row.body,
    language: row.language,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    attempts: row.attempts,
    maximumAttempts: row.maximum_attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    deliveryState: row.delivery_state,
    lastError: row.last_error,
    receiptId: row.receipt_id,
    contactRequest: (typeof row.contact_request === 'string' ? JSON.parse(row.contact_request) : row.contact_request) as Record<string, unknown>,
    sentAt: row.sent_at,
    template: row.template_id === null ? null : { id: row.template_id, version: row.template_version },
  };
}

/** Inserts a message unless its idempotency key exists; returns the stored row and whether it was new. */
export async function insertMessage(db: Executor, message: NewMessageRow): Promise<{ row: MessageRow; created: boolean }> {
  const created = await insertMessages(db, [message]);
  const row = await findMessageByKey(db, message.idempotencyKey);
  return { row: row!, created: created === 1 };
}

// Rows per INSERT: 24 parameters a row stays far below PostgreSQL's 65,535 per statement.
const MESSAGES_PER_STATEMENT = 1_000;

/** Inserts messages whose idempotency key is new, a thousand per statement; returns how many were new. */
export async function insertMessages(db: Executor, messages: readonly NewMessageRow[]): Promise<number> {
  let created = 0;
  for (let start = 0; start < messages.length; start += MESSAGES_PER_STATEMENT) {
    const inserted = await db
      .insertInto('outbound_message')
      .values(messages.slice(start, start + MESSAGES_PER_STATEMENT).map((message) => ({
        id: message.id,
        borrower_id: message.borrowerId,
        channel: message.channel,
        recipient: message.to,
        subject: message.subject,
        body: message.body,
        language: message.language,
        idempotency_key: message.idempotencyKey,
        status: 'queued',
        attempts: 0,
        maximum_attempts: message.maximumAttempts,
        next_attempt_at: message.nextAttemptAt,
        lease_until: null,
        provider: null,
        provider_message_id: null,
        delivery_state: null,
        last_error: null,
        receipt_id: null,
        contact_request: JSON.stringify(message.contactRequest),
        updated_at: message.now,
        sent_at: null,
        template_id: message.template?.id ?? null,
        template_version: message.template?.version ?? null,
      })))
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
      .returning('id')
      .execute();
    created += inserted.length;
  }
  return created;
}

export async function findMessageByKey(db: Executor, idempotencyKey: string): Promise<MessageRow | null> {
  const row = await db.selectFrom('outbound_message').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row ? toRow(row) : null;
}

/**
 * Locks up to `limit` messages that are due: queued or failed with their time come, or `sending` with
 * the lease run out (the process sending them died). Rows other workers hold are skipped.
 */
export async function lockDueMessages(transaction: Transaction<Database>, now: Date, limit: number): Promise<MessageRow[]> {
  const rows = await transaction
    .selectFrom('outbound_message')
    .selectAll()
    .where((where) =>
      where.or([
        where.and([where('status', 'in', ['queued', 'failed']), where('next_attempt_at', '<=', now)]),
        where.and([where('status', '=', 'sending'), where('lease_until', '<=', now)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map(toRow);
}

export async function markSending(db: Executor, message: MessageRow, input: { leaseUntil: Date; receiptId: string; now: Date }): Promise<void> {
  await db
    .updateTable('outbound_message')
    .set({ status: 'sending', attempts: message.attempts + 1, lease_until: input.leaseUntil, receipt_id: input.receiptId, updated_at: input.now })
    .where('borrower_id', '=', message.borrowerId)
    .where('id', '=', message.id)
    .execute();
}

export async function markRescheduled(db: Executor, message: MessageRow, input: { nextAttemptAt: Date; receiptId: string; reason: string; now: Date }): Promise<void> {
  await db
    .updateTable('outbound_message')
    .set({
      status: message.status === 'sending' ? 'failed' : message.status,
      next_attempt_at: input.nextAttemptAt,
      lease_until: null,
      receipt_id: input.receiptId,
      last_error: input.reason.slice(0, MAXIMUM_ERROR_LENGTH),
      updated_at: input.now,
    })
    .where('borrower_id', '=', message.borrowerId)
    .where('id', '=', message.id)
    .execute();
}

export async function markFinal(
  db: Executor,
  message: Pick<MessageRow, 'borrowerId' | 'id'>,
  input: { status: 'denied' | 'dead'; receiptId?: string | null; error: string; now: Date },
): Promise<void> {
  await db
    .updateTable('outbound_message')
    .set({
      status: input.status,
      lease_until: null,
      last_error: input.error.slice(0, MAXIMUM_ERROR_LENGTH),
      updated_at: input.now,
      ...(input.receiptId ? { receipt_id: input.receiptId } : {}),
    })
    .where('borrower_id', '=', message.borrowerId)
    .where('id', '=', message.id)
    .execute();
}

/**
 * Records a successful send. Guarded by the attempt number: if this sender's lease ran out and another
 * worker claimed the message, only the later claim's outcome is written.
 */
export async function markSent(
  db: Executor,
  message: Pick<MessageRow, 'borrowerId' | 'id'>,
  input: { attempts: number; provider: string; providerMessageId: string; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('outbound_message')
    .set({ status: 'sent', lease_until: null, provider: input.provider, provider_message_id: input.providerMessageId, sent_at: input.now, last_error: null, updated_at: input.now })
    .where('borrower_id', '=', message.borrowerId)
    .where('id', '=', message.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', input.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markAttemptFailed(
  db: Executor,
  message: Pick<MessageRow, 'borrowerId' | 'id'>,
  input: { attempts: number; status: 'failed' | 'dead'; nextAttemptAt: Date | null; provider: string; error: string; now: Date },
): Promise<void> {
  await db
    .updateTable('outbound_message')
    .set({
      status: input.status,
      lease_until: null,
      provider: input.provider,
      last_error: input.error.slice(0, MAXIMUM_ERROR_LENGTH),
      updated_at: input.now,
      ...(input.nextAttemptAt ? { next_attempt_at: input.nextAttemptAt } : {}),
    })
    .where('borrower_id', '=', message.borrowerId)
    .where('id', '=', message.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', input.attempts)
    .execute();
}

/** Dead messages, oldest first after `afterId`, at most `limit`. */
export async function selectDeadMessages(db: Executor, limit: number, afterId: string | null): Promise<MessageRow[]> {
  let query = db.selectFrom('outbound_message').selectAll().where('status', '=', 'dead').orderBy('id').limit(limit);
  if (afterId) query = query.where('id', '>', afterId);
  return (await query.execute()).map(toRow);
}

export async function selectAcknowledgements(db: Executor, idempotencyKey: string): Promise<Array<{ segmentIndex: number; providerMessageId: string }>> {
  const rows = await db
    .selectFrom('message_segment_acknowledgement')
    .select(['segment_index', 'provider_message_id'])
    .where('idempotency_key', '=', idempotencyKey)
    .orderBy('segment_index')
    .execute();
  return rows.map((row) => ({ segmentIndex: row.segment_index, providerMessageId: row.provider_message_id }));
}

export async function insertAcknowledgement(
  db: Executor,
  input: { idempotencyKey: string; segmentIndex: number; segmentCount: number; providerMessageId: string; acknowledgedAt: Date },
): Promise<void> {
  await db
    .insertInto('message_segment_acknowledgement')
    .values({
      idempotency_key: input.idempotencyKey,
      segment_index: input.segmentIndex,
      segment_count: input.segmentCount,
      provider_message_id: input.providerMessageId,
      delivery_state: null,
      acknowledged_at: input.acknowledgedAt,
    })
    .onConflict((conflict) => conflict.columns(['idempotency_key', 'segment_index']).doNothing())
    .execute();
}

/** Stores a provider delivery state on the segment and on the message it belongs to. */
export async function updateDeliveryState(db: Executor, providerMessageId: string, state: string): Promise<number> {
  const segment = await db
    .updateTable('message_segment_acknowledgement')
    .set({ delivery_state: state })
    .where('provider_message_id', '=', providerMessageId)
    .returning('idempotency_key')
    .executeTakeFirst();
  let query = db.updateTable('outbound_message').set({ delivery_state: state });
  query = segment ? query.where('idempotency_key', '=', segment.idempotency_key) : query.where('provider_message_id', '=', providerMessageId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
