import { assertSendable, ChannelError, type MessageChannel, type OutboundMessage, type SendOptions, type SendResult } from './message-channel.ts';

/**
 * SMS through an HTTP provider: POST JSON `{ to, from, text, reference }` to the configured URL with an
 * `Idempotency-Key` header; the provider answers `{ id }` (or `{ messageId }`). A provider that honours
 * the header returns the first answer to a resend instead of sending again.
 */
export interface HttpSmsChannelOptions {
  url: string;
  /** Sent as `Authorization: Bearer …` when given. */
  token?: string | null;
  sourceAddress: string;
  timeoutMs?: number;
  /** The fetch implementation (the global one by default). */
  fetch?: typeof fetch;
}

// A provider's answer is small; anything larger is not an answer we understand.
const MAXIMUM_RESPONSE_LENGTH = 64_000;

export class HttpSmsChannel implements MessageChannel {
  readonly kind = 'sms' as const;
  readonly provider = 'http';
  readonly #options: HttpSmsChannelOptions;

  constructor(options: HttpSmsChannelOptions) {
    this.#options = options;
  }

  /**
   * Posts one message. 5xx, 408, 429 and network failures may be retried; other 4xx may not.
   *
   * @example await new HttpSmsChannel({ url, sourceAddress: 'Lenity' }).send(message, { idempotencyKey: 'msg_1' })
   */
  async send(message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    assertSendable(message, options);
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': options.idempotencyKey };
    if (this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(this.#options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: message.to, from: this.#options.sourceAddress, text: message.body, reference: options.idempotencyKey }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ChannelError(`The SMS provider at ${this.#options.url} could not be reached: ${(error as Error).message}`, { retryable: true, cause: error });
    }
    const text = (await response.text()).slice(0, MAXIMUM_RESPONSE_LENGTH);
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      throw new ChannelError(`The SMS provider answered ${response.status}: ${text.slice(0, 300)}`, { retryable });
    }
    let body: { id?: unknown; messageId?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (error) {
      throw new ChannelError('The SMS provider answered with something other than JSON.', { retryable: true, cause: error });
    }
    const id = body.id ?? body.messageId;
    if (typeof id !== 'string' || id.length === 0) throw new ChannelError('The SMS provider answered without a message id.', { retryable: true });
    return { providerMessageId: id, status: 'accepted' };
  }

  async close(): Promise<void> {}
}
