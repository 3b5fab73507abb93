import PDFDocument from 'pdfkit';
import type { Clock } from '../../shared/clock.ts';
import { assertSendable, ChannelError, type MessageChannel, type OutboundMessage, type SendOptions, type SendResult } from './message-channel.ts';

/**
 * Letters as PDF (pdfkit), handed to a sink (a folder the print-and-post process reads, in the
 * default setup). The built-in PDF fonts have no Chinese glyphs, so a letter with Chinese text needs a
 * font file: the configured one, or one the machine's fontconfig knows for `:lang=zh`. Without one
 * the letter is refused with an error that names what is missing, never rendered as empty boxes.
 */
export interface LetterSink {
  /** Stores the rendered PDF under the idempotency key (a resend overwrites the same letter) and says where. */
  store(idempotencyKey: string, pdf: Uint8Array): Promise<string>;
}

/** A font file with Chinese glyphs; `family` names the face inside a collection (.ttc). */
export interface CjkFont {
  path: string;
  family: string | null;
}

export interface LetterChannelOptions {
  sink: LetterSink;
  /** Finds a font with Chinese glyphs (fontconfig in production); called once, when a letter needs it. */
  findCjkFont: () => Promise<CjkFont | null>;
  /** The sender block printed at the top of every letter. */
  senderLines: readonly string[];
  clock: Clock;
}

// Han, CJK punctuation and full-width forms: characters the standard PDF fonts cannot draw.
const CJK_PATTERN = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const MAXIMUM_PDF_BYTES = 5_000_000;

export class LetterChannel implements MessageChannel {
  readonly kind = 'letter' as const;
  readonly provider = 'pdf';
  readonly #options: LetterChannelOptions;
  #font: Promise<CjkFont | null> | null = null;

  constructor(options: LetterChannelOptions) {
    this.#options = options;
  }

  /**
   * Renders and stores one letter; the provider message id is where the sink put it.
   *
   * @example await channel.send({ channel: 'letter', to: '1 High St\nLondon', subject: 'Your account', body: '…', … }, { idempotencyKey: 'msg_1' })
   */
  async send(message: OutboundMessage, options: SendOptions): Promise<SendResult> {
    assertSendable(message, options);
    const pdf = await this.render(message);
    const location = await this.#options.sink.store(options.idempotencyKey, pdf);
    return { providerMessageId: location, status: 'recorded' };
  }

  /**
   * The letter as PDF bytes.
   *
   * @example const pdf = await channel.render(message) // Uint8Array starting with "%PDF-"
   */
  async render(message: OutboundMessage): Promise<Uint8Array> {
    const text = [...this.#options.senderLines, message.to, message.subject ?? '', message.body].join('\n');
    let font: CjkFont | null = null;
    if (CJK_PATTERN.test(text)) {
      this.#font ??= this.#options.findCjkFont();
      font = await this.#font;
      if (font === null) {
        throw new ChannelError(
          'This letter has Chinese text and no font with Chinese glyphs was found: install one that fontconfig lists for `fc-list :lang=zh` ' +
            '(for example Noto Sans CJK SC, package fonts-noto-cjk) or set LENITY_LETTER_CJK_FONT to a .ttf/.otf/.ttc file.',
          { retryable: false },
        );
      }
    }
    const document = new PDFDocument({ size: 'A4', margin: 56, info: { Title: message.subject ?? 'Letter', CreationDate: this.#options.clock.now() } });
    const chunks: Buffer[] = [];
    let size = 0;
    const finished = new Promise<void>((resolve, reject) => {
      document.on('data', (chunk: Buffer) => {
        size += chunk.length;
        chunks.push(chunk);
      });
      document.on('end', () => resolve());
      document.on('error', reject);
    });
    try {
      if (font?.family) document.font(font.path, font.family);
      else if (font) document.font(font.path);
      else document.font('Helvetica');
      document.fontSize(10);
      for (const line of this.#options.senderLines) document.text(line);
      document.moveDown(2);
      for (const line of message.to.split('\n')) document.text(line);
      document.moveDown(2);
      document.text(this.#options.clock.now().toISOString().slice(0, 10));
      document.moveDown();
      if (message.subject) {
        document.fontSize(13).text(message.subject);
        document.fontSize(10).moveDown();
      }
      document.fontSize(11).text(message.body, { align: 'left', lineGap: 3 });
      document.end();
    } catch (error) {
      throw new ChannelError(`The letter could not be rendered: ${(error as Error).message}`, { retryable: false, cause: error });
    }
    await finished;
    if (size > MAXIMUM_PDF_BYTES) throw new ChannelError(`The letter renders to ${size} bytes; at most ${MAXIMUM_PDF_BYTES} are allowed.`, { retryable: false });
    return new Uint8Array(Buffer.concat(chunks));
  }

  async close(): Promise<void> {}
}
