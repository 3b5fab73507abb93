import nodemailer, { type Transporter } from 'nodemailer';
import { assertSendable, ChannelError, type MessageChannel, type OutboundMessage, type SendOptions, type SendResult } from './message-channel.ts';

/**
 * Email over SMTP with nodemailer. The `Message-ID` is derived from the idempotency key, so every
 * attempt of one message carries the same id: a receiving system (and a person) recognises a resend.
 */
export interface SmtpChannelOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Refuse to send without STARTTLS. */
  requireTls?: boolean;
  user?: string | null;
  password?: string | null;
  /** The From address, e.g. "Lenity Collections <collections@lender.example>". */
  from: string;
  /** The domain after "@" in Message-IDs. */
  messageIdDomain: string;
  timeoutMs?: number;
}

/**
 * The Message-ID for an idempotency key: the key itself when it is safe in a header, otherwise its
 * base64url form.
 *
 * @example messageIdFor('msg_01J9', 'lender.example') // "<msg_01J9@lender.example>"
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const local = /^[A-Za-z0-9._-]{1,64}$/.test(idempotencyKey) ? idempotencyKey : `k.${Buffer.from(idempotencyKey, 'utf8').toString('base64url')}`;
  return `<${local}@${domain}>`;
}

export class SmtpChannel implements MessageChannel {
  readonly kind = 'email' as const;
  readonly provider = 'smtp';
  readonly #options: SmtpChannelOptions;
  readonly #transport: Transporter;

  constructor(options: SmtpChannelOptions) {
    this.#options = options;
    const timeoutMs = options.timeoutMs ?? 15_000;
    this.#transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      requireTLS: options.requireTls ?? false,
      ...(options.user ? { auth: { user: options.user, pass: options.password ?? '' } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  /**
   * Sends one email (plain text, UTF-8).
   *
   * @example await channel.send({ channel: 'email', to: 'a@b.example', subject: 'Payment reminder', body: '…', … }, { idempotencyKey: 'msg_1' })
   */
  async send(message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    assertSendable(message, options);
    const messageId = messageIdFor(options.idempotencyKey, this.#options.messageIdDomain);
    try {
      await this.#transport.sendMail({
        from: this.#options.from,
        to: message.to,
        subject: message.subject ?? '',
        text: message.body,
        messageId,
        headers: { 'Content-Language': message.language },
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx: the server refused this message for good (unknown mailbox, policy); 4xx and network: try again.
      const retryable = code === undefined || code < 500;
      throw new ChannelError(`SMTP delivery to ${this.#options.host}:${this.#options.port} failed: ${(error as Error).message}`, { retryable, cause: error });
    }
    return { providerMessageId: messageId, status: 'accepted' };
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}
