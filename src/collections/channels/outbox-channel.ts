import type { Executor } from '../../db/transaction.ts';
import type { Clock } from '../../shared/clock.ts';
import type { IdGenerator } from '../../shared/ids.ts';
import { assertSendable, type ChannelKind, type MessageChannel, type OutboundMessage, type SendOptions, type SendResult } from './message-channel.ts';

/**
 * The embedded demo's provider: nothing leaves the machine; each message is recorded in
 * `outbox_message` so people can see what would have been sent. The idempotency key is unique there,
 * so a resend finds the first record instead of adding another.
 */
export class OutboxChannel implements MessageChannel {
  readonly kind: ChannelKind;
  readonly provider = 'outbox';
  readonly #db: Executor;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;

  constructor(kind: ChannelKind, dependencies: { db: Executor; clock: Clock; ids: IdGenerator }) {
    this.kind = kind;
    this.#db = dependencies.db;
    this.#clock = dependencies.clock;
    this.#ids = dependencies.ids;
  }

  /**
   * Records the message (once per idempotency key).
   *
   * @example await new OutboxChannel('sms', { db, clock, ids }).send(message, { idempotencyKey: 'msg_1' }) // { providerMessageId: 'msg_…', status: 'recorded' }
   */
  async send(message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    assertSendable(message, options);
    await this.#db
      .insertInto('outbox_message')
      .values({
        id: this.#ids('msg'),
        borrower_id: message.borrowerId,
        idempotency_key: options.idempotencyKey,
        channel: message.channel,
        recipient: message.to,
        subject: message.subject,
        body: message.body,
        recorded_at: this.#clock.now(),
      })
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
      .execute();
    const row = await this.#db.selectFrom('outbox_message').select('id').where('idempotency_key', '=', options.idempotencyKey).executeTakeFirstOrThrow();
    return { providerMessageId: row.id, status: 'recorded' };
  }

  async close(): Promise<void> {}
}

export interface OutboxEntry {
  id: string;
  borrowerId: string;
  channel: string;
  to: string;
  subject: string | null;
  body: string;
  recordedAt: Date;
}

/**
 * What the outbox holds, newest first, at most `limit` (≤ 500) entries: what the demo shows.
 *
 * @example await listOutbox(db, { limit: 20 })
 */
export async function listOutbox(db: Executor, options: { borrowerId?: string; limit?: number } = {}): Promise<OutboxEntry[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  let query = db.selectFrom('outbox_message').selectAll().orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(limit);
  if (options.borrowerId) query = query.where('borrower_id', '=', options.borrowerId);
  const rows = await query.execute();
  return rows.map((row) => ({ id: row.id, borrowerId: row.borrower_id, channel: row.channel, to: row.recipient, subject: row.subject, body: row.body, recordedAt: row.recorded_at }));
}
