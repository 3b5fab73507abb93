import { parseContactRequest } from '../compliance/contact-request.ts';
import { evaluateAndRecord, storedOverlays } from '../compliance/receipt.service.ts';
import type { Executor } from '../db/transaction.ts';
import type { Clock } from '../shared/clock.ts';
import { validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { CHANNEL_KINDS, ChannelError, type ChannelKind, type MessageChannel, type MessageLanguage } from './channels/message-channel.ts';
import type { DeliveryReceipt, SegmentAcknowledgementStore } from './channels/smpp-channel.ts';
import { disputedLoans, loadContactFacts } from './contact-history.store.ts';
import { assertTemplateApproved } from './template.service.ts';
import {
  afterFailure,
  contactRequestAt,
  DEFAULT_DISPATCH_POLICY,
  type DispatchPolicy,
  gateOutcome,
  MAXIMUM_ATTEMPTS,
  validateDispatchPolicy,
  withCurrentContactFacts,
} from './dispatcher.ts';
import {
  findMessageByKey,
  insertAcknowledgement,
  insertMessage,
  type NewMessageRow,
  lockDueMessages,
  markAttemptFailed,
  markFinal,
  markRescheduled,
  markSending,
  markSent,
  type MessageRow,
  selectAcknowledgements,
  selectDeadMessages,
  updateDeliveryState,
} from './dispatch.store.ts';

/**
 * Outbound messages, at least once: enqueue, then dispatch in batches.
 *
 * A batch is claimed in one transaction (`FOR UPDATE SKIP LOCKED`, so workers never share a row):
 * the contact gate is asked again for each message at that instant and its receipt stored; allowed
 * messages are marked `sending` with a lease and the transaction commits BEFORE any provider is
 * called. Each message then goes to its channel with its idempotency key and is marked `sent`, or
 * `failed` with a backoff, or `dead` after its last attempt. A process that dies while sending leaves
 * rows `sending`; once the lease runs out they are claimed again and resent with the SAME key.
 */
export interface DispatchDependencies {
  db: Executor;
  clock: Clock;
  ids: IdGenerator;
  /** The channel that carries messages of a kind (see `channel-registry.ts`). */
  channelFor: (kind: ChannelKind) => MessageChannel;
  policy?: Partial<DispatchPolicy>;
  /** A lender overlay (JSON) applied to every gate evaluation. */
  overlay?: unknown | null;
}

export interface EnqueueMessageInput {
  borrowerId: string;
  channel: ChannelKind;
  to: string;
  subject?: string | null;
  body: string;
  language: MessageLanguage;
  idempotencyKey: string;
  /** The gate request (compliance-check.md) for this contact, without `at`: the dispatcher sets it when sending. */
  contactRequest: Record<string, unknown>;
  /** Not before this instant (default: now). */
  notBefore?: Date;
  maximumAttempts?: number;
  /** The stored template version the text was rendered from: refused unless it is approved. */
  template?: { id: string; version: number };
}

export interface EnqueueResult {
  id: string;
  /** created: a new message; exists: the key was already used for the same message. */
  outcome: 'created' | 'exists';
  status: string;
}

/**
 * Queues one message. The same idempotency key with the same content returns the first message; with
 * different content it is refused (IDEMPOTENCY_KEY_REUSED).
 *
 * @example
 * await enqueueMessage(db, { clock, ids }, { borrowerId: 'brw_1', channel: 'sms', to: '+8613800138000', body: '…',
 *   language: 'zh-CN', idempotencyKey: 'case_1:rung_2:2026-03-10', contactRequest: { policy: 'CN', attempt: { channel: 'sms', debtId: 'loan_1' } } })
 */
export async function enqueueMessage(db: Executor, dependencies: { clock: Clock; ids: IdGenerator }, input: EnqueueMessageInput): Promise<EnqueueResult> {
  const message = newMessage(dependencies, input);
  if (input.template) await assertTemplateApproved(db, input.template);
  const { row, created } = await insertMessage(db, message);
  const sameTemplate = row.template?.id === input.template?.id && row.template?.version === input.template?.version;
  if (!created && (row.body !== input.body || row.to !== input.to || row.channel !== input.channel || row.borrowerId !== input.borrowerId || !sameTemplate)) {
    throw validationError('idempotencyKey', 'was already used for a different message', 'IDEMPOTENCY_KEY_REUSED');
  }
  return { id: row.id, outcome: created ? 'created' : 'exists', status: row.status };
}

/**
 * A message to queue, checked: channel, key, attempts, and a stored request the gate accepts, about
 * this channel. `enqueueMessage` stores one; a run that queues many stores them with `insertMessages`
 * (a key already used is skipped), its templates known to be approved.
 *
 * @example const message = newMessage({ clock, ids }, { borrowerId: 'brw_1', channel: 'sms', to: '+8613800138000', body: '…', language: 'zh-CN', idempotencyKey: 'k', contactRequest })
 */
export function newMessage(dependencies: { clock: Clock; ids: IdGenerator }, input: EnqueueMessageInput): NewMessageRow {
  if (!CHANNEL_KINDS.includes(input.channel)) throw validationError('channel', `must be one of ${CHANNEL_KINDS.join(', ')}`);
  if (!input.idempotencyKey || input.idempotencyKey.length > 200) throw validationError('idempotencyKey', 'must hold 1 to 200 characters');
  const maximumAttempts = input.maximumAttempts ?? DEFAULT_DISPATCH_POLICY.maximumAttempts;
  if (!Number.isSafeInteger(maximumAttempts) || maximumAttempts < 1 || maximumAttempts > MAXIMUM_ATTEMPTS) {
    throw validationError('maximumAttempts', `must be an integer from 1 to ${MAXIMUM_ATTEMPTS}`);
  }
  const now = dependencies.clock.now();
  // The stored request must be one the gate accepts, and about this channel.
  const parsed = parseContactRequest({ ...input.contactRequest, at: now.toISOString() });
  if (parsed.attempt.channel !== input.channel) {
    throw validationError('contactRequest.attempt.channel', `must be "${input.channel}", the message's channel`);
  }
  return {
    id: dependencies.ids('msg'),
    borrowerId: input.borrowerId,
    channel: input.channel,
    to: input.to,
    subject: input.subject ?? null,
    body: input.body,
    language: input.language,
    idempotencyKey: input.idempotencyKey,
    maximumAttempts,
    nextAttemptAt: input.notBefore ?? now,
    contactRequest: input.contactRequest,
    template: input.template ?? null,
    now,
  };
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  denied: number;
  rescheduled: number;
}

const EMPTY_SUMMARY: DispatchSummary = { claimed: 0, sent: 0, retried: 0, dead: 0, denied: 0, rescheduled: 0 };
// The gate's history looks back 30 days: the longest window a pack counts.
const HISTORY_WINDOW_MS = 31 * 86_400_000;

/**
 * Claims one batch and sends it. Returns what happened to each claimed message.
 *
 * @example const summary = await dispatchBatch({ db, clock, ids, channelFor: registry.channelFor }) // { claimed: 3, sent: 3, … }
 */
export async function dispatchBatch(dependencies: DispatchDependencies): Promise<DispatchSummary> {
  const policy = validateDispatchPolicy({ ...DEFAULT_DISPATCH_POLICY, ...dependencies.policy });
  const summary = { ...EMPTY_SUMMARY };
  const claimed = await claimBatch(dependencies, policy, summary);
  for (const message of claimed) {
    const channel = dependencies.channelFor(message.channel as ChannelKind);
    const attempts = message.attempts + 1;
    try {
      const result = await channel.send(
        { borrowerId: message.borrowerId, channel: message.channel as ChannelKind, to: message.to, subject: message.subject, body: message.body, language: message.language as MessageLanguage },
        { idempotencyKey: message.idempotencyKey },
      );
      await markSent(dependencies.db, message, { attempts, provider: channel.provider, providerMessageId: result.providerMessageId, now: dependencies.clock.now() });
      summary.sent += 1;
    } catch (error) {
      const retryable = error instanceof ChannelError ? error.retryable : true;
      const now = dependencies.clock.now();
      const outcome = afterFailure({ attempts, maximumAttempts: message.maximumAttempts, retryable, nowMs: now.getTime() }, policy);
      await markAttemptFailed(dependencies.db, message, {
        attempts,
        status: outcome.status,
        nextAttemptAt: outcome.status === 'failed' ? new Date(outcome.nextAttemptAtMs) : null,
        provider: channel.provider,
        error: `attempt ${attempts}: ${(error as Error).message}`,
        now,
      });
      if (outcome.status === 'dead') summary.dead += 1;
      else summary.retried += 1;
    }
  }
  return summary;
}

/**
 * Dispatches batches until none is due or `maximumBatches` (≤ 1000) ran.
 *
 * @example await dispatchUntilIdle(dependencies, { maximumBatches: 10 })
 */
export async function dispatchUntilIdle(dependencies: DispatchDependencies, options: { maximumBatches?: number } = {}): Promise<DispatchSummary> {
  const maximumBatches = Math.min(Math.max(options.maximumBatches ?? 100, 1), 1_000);
  const total = { ...EMPTY_SUMMARY };
  for (let batch = 0; batch < maximumBatches; batch++) {
    const summary = await dispatchBatch(dependencies);
    for (const key of Object.keys(total) as Array<keyof DispatchSummary>) total[key] += summary[key];
    if (summary.claimed === 0) break;
  }
  return total;
}

// One transaction: lock due rows, ask the gate for each, mark the allowed ones `sending`. It commits
// before any provider is called, so a provider call never happens inside an open transaction and a
// crash afterwards leaves a visible `sending` row with a lease.
async function claimBatch(dependencies: DispatchDependencies, policy: DispatchPolicy, summary: DispatchSummary): Promise<MessageRow[]> {
  return dependencies.db.transaction().execute(async (transaction) => {
    const now = dependencies.clock.now();
    const rows = await lockDueMessages(transaction, now, policy.batchSize);
    summary.claimed = rows.length;
    // What the gate needs is read for the whole batch: a few queries, not a few per message.
    const borrowerIds = [...new Set(rows.map((row) => row.borrowerId))];
    const { flags, history } = await loadContactFacts(transaction, borrowerIds, new Date(now.getTime() - HISTORY_WINDOW_MS), { inFlightExcept: rows.map((row) => row.id) });
    const disputed = await disputedLoans(transaction, [...new Set(rows.map((row) => debtIdOf(row.contactRequest)))]);
    const overlayFor = dependencies.overlay != null ? async () => dependencies.overlay : storedOverlays(transaction);
    const claimed: MessageRow[] = [];
    for (const row of rows) {
      if (row.status === 'sending' && row.attempts >= row.maximumAttempts) {
        await markFinal(transaction, row, {
          status: 'dead',
          error: `the sender stopped during attempt ${row.attempts} of ${row.maximumAttempts}; the provider may have received it (idempotency key ${row.idempotencyKey})`,
          now,
        });
        summary.dead += 1;
        continue;
      }
      const debtId = debtIdOf(row.contactRequest);
      const current = withCurrentContactFacts(row.contactRequest, flags.get(row.borrowerId) ?? null, disputed.has(debtId) ? ['dispute'] : []);
      const past = history.get(row.borrowerId) ?? [];
      const request = contactRequestAt(current, now.getTime(), past);
      const { receiptId, decision } = await evaluateAndRecord(transaction, dependencies.ids, { borrowerId: row.borrowerId, request, overlay: await overlayFor(policyOf(row.contactRequest)) });
      const outcome = gateOutcome(decision);
      const reasons = decision.reasons.map((reason) => `${reason.code} (${reason.rule})`).join(', ');
      if (outcome.action === 'deny') {
        await markFinal(transaction, row, { status: 'denied', receiptId, error: `the contact gate refused: ${reasons}`, now });
        summary.denied += 1;
      } else if (outcome.action === 'reschedule') {
        await markRescheduled(transaction, row, { nextAttemptAt: new Date(outcome.atMs), receiptId, reason: `the contact gate deferred: ${reasons}`, now });
        summary.rescheduled += 1;
      } else {
        await markSending(transaction, row, { leaseUntil: new Date(now.getTime() + policy.leaseMs), receiptId, now });
        claimed.push(row);
        // The next message of this borrower in the batch counts this one: two texts claimed together
        // must not both pass a limit of one.
        if (row.channel !== 'call') {
          past.push({ at: now, channel: row.channel as ChannelKind, outcome: 'delivered', loanId: debtId });
          history.set(row.borrowerId, past);
        }
      }
    }
    return claimed;
  });
}

function policyOf(request: Record<string, unknown>): string {
  return typeof request.policy === 'string' ? request.policy : '';
}

function debtIdOf(request: unknown): string {
  const parsed = (typeof request === 'string' ? JSON.parse(request) : request) as { attempt?: { debtId?: unknown } };
  return typeof parsed.attempt?.debtId === 'string' ? parsed.attempt.debtId : 'unknown';
}

export interface DeadLetter {
  id: string;
  borrowerId: string;
  channel: string;
  to: string;
  idempotencyKey: string;
  attempts: number;
  lastError: string | null;
  provider: string | null;
}

/**
 * Messages that will not be tried again, for an operator to look at; at most `limit` (≤ 500) after `afterId`.
 *
 * @example await listDeadLetters(db, { limit: 50 })
 */
export async function listDeadLetters(db: Executor, options: { limit?: number; afterId?: string | null } = {}): Promise<DeadLetter[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await selectDeadMessages(db, limit, options.afterId ?? null);
  return rows.map((row) => ({
    id: row.id,
    borrowerId: row.borrowerId,
    channel: row.channel,
    to: row.to,
    idempotencyKey: row.idempotencyKey,
    attempts: row.attempts,
    lastError: row.lastError,
    provider: row.provider,
  }));
}

/**
 * A message by its idempotency key, with its dispatch state.
 *
 * @example (await findMessage(db, 'case_1:rung_2'))?.status // "sent"
 */
export async function findMessage(db: Executor, idempotencyKey: string): Promise<MessageRow | null> {
  return findMessageByKey(db, idempotencyKey);
}

/**
 * The SMPP adapter's acknowledgement records, kept in `message_segment_acknowledgement`. Each record
 * commits on its own (outside any batch transaction) so that it survives a crash right after it.
 *
 * @example new SmppChannel({ …, acknowledgements: createSegmentAcknowledgementStore(db) })
 */
export function createSegmentAcknowledgementStore(db: Executor): SegmentAcknowledgementStore {
  return {
    load: (idempotencyKey) => selectAcknowledgements(db, idempotencyKey),
    record: (acknowledgement) => insertAcknowledgement(db, acknowledgement),
  };
}

/**
 * Stores a delivery receipt's state on the message it belongs to; returns how many messages matched.
 *
 * @example await recordDeliveryReceipt(db, { providerMessageId: '42', state: 'DELIVRD' })
 */
export async function recordDeliveryReceipt(db: Executor, receipt: DeliveryReceipt): Promise<number> {
  if (!receipt.providerMessageId || receipt.providerMessageId.length > 200) throw validationError('providerMessageId', 'must hold 1 to 200 characters');
  return updateDeliveryState(db, receipt.providerMessageId, receipt.state.slice(0, 20));
}
