import type { Executor } from '../../db/transaction.ts';
import type { Clock } from '../../shared/clock.ts';
import { validationError } from '../../shared/errors.ts';
import type { IdGenerator } from '../../shared/ids.ts';
import { CallTaskChannel } from './call-task-channel.ts';
import { HttpSmsChannel } from './http-sms-channel.ts';
import { type CjkFont, LetterChannel, type LetterSink } from './letter-channel.ts';
import type { ChannelKind, MessageChannel } from './message-channel.ts';
import { OutboxChannel } from './outbox-channel.ts';
import { type DeliveryReceipt, type SegmentAcknowledgementStore, SmppChannel } from './smpp-channel.ts';
import { SmtpChannel } from './smtp-channel.ts';

/**
 * Chooses each channel's provider from configuration (environment variables):
 *
 * | variable | values | default |
 * |---|---|---|
 * | LENITY_SMS_PROVIDER | smpp, http, outbox | outbox |
 * | LENITY_SMPP_URL, LENITY_SMPP_SYSTEM_ID, LENITY_SMPP_PASSWORD | smpp://host:port, bind credentials | required for smpp |
 * | LENITY_SMPP_LONG_MESSAGES | udh, message-payload | udh |
 * | LENITY_SMS_HTTP_URL, LENITY_SMS_HTTP_TOKEN | provider endpoint, bearer token | URL required for http |
 * | LENITY_SMS_SENDER | sender id or number | Lenity |
 * | LENITY_EMAIL_PROVIDER | smtp, outbox | outbox |
 * | LENITY_SMTP_URL | smtp://user:password@host:587 or smtps://…:465 | required for smtp |
 * | LENITY_EMAIL_FROM, LENITY_EMAIL_MESSAGE_ID_DOMAIN | From address, Message-ID domain | required for smtp |
 * | LENITY_LETTER_PROVIDER | pdf, outbox | outbox |
 * | LENITY_LETTER_DIR, LENITY_LETTER_SENDER, LENITY_LETTER_CJK_FONT | folder, sender lines (\| separated), font file | ./.lenity/letters |
 *
 * Calls always become agent call tasks.
 */
export interface ChannelRegistry {
  channelFor(kind: ChannelKind): MessageChannel;
  /** Provider names by kind, for logs and the operator console. */
  describe(): Record<ChannelKind, string>;
  close(): Promise<void>;
}

export interface ChannelRegistryDependencies {
  db: Executor;
  clock: Clock;
  ids: IdGenerator;
  /** SMPP segment acknowledgements (see `createSegmentAcknowledgementStore`). */
  acknowledgements: SegmentAcknowledgementStore;
  onDeliveryReceipt?: (receipt: DeliveryReceipt) => Promise<void> | void;
  /** Where PDF letters go and how a Chinese font is found (see `letter-files.store.ts`). */
  letterSink: (folder: string) => LetterSink;
  findCjkFont: (configuredPath: string | null) => Promise<CjkFont | null>;
}

/**
 * Builds the channels the environment configures; a missing or unknown setting is a VALIDATION_FAILED
 * error naming the variable.
 *
 * @example
 * const registry = createChannelRegistry(process.env, { db, clock, ids, acknowledgements: createSegmentAcknowledgementStore(db),
 *   letterSink: createLetterFolderSink, findCjkFont })
 * registry.channelFor('sms').provider // "outbox" unless LENITY_SMS_PROVIDER says otherwise
 */
export function createChannelRegistry(environment: Record<string, string | undefined>, dependencies: ChannelRegistryDependencies): ChannelRegistry {
  const read = (name: string): string | null => environment[name]?.trim() || null;
  const required = (name: string, why: string): string => {
    const value = read(name);
    if (!value) throw validationError(name, `is required ${why}`);
    return value;
  };
  const choose = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = read(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) throw validationError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  };
  const sender = read('LENITY_SMS_SENDER') ?? 'Lenity';
  const base = { db: dependencies.db, clock: dependencies.clock, ids: dependencies.ids };

  const smsProvider = choose('LENITY_SMS_PROVIDER', ['smpp', 'http', 'outbox'] as const, 'outbox');
  let sms: MessageChannel;
  if (smsProvider === 'smpp') {
    const longMessages = choose('LENITY_SMPP_LONG_MESSAGES', ['udh', 'message-payload'] as const, 'udh');
    sms = new SmppChannel({
      url: required('LENITY_SMPP_URL', 'when LENITY_SMS_PROVIDER is smpp'),
      systemId: required('LENITY_SMPP_SYSTEM_ID', 'when LENITY_SMS_PROVIDER is smpp'),
      password: read('LENITY_SMPP_PASSWORD') ?? '',
      sourceAddress: sender,
      longMessages,
      acknowledgements: dependencies.acknowledgements,
      ...(dependencies.onDeliveryReceipt ? { onDeliveryReceipt: dependencies.onDeliveryReceipt } : {}),
      clock: dependencies.clock,
    });
  } else if (smsProvider === 'http') {
    sms = new HttpSmsChannel({ url: required('LENITY_SMS_HTTP_URL', 'when LENITY_SMS_PROVIDER is http'), token: read('LENITY_SMS_HTTP_TOKEN'), sourceAddress: sender });
  } else {
    sms = new OutboxChannel('sms', base);
  }

  const emailProvider = choose('LENITY_EMAIL_PROVIDER', ['smtp', 'outbox'] as const, 'outbox');
  let email: MessageChannel;
  if (emailProvider === 'smtp') {
    const url = new URL(required('LENITY_SMTP_URL', 'when LENITY_EMAIL_PROVIDER is smtp'));
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw validationError('LENITY_SMTP_URL', 'must start with smtp:// or smtps://');
    const secure = url.protocol === 'smtps:';
    email = new SmtpChannel({
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      user: url.username ? decodeURIComponent(url.username) : null,
      password: url.password ? decodeURIComponent(url.password) : null,
      from: required('LENITY_EMAIL_FROM', 'when LENITY_EMAIL_PROVIDER is smtp'),
      messageIdDomain: required('LENITY_EMAIL_MESSAGE_ID_DOMAIN', 'when LENITY_EMAIL_PROVIDER is smtp'),
    });
  } else {
    email = new OutboxChannel('email', base);
  }

  const letterProvider = choose('LENITY_LETTER_PROVIDER', ['pdf', 'outbox'] as const, 'outbox');
  const letter: MessageChannel =
    letterProvider === 'pdf'
      ? new LetterChannel({
          sink: dependencies.letterSink(read('LENITY_LETTER_DIR') ?? './.lenity/letters'),
          findCjkFont: () => dependencies.findCjkFont(read('LENITY_LETTER_CJK_FONT')),
          senderLines: (read('LENITY_LETTER_SENDER') ?? 'Lenity').split('|').slice(0, 8),
          clock: dependencies.clock,
        })
      : new OutboxChannel('letter', base);

  const channels: Record<ChannelKind, MessageChannel> = { sms, email, letter, call: new CallTaskChannel(base) };
  return {
    channelFor: (kind) => channels[kind],
    describe: () => ({ sms: sms.provider, email: email.provider, letter: letter.provider, call: channels.call.provider }),
    close: async () => {
      await Promise.all(Object.values(channels).map((channel) => channel.close()));
    },
  };
}
