import type { Executor } from '../../db/transaction.ts';
import type { Clock } from '../../shared/clock.ts';
import type { IdGenerator } from '../../shared/ids.ts';
import { validationError } from '../../shared/errors.ts';
import { assertSendable, type MessageChannel, type OutboundMessage, type SendOptions, type SendResult } from './message-channel.ts';

/**
 * Calls are made by people: "sending" a call creates an agent task with the number and the script
 * (the click-to-dial port the workbench dials through), and the outcome is logged when the agent
 * finishes. One task per idempotency key, so a resend does not create a second call.
 */
export const CALL_OUTCOMES = ['no-answer', 'voicemail', 'connected', 'conversation', 'refused-contact', 'wrong-number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

const MAXIMUM_NOTE_LENGTH = 2_000;

/** What dials a number for an agent (a softphone or telephony provider); the workbench calls it. */
export interface ClickToDial {
  dial(input: { taskId: string; agentId: string; phone: string }): Promise<{ callId: string }>;
}

export class CallTaskChannel implements MessageChannel {
  readonly kind = 'call' as const;
  readonly provider = 'call-task';
  readonly #db: Executor;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;

  constructor(dependencies: { db: Executor; clock: Clock; ids: IdGenerator }) {
    this.#db = dependencies.db;
    this.#clock = dependencies.clock;
    this.#ids = dependencies.ids;
  }

  /**
   * Creates the agent's call task (once per idempotency key); the provider message id is the task id.
   *
   * @example await new CallTaskChannel({ db, clock, ids }).send({ channel: 'call', to: '+8613800138000', body: 'Script…', … }, { idempotencyKey: 'msg_1' })
   */
  async send(message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    assertSendable(message, options);
    await this.#db
      .insertInto('call_task')
      .values({
        id: this.#ids('task'),
        borrower_id: message.borrowerId,
        idempotency_key: options.idempotencyKey,
        phone: message.to,
        script: message.body,
        language: message.language,
        status: 'open',
        agent_id: null,
        outcome: null,
        outcome_note: null,
        created_at: this.#clock.now(),
        completed_at: null,
      })
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
      .execute();
    const row = await this.#db.selectFrom('call_task').select('id').where('idempotency_key', '=', options.idempotencyKey).executeTakeFirstOrThrow();
    return { providerMessageId: row.id, status: 'recorded' };
  }

  async close(): Promise<void> {}
}

/**
 * Dials an open task's number for the agent through the click-to-dial port and assigns the task to them.
 *
 * @example await dialCallTask(db, dialer, { taskId: 'task_1', agentId: 'usr_7' }) // { callId: '…' }
 */
export async function dialCallTask(db: Executor, dialer: ClickToDial, input: { taskId: string; agentId: string }): Promise<{ callId: string }> {
  const task = await db.selectFrom('call_task').select(['id', 'phone', 'status']).where('id', '=', input.taskId).executeTakeFirst();
  if (!task) throw validationError('taskId', `no call task "${input.taskId}"`);
  if (task.status !== 'open') throw validationError('taskId', `call task "${input.taskId}" is already done`);
  await db.updateTable('call_task').set({ agent_id: input.agentId }).where('id', '=', input.taskId).execute();
  return dialer.dial({ taskId: task.id, agentId: input.agentId, phone: task.phone });
}

/**
 * Logs how a call went and closes its task. Logging the same outcome again is accepted; a different
 * outcome for a closed task is refused.
 *
 * @example await logCallOutcome(db, clock, { taskId: 'task_1', agentId: 'usr_7', outcome: 'conversation', note: 'Promised to pay Friday' })
 */
export async function logCallOutcome(
  db: Executor,
  clock: Clock,
  input: { taskId: string; agentId: string; outcome: CallOutcome; note?: string | null },
): Promise<void> {
  if (!(CALL_OUTCOMES as readonly string[]).includes(input.outcome)) throw validationError('outcome', `must be one of ${CALL_OUTCOMES.join(', ')}`);
  const note = input.note ?? null;
  if (note !== null && note.length > MAXIMUM_NOTE_LENGTH) throw validationError('note', `must hold at most ${MAXIMUM_NOTE_LENGTH} characters`);
  const task = await db.selectFrom('call_task').select(['status', 'outcome']).where('id', '=', input.taskId).executeTakeFirst();
  if (!task) throw validationError('taskId', `no call task "${input.taskId}"`);
  if (task.status === 'done') {
    if (task.outcome === input.outcome) return;
    throw validationError('outcome', `call task "${input.taskId}" was already closed as "${task.outcome}"`);
  }
  await db
    .updateTable('call_task')
    .set({ status: 'done', outcome: input.outcome, outcome_note: note, agent_id: input.agentId, completed_at: clock.now() })
    .where('id', '=', input.taskId)
    .where('status', '=', 'open')
    .execute();
}
