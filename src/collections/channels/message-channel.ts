/**
 * The port every outbound channel implements: one message in, the provider's id for it out. Adapters
 * (SMPP, HTTP SMS, SMTP, PDF letters, call tasks, the demo outbox) live beside this file and are
 * chosen by configuration in `channel-registry.ts`.
 */
export type ChannelKind = 'sms' | 'email' | 'letter' | 'call';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['sms', 'email', 'letter', 'call'];

export type MessageLanguage = 'zh-CN' | 'en';

export interface OutboundMessage {
  borrowerId: string;
  channel: ChannelKind;
  /** A phone number (E.164) for SMS and calls, an address for email, a postal address for letters. */
  to: string;
  /** Email subject or letter heading; null for SMS and calls. */
  subject: string | null;
  body: string;
  language: MessageLanguage;
}

export interface SendOptions {
  /**
   * The same key on every attempt of one message: providers that honour it (HTTP `Idempotency-Key`,
   * the email `Message-ID`, the SMPP acknowledgement records) recognise a resend.
   */
  idempotencyKey: string;
}

/** accepted: the provider took it; recorded: written where a person will act on it (outbox, call task, letter file). */
export type SendStatus = 'accepted' | 'recorded';

export interface SendResult {
  providerMessageId: string;
  status: SendStatus;
}

export interface MessageChannel {
  readonly kind: ChannelKind;
  /** The adapter's name as stored with each message, e.g. "smpp", "http", "smtp", "outbox". */
  readonly provider: string;
  /**
   * Sends one message. Throws `ChannelError` on failure, saying whether trying again may help.
   *
   * @example const { providerMessageId } = await channel.send(message, { idempotencyKey: 'msg_01J…' })
   */
  send(message: OutboundMessage, options: SendOptions): Promise<SendResult>;
  /** Releases connections; safe to call more than once. */
  close(): Promise<void>;
}

/** A failed send: `retryable` false when trying again cannot help (a refused number, an invalid body). */
export class ChannelError extends Error {
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChannelError';
    this.retryable = options.retryable;
  }
}

// Limits on what one message may hold, whatever the channel.
export const MAXIMUM_BODY_LENGTH = 10_000;
export const MAXIMUM_RECIPIENT_LENGTH = 500;
export const MAXIMUM_IDEMPOTENCY_KEY_LENGTH = 200;

/** Refuses a message or key beyond the limits, before any provider sees it. */
export function assertSendable(message: OutboundMessage, options: SendOptions): void {
  if (!options.idempotencyKey || options.idempotencyKey.length > MAXIMUM_IDEMPOTENCY_KEY_LENGTH) {
    throw new ChannelError(`The idempotency key must hold 1 to ${MAXIMUM_IDEMPOTENCY_KEY_LENGTH} characters.`, { retryable: false });
  }
  if (!message.to || message.to.length > MAXIMUM_RECIPIENT_LENGTH) {
    throw new ChannelError(`The recipient must hold 1 to ${MAXIMUM_RECIPIENT_LENGTH} characters.`, { retryable: false });
  }
  if (message.body.length === 0 || message.body.length > MAXIMUM_BODY_LENGTH) {
    throw new ChannelError(`The body must hold 1 to ${MAXIMUM_BODY_LENGTH} characters.`, { retryable: false });
  }
}
