import smpp, { type Pdu, type Session } from 'smpp';
import type { Clock } from '../../shared/clock.ts';
import { assertSendable, ChannelError, type MessageChannel, type OutboundMessage, type SendOptions, type SendResult } from './message-channel.ts';
import { concatenationReference, encodeSmsSegments, type SmsEncoders } from './sms-encoding.ts';

/**
 * SMS over SMPP 3.4/5.0: binds as a transceiver (submits and receives delivery receipts on one
 * session), sends Chinese text as UCS-2, splits long text into UDH-concatenated segments (or one
 * `message_payload`), and reads delivery receipts.
 *
 * SMPP has no idempotency key, so the adapter keeps one itself: every segment the centre acknowledges
 * (submit_sm_resp with a message id) is recorded through `acknowledgements` before the next segment
 * is submitted, and a resend of the same idempotency key skips every recorded segment. What remains
 * is the gap between the centre's acknowledgement and that record: a process killed inside it resends
 * that one segment. The segment carries the vendor TLV `lenity_reference` (key#segment) so a centre
 * that de-duplicates by it drops the copy; one that ignores the TLV may deliver it twice.
 */
export interface SegmentAcknowledgement {
  idempotencyKey: string;
  segmentIndex: number;
  segmentCount: number;
  providerMessageId: string;
  acknowledgedAt: Date;
}

/** Where acknowledgements are kept: the `message_segment_acknowledgement` table in production. */
export interface SegmentAcknowledgementStore {
  load(idempotencyKey: string): Promise<Array<{ segmentIndex: number; providerMessageId: string }>>;
  record(acknowledgement: SegmentAcknowledgement): Promise<void>;
}

export interface DeliveryReceipt {
  providerMessageId: string;
  /** The SMPP message state name, e.g. DELIVRD, UNDELIV, EXPIRED, REJECTD. */
  state: string;
}

export interface SmppChannelOptions {
  /** smpp://host:port or ssmpp://host:port */
  url: string;
  systemId: string;
  password: string;
  /** The sender: a short code, a number or an alphanumeric name. */
  sourceAddress: string;
  /** How text beyond one message travels: UDH-concatenated segments (default) or one message_payload. */
  longMessages?: 'udh' | 'message-payload';
  acknowledgements: SegmentAcknowledgementStore;
  onDeliveryReceipt?: (receipt: DeliveryReceipt) => Promise<void> | void;
  clock: Clock;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  enquireLinkPeriodMs?: number;
}

/** The vendor TLV (0x1400–0x3FFF is the vendor range) carrying `key#segment` for centres that de-duplicate. */
export const LENITY_REFERENCE_TLV = { tag: 'lenity_reference', id: 0x1401 } as const;
smpp.addTLV(LENITY_REFERENCE_TLV.tag, { id: LENITY_REFERENCE_TLV.id, type: smpp.types.tlv.cstring });

// Command statuses worth another try: the centre is busy or broken for now, not refusing the message.
const RETRYABLE_STATUSES = new Set([0x08, 0x14, 0x58, 0x64, 0x45]);
const MESSAGE_STATES: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };
const MAXIMUM_PAYLOAD_OCTETS = 1_600;

const LIBRARY_ENCODERS: SmsEncoders = {
  gsmMatches: (text) => smpp.encodings.ASCII.match(text),
  encodeGsm: (text) => smpp.encodings.ASCII.encode(text),
  encodeUcs2: (text) => smpp.encodings.UCS2.encode(text),
};

export class SmppChannel implements MessageChannel {
  readonly kind = 'sms' as const;
  readonly provider = 'smpp';
  readonly #options: SmppChannelOptions;
  #session: Promise<Session> | null = null;
  readonly #pending = new Set<(error: Error) => void>();

  constructor(options: SmppChannelOptions) {
    this.#options = options;
  }

  /**
   * Submits the message's segments that the centre has not yet acknowledged.
   *
   * @example await new SmppChannel(options).send({ channel: 'sms', to: '+8613800138000', body: '…', … }, { idempotencyKey: 'msg_1' })
   */
  async send(message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    assertSendable(message, options);
    let encoded;
    try {
      encoded = encodeSmsSegments(message.body, concatenationReference(options.idempotencyKey), LIBRARY_ENCODERS);
    } catch (error) {
      throw new ChannelError((error as Error).message, { retryable: false, cause: error });
    }
    const usePayload = (this.#options.longMessages ?? 'udh') === 'message-payload' && encoded.segments.length > 1;
    if (usePayload && encoded.payload.length > MAXIMUM_PAYLOAD_OCTETS) {
      throw new ChannelError(`The text needs ${encoded.payload.length} octets; message_payload is limited to ${MAXIMUM_PAYLOAD_OCTETS}.`, { retryable: false });
    }
    const parts = usePayload ? [encoded.payload] : encoded.segments;
    const acknowledged = new Map<number, string>();
    for (const row of await this.#options.acknowledgements.load(options.idempotencyKey)) acknowledged.set(row.segmentIndex, row.providerMessageId);
    const session = parts.length > acknowledged.size ? await this.#bind() : null;
    const destination = message.to.replace(/^\+/, '');
    for (let index = 0; index < parts.length; index++) {
      if (acknowledged.has(index)) continue;
      const part = Buffer.from(parts[index]!);
      const response = await this.#submit(session!, {
        source_addr_ton: /^\+?\d+$/.test(this.#options.sourceAddress) ? 1 : 5,
        source_addr_npi: /^\+?\d+$/.test(this.#options.sourceAddress) ? 1 : 0,
        source_addr: this.#options.sourceAddress,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: destination,
        data_coding: encoded.dataCoding,
        esm_class: usePayload ? 0x00 : encoded.esmClass,
        registered_delivery: 0x01,
        ...(usePayload ? { message_payload: part } : { short_message: part }),
        [LENITY_REFERENCE_TLV.tag]: `${options.idempotencyKey}#${index}`,
      });
      if (response.command_status !== smpp.ESME_ROK) {
        const retryable = RETRYABLE_STATUSES.has(response.command_status);
        throw new ChannelError(`The SMPP centre refused segment ${index + 1} of ${parts.length} with status 0x${response.command_status.toString(16)}.`, { retryable });
      }
      const providerMessageId = String(response.message_id ?? '');
      if (!providerMessageId) throw new ChannelError('The SMPP centre acknowledged a segment without a message id.', { retryable: true });
      // Recorded before the next segment goes: a resend after a crash starts after this one.
      await this.#options.acknowledgements.record({
        idempotencyKey: options.idempotencyKey,
        segmentIndex: index,
        segmentCount: parts.length,
        providerMessageId,
        acknowledgedAt: this.#options.clock.now(),
      });
      acknowledged.set(index, providerMessageId);
    }
    const ids = [...acknowledged.entries()].sort(([a], [b]) => a - b).map(([, id]) => id);
    return { providerMessageId: ids.join(','), status: 'accepted' };
  }

  async close(): Promise<void> {
    const pending = this.#session;
    this.#session = null;
    if (!pending) return;
    const session = await pending.catch(() => null);
    if (!session) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => session.destroy(() => resolve()), 1_000);
      session.unbind({}, () => {
        clearTimeout(timer);
        session.close(() => resolve());
      });
    });
  }

  #bind(): Promise<Session> {
    if (this.#session) return this.#session;
    const connectTimeoutMs = this.#options.connectTimeoutMs ?? 10_000;
    const attempt = new Promise<Session>((resolve, reject) => {
      const session = smpp.connect({ url: this.#options.url, auto_enquire_link_period: this.#options.enquireLinkPeriodMs ?? 30_000 });
      let settled = false;
      const fail = (error: ChannelError) => {
        if (this.#session === attempt) this.#session = null;
        for (const reject of this.#pending) reject(error);
        this.#pending.clear();
        if (!settled) {
          settled = true;
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        fail(new ChannelError(`No SMPP bind within ${connectTimeoutMs} ms to ${this.#options.url}.`, { retryable: true }));
        session.destroy();
      }, connectTimeoutMs);
      session.on('error', (error: Error) => {
        clearTimeout(timer);
        fail(new ChannelError(`SMPP connection to ${this.#options.url} failed: ${error.message}`, { retryable: true, cause: error }));
      });
      session.on('close', () => {
        clearTimeout(timer);
        fail(new ChannelError('The SMPP session closed.', { retryable: true }));
      });
      session.on('deliver_sm', (pdu: Pdu) => this.#receive(session, pdu));
      session.on('connect', () => {
        session.bind_transceiver({ system_id: this.#options.systemId, password: this.#options.password }, (response) => {
          clearTimeout(timer);
          if (response.command_status === smpp.ESME_ROK) {
            settled = true;
            resolve(session);
            return;
          }
          fail(new ChannelError(`The SMPP centre refused the bind (status 0x${response.command_status.toString(16)}).`, { retryable: false }));
          session.destroy();
        });
      });
    });
    this.#session = attempt;
    return attempt;
  }

  #submit(session: Session, parameters: Record<string, unknown>): Promise<Pdu> {
    const responseTimeoutMs = this.#options.responseTimeoutMs ?? 10_000;
    return new Promise<Pdu>((resolve, reject) => {
      const rejectPending = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => {
        this.#pending.delete(rejectPending);
        reject(new ChannelError(`No submit_sm_resp within ${responseTimeoutMs} ms.`, { retryable: true }));
      }, responseTimeoutMs);
      this.#pending.add(rejectPending);
      session.submit_sm(parameters, (response) => {
        clearTimeout(timer);
        this.#pending.delete(rejectPending);
        resolve(response);
      });
    });
  }

  // A deliver_sm is either a delivery receipt (esm_class bits 2–5 = 0x04) or a reply from the handset.
  #receive(session: Session, pdu: Pdu): void {
    session.send(pdu.response());
    if ((pdu.esm_class & 0x3c) !== 0x04) return;
    const receipt = parseDeliveryReceipt(pdu as { receipted_message_id?: unknown; message_state?: unknown; short_message?: unknown });
    if (receipt && this.#options.onDeliveryReceipt) {
      Promise.resolve(this.#options.onDeliveryReceipt(receipt)).catch(() => {
        // A receipt that cannot be stored is lost, not fatal: the message itself was sent.
      });
    }
  }
}

/**
 * Reads a delivery receipt: the TLVs `receipted_message_id` and `message_state` when present,
 * otherwise the SMPP appendix B text ("id:… sub:… dlvrd:… stat:DELIVRD …").
 *
 * @example parseDeliveryReceipt({ short_message: { message: 'id:42 stat:DELIVRD' } }) // { providerMessageId: '42', state: 'DELIVRD' }
 */
export function parseDeliveryReceipt(pdu: { receipted_message_id?: unknown; message_state?: unknown; short_message?: unknown }): DeliveryReceipt | null {
  const text = typeof pdu.short_message === 'string' ? pdu.short_message : String((pdu.short_message as { message?: unknown } | undefined)?.message ?? '');
  const id = typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : /\bid:(\S+)/i.exec(text)?.[1];
  const state = typeof pdu.message_state === 'number' ? MESSAGE_STATES[pdu.message_state] : /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!id || !state) return null;
  return { providerMessageId: id, state };
}
