import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallTaskChannel, dialCallTask, logCallOutcome } from '../src/collections/channels/call-task-channel.ts';
import { createChannelRegistry } from '../src/collections/channels/channel-registry.ts';
import { HttpSmsChannel } from '../src/collections/channels/http-sms-channel.ts';
import { LetterChannel } from '../src/collections/channels/letter-channel.ts';
import { createLetterFolderSink, findCjkFont } from '../src/collections/channels/letter-files.store.ts';
import { ChannelError, type ChannelKind, type MessageChannel, type OutboundMessage } from '../src/collections/channels/message-channel.ts';
import { listOutbox, OutboxChannel } from '../src/collections/channels/outbox-channel.ts';
import { SmppChannel } from '../src/collections/channels/smpp-channel.ts';
import { SmtpChannel } from '../src/collections/channels/smtp-channel.ts';
import { loadContactFacts } from '../src/collections/contact-history.store.ts';
import { createSegmentAcknowledgementStore, dispatchBatch, enqueueMessage, findMessage, listDeadLetters, recordDeliveryReceipt } from '../src/collections/dispatch.service.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase } from './support/database.ts';
import { testDependencies } from './support/fixtures.ts';
import { startHttpSmsTestServer, startSmppTestServer, startSmtpTestServer, type HttpSmsTestServer, type SmppTestServer, type SmtpTestServer } from './fixtures/collections-servers.ts';

const START = '2026-03-10T02:00:00Z'; // 10:00 in Shanghai
const sms = (body: string, to = '+8613800138000'): OutboundMessage => ({ borrowerId: 'brw_1', channel: 'sms', to, subject: null, body, language: 'zh-CN' });
const cnRequest = (channel: string, overrides: Record<string, unknown> = {}) => ({ policy: 'CN', borrower: { timeZones: ['Asia/Shanghai'], ...overrides }, attempt: { channel, debtId: 'loan_1' } });

describe('collections channels and dispatcher', () => {
  let handle: DatabaseHandle;
  let smsc: SmppTestServer;
  let smtp: SmtpTestServer;
  let http: HttpSmsTestServer;
  let letters: string;
  const dependencies = testDependencies(7, START);

  beforeAll(async () => {
    handle = await openTestDatabase();
    smsc = await startSmppTestServer();
    smtp = await startSmtpTestServer();
    http = await startHttpSmsTestServer();
    letters = await mkdtemp(join(tmpdir(), 'lenity-letters-'));
  });
  afterAll(async () => {
    await Promise.all([smsc.close(), smtp.close(), http.close()]);
    await rm(letters, { recursive: true, force: true });
    await handle.close();
  });

  describe('SMPP', () => {
    const channel = () => new SmppChannel({ url: smsc.url, systemId: 'lenity', password: 'secret', sourceAddress: 'Lenity', acknowledgements: createSegmentAcknowledgementStore(handle.db), clock: dependencies.clock });

    it('sends Chinese text as UCS-2 in one segment', async () => {
      const smpp = channel();
      const result = await smpp.send(sms('【Lenity】您的还款日是明天。回复TD退订'), { idempotencyKey: 'smpp-zh' });
      await smpp.close();
      const arrival = smsc.arrivals.find((item) => item.reference === 'smpp-zh#0')!;
      expect(arrival.dataCoding).toBe(0x08);
      expect(arrival.text).toBe('【Lenity】您的还款日是明天。回复TD退订');
      expect(arrival.destination).toBe('8613800138000');
      expect(result.providerMessageId).toBe(smsc.accepted.get('smpp-zh#0'));
    });

    it('splits a long GSM text into UDH segments with one reference, and skips acknowledged segments on a resend', async () => {
      const smpp = channel();
      const body = `${'Your payment is due. '.repeat(20)}Reply STOP to opt out.`;
      const first = await smpp.send(sms(body, '+447700900001'), { idempotencyKey: 'smpp-long' });
      const again = await smpp.send(sms(body, '+447700900001'), { idempotencyKey: 'smpp-long' });
      await smpp.close();
      const arrivals = smsc.arrivals.filter((item) => item.reference?.startsWith('smpp-long#'));
      expect(arrivals).toHaveLength(3);
      expect(arrivals.every((item) => item.esmClass === 0x40 && item.dataCoding === 0x00)).toBe(true);
      // Information element 0x00 (concatenation, 8-bit reference): reference, total, sequence.
      const reference = arrivals[0]!.udh[0]![2];
      expect(arrivals.map((item) => item.udh[0])).toEqual([[0, 3, reference, 3, 1], [0, 3, reference, 3, 2], [0, 3, reference, 3, 3]]);
      expect(arrivals.map((item) => item.text).join('')).toBe(body);
      expect(again.providerMessageId).toBe(first.providerMessageId);
    });

    it('sends a long text as one message_payload when configured', async () => {
      const smpp = new SmppChannel({ url: smsc.url, systemId: 'lenity', password: 'secret', sourceAddress: '10690000', longMessages: 'message-payload', acknowledgements: createSegmentAcknowledgementStore(handle.db), clock: dependencies.clock });
      const body = '您好'.repeat(60);
      await smpp.send(sms(body), { idempotencyKey: 'smpp-payload' });
      await smpp.close();
      const arrivals = smsc.arrivals.filter((item) => item.reference?.startsWith('smpp-payload#'));
      expect(arrivals).toHaveLength(1);
      expect(arrivals[0]!.payload).toBe(true);
      expect(arrivals[0]!.text).toBe(body);
    });

    it('refuses a bind with wrong credentials without retrying, and text beyond the segment limit', async () => {
      const wrong = new SmppChannel({ url: smsc.url, systemId: 'lenity', password: 'wrong', sourceAddress: 'Lenity', acknowledgements: createSegmentAcknowledgementStore(handle.db), clock: dependencies.clock });
      await expect(wrong.send(sms('hello'), { idempotencyKey: 'smpp-wrong' })).rejects.toMatchObject({ name: 'ChannelError', retryable: false });
      await wrong.close();
      await expect(channel().send(sms('长'.repeat(1_000)), { idempotencyKey: 'smpp-too-long' })).rejects.toMatchObject({ retryable: false });
    });

    it('reads delivery receipts and stores their state on the message', async () => {
      let received: Promise<void> = Promise.resolve();
      const smpp = new SmppChannel({
        url: smsc.url, systemId: 'lenity', password: 'secret', sourceAddress: 'Lenity', acknowledgements: createSegmentAcknowledgementStore(handle.db), clock: dependencies.clock,
        onDeliveryReceipt: (receipt) => {
          received = recordDeliveryReceipt(handle.db, receipt).then(() => {});
        },
      });
      await enqueueMessage(handle.db, dependencies, { borrowerId: 'brw_dr', channel: 'sms', to: '+8613800138001', body: '【Lenity】还款提醒。回复TD退订', language: 'zh-CN', idempotencyKey: 'smpp-receipt', contactRequest: cnRequest('sms') });
      const summary = await dispatchBatch({ ...dependencies, db: handle.db, channelFor: () => smpp });
      expect(summary.sent).toBe(1);
      const message = await findMessage(handle.db, 'smpp-receipt');
      smsc.deliverReceipt(message!.providerMessageId!, 'DELIVRD');
      await expect.poll(async () => { await received; return (await findMessage(handle.db, 'smpp-receipt'))?.deliveryState; }, { timeout: 5_000 }).toBe('DELIVRD');
      await smpp.close();
    });
  });

  describe('HTTP SMS', () => {
    it('posts with the Idempotency-Key; a resend gets the first answer', async () => {
      const channel = new HttpSmsChannel({ url: http.url, token: 't0ken', sourceAddress: 'Lenity' });
      const first = await channel.send(sms('hello'), { idempotencyKey: 'http-1' });
      const second = await channel.send(sms('hello'), { idempotencyKey: 'http-1' });
      expect(second.providerMessageId).toBe(first.providerMessageId);
      expect(http.arrivals.filter((arrival) => arrival.idempotencyKey === 'http-1')).toHaveLength(2);
      expect(http.accepted.size).toBe(1);
      expect(http.arrivals[0]!.authorization).toBe('Bearer t0ken');
      expect(http.arrivals[0]!.body).toEqual({ to: '+8613800138000', from: 'Lenity', text: 'hello', reference: 'http-1' });
    });

    it('says whether a failure may be retried', async () => {
      const channel = new HttpSmsChannel({ url: http.url, sourceAddress: 'Lenity' });
      http.failNext = { status: 503, count: 1 };
      await expect(channel.send(sms('x'), { idempotencyKey: 'http-503' })).rejects.toMatchObject({ retryable: true });
      http.failNext = { status: 400, count: 1 };
      await expect(channel.send(sms('x'), { idempotencyKey: 'http-400' })).rejects.toMatchObject({ retryable: false });
      const unreachable = new HttpSmsChannel({ url: 'http://127.0.0.1:1/none', sourceAddress: 'Lenity', timeoutMs: 2_000 });
      await expect(unreachable.send(sms('x'), { idempotencyKey: 'http-down' })).rejects.toMatchObject({ retryable: true });
    });
  });

  describe('SMTP', () => {
    it('sends with a Message-ID derived from the idempotency key', async () => {
      const channel = new SmtpChannel({ host: '127.0.0.1', port: smtp.port, from: 'collections@lender.example', messageIdDomain: 'lender.example' });
      const result = await channel.send({ borrowerId: 'brw_1', channel: 'email', to: 'wang@example.cn', subject: 'Lenity还款提醒', body: '您好：您的账户目前逾期7天。退订请点击链接。', language: 'zh-CN' }, { idempotencyKey: 'mail 1/α' });
      await channel.close();
      const arrival = smtp.arrivals.find((item) => item.messageId === result.providerMessageId)!;
      expect(result.providerMessageId).toMatch(/^<k\.[A-Za-z0-9_-]+@lender\.example>$/);
      expect(arrival.to).toEqual(['wang@example.cn']);
      expect(arrival.raw).toMatch(/Content-Language: zh-CN/);
    });
  });

  describe('letters', () => {
    const channel = (found: Awaited<ReturnType<typeof findCjkFont>> | 'system') => new LetterChannel({
      sink: createLetterFolderSink(letters),
      findCjkFont: found === 'system' ? () => findCjkFont(null) : async () => found,
      senderLines: ['Lenity Lending', '1 Example Road'],
      clock: dependencies.clock,
    });

    it('renders an English letter to a PDF file named by the key', async () => {
      const result = await channel(null).send({ borrowerId: 'brw_1', channel: 'letter', to: 'Ms A Smith\n2 High Street\nLondon', subject: 'Your account is 30 days past due', body: 'Dear Ms Smith,\n\nPlease contact us.', language: 'en' }, { idempotencyKey: 'letter-en' });
      const pdf = await readFile(result.providerMessageId);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(result.providerMessageId).toBe(join(letters, 'letter-en.pdf'));
    });

    it('renders Chinese with a system font when one exists, and otherwise names the missing font', async () => {
      const message: OutboundMessage = { borrowerId: 'brw_1', channel: 'letter', to: '北京市朝阳区', subject: '关于您账户逾期的通知', body: '尊敬的客户：请与我们联系。', language: 'zh-CN' };
      const font = await findCjkFont(null);
      if (font) {
        const result = await channel('system').send(message, { idempotencyKey: 'letter-zh' });
        expect((await readFile(result.providerMessageId)).subarray(0, 5).toString()).toBe('%PDF-');
      } else {
        await expect(channel('system').send(message, { idempotencyKey: 'letter-zh' })).rejects.toThrow(/fc-list :lang=zh.*Noto Sans CJK SC.*LENITY_LETTER_CJK_FONT/s);
      }
      await expect(channel(null).send(message, { idempotencyKey: 'letter-zh-none' })).rejects.toMatchObject({ retryable: false });
    });
  });

  describe('outbox and call tasks', () => {
    it('records outbox messages once per key', async () => {
      const outbox = new OutboxChannel('sms', { ...dependencies, db: handle.db });
      const first = await outbox.send(sms('demo'), { idempotencyKey: 'outbox-1' });
      const second = await outbox.send(sms('demo'), { idempotencyKey: 'outbox-1' });
      expect(second.providerMessageId).toBe(first.providerMessageId);
      expect((await listOutbox(handle.db, { borrowerId: 'brw_1' })).filter((entry) => entry.body === 'demo')).toHaveLength(1);
    });

    it('creates one call task per key, dials through the port and logs the outcome', async () => {
      const calls = new CallTaskChannel({ ...dependencies, db: handle.db });
      const { providerMessageId: taskId } = await calls.send({ borrowerId: 'brw_1', channel: 'call', to: '+8613800138000', subject: null, body: 'script', language: 'zh-CN' }, { idempotencyKey: 'call-1' });
      expect((await calls.send({ borrowerId: 'brw_1', channel: 'call', to: '+8613800138000', subject: null, body: 'script', language: 'zh-CN' }, { idempotencyKey: 'call-1' })).providerMessageId).toBe(taskId);
      const dialled: string[] = [];
      const { callId } = await dialCallTask(handle.db, { dial: async ({ phone }) => { dialled.push(phone); return { callId: 'call-42' }; } }, { taskId, agentId: 'usr_7' });
      expect(callId).toBe('call-42');
      expect(dialled).toEqual(['+8613800138000']);
      await logCallOutcome(handle.db, dependencies.clock, { taskId, agentId: 'usr_7', outcome: 'conversation', note: 'Will pay Friday' });
      await logCallOutcome(handle.db, dependencies.clock, { taskId, agentId: 'usr_7', outcome: 'conversation' });
      await expect(logCallOutcome(handle.db, dependencies.clock, { taskId, agentId: 'usr_7', outcome: 'no-answer' })).rejects.toThrow(/already closed/);
    });
  });

  describe('dispatcher', () => {
    class FailingChannel implements MessageChannel {
      readonly kind = 'sms' as const;
      readonly provider = 'failing';
      calls: string[] = [];
      readonly retryable: boolean;
      constructor(retryable: boolean) {
        this.retryable = retryable;
      }
      async send(_: OutboundMessage, options: { idempotencyKey: string }): Promise<never> {
        this.calls.push(options.idempotencyKey);
        throw new ChannelError('provider down', { retryable: this.retryable });
      }
      async close() {}
    }

    it('retries with exponential backoff, then lists the message as dead', async () => {
      const { db } = handle;
      const clock = dependencies.clock;
      clock.set(START);
      const failing = new FailingChannel(true);
      await enqueueMessage(db, dependencies, { borrowerId: 'brw_retry', channel: 'sms', to: '+8613800000009', body: 'x', language: 'zh-CN', idempotencyKey: 'retry-1', contactRequest: cnRequest('sms'), maximumAttempts: 3 });
      const run = () => dispatchBatch({ ...dependencies, db, channelFor: () => failing, policy: { baseDelayMs: 60_000, maximumDelayMs: 3_600_000 } });
      expect((await run()).retried).toBe(1);
      expect((await findMessage(db, 'retry-1'))!.nextAttemptAt.toISOString()).toBe('2026-03-10T02:01:00.000Z');
      expect((await run()).claimed).toBe(0);
      clock.advance(60_000);
      expect((await run()).retried).toBe(1);
      expect((await findMessage(db, 'retry-1'))!.nextAttemptAt.toISOString()).toBe('2026-03-10T02:03:00.000Z');
      clock.advance(120_000);
      expect((await run()).dead).toBe(1);
      expect(failing.calls).toEqual(['retry-1', 'retry-1', 'retry-1']);
      const dead = await listDeadLetters(db);
      expect(dead.find((letter) => letter.idempotencyKey === 'retry-1')).toMatchObject({ attempts: 3, provider: 'failing', lastError: 'attempt 3: provider down' });
    });

    it('makes a non-retryable failure dead at once', async () => {
      dependencies.clock.set(START);
      const failing = new FailingChannel(false);
      await enqueueMessage(handle.db, dependencies, { borrowerId: 'brw_perm', channel: 'sms', to: '+8613800000010', body: 'x', language: 'zh-CN', idempotencyKey: 'permanent-1', contactRequest: cnRequest('sms') });
      expect((await dispatchBatch({ ...dependencies, db: handle.db, channelFor: () => failing })).dead).toBe(1);
    });

    it('asks the gate at the moment of sending: denies for good, or defers to allowAfter', async () => {
      const { db } = handle;
      const outbox = (kind: ChannelKind) => new OutboxChannel(kind, { ...dependencies, db });
      dependencies.clock.set('2026-03-10T15:00:00Z'); // 23:00 in Shanghai
      await enqueueMessage(db, dependencies, { borrowerId: 'brw_night', channel: 'sms', to: '+8613800000011', body: 'x', language: 'zh-CN', idempotencyKey: 'night-1', contactRequest: cnRequest('sms') });
      await enqueueMessage(db, dependencies, { borrowerId: 'brw_cease', channel: 'sms', to: '+8613800000012', body: 'x', language: 'zh-CN', idempotencyKey: 'cease-1', contactRequest: cnRequest('sms', { flags: ['cease'] }) });
      const summary = await dispatchBatch({ ...dependencies, db, channelFor: outbox });
      expect(summary).toMatchObject({ sent: 0, denied: 1, rescheduled: 1 });
      const night = (await findMessage(db, 'night-1'))!;
      expect(night.status).toBe('queued');
      expect(night.nextAttemptAt.toISOString()).toBe('2026-03-11T00:00:00.000Z');
      expect(night.receiptId).toMatch(/^rcpt_/);
      const cease = (await findMessage(db, 'cease-1'))!;
      expect(cease.status).toBe('denied');
      expect(cease.lastError).toMatch(/CEASE_COMMUNICATION/);
      const receipt = await db.selectFrom('contact_receipt').select(['outcome', 'borrower_id']).where('id', '=', cease.receiptId!).executeTakeFirstOrThrow();
      expect(receipt).toEqual({ outcome: 'deny', borrower_id: 'brw_cease' });
      dependencies.clock.set('2026-03-11T00:00:00Z');
      expect((await dispatchBatch({ ...dependencies, db, channelFor: outbox })).sent).toBe(1);
      expect((await findMessage(db, 'night-1'))!.status).toBe('sent');
    });

    it('counts the texts claimed in one batch, and those in flight, against a frequency limit (US-MA: 2 per 7 days per debt)', async () => {
      const { db } = handle;
      const outbox = (kind: ChannelKind) => new OutboxChannel(kind, { ...dependencies, db });
      const run = () => dispatchBatch({ ...dependencies, db, channelFor: outbox });
      dependencies.clock.set('2026-03-10T15:00:00Z'); // 11:00 in Boston
      const maRequest = (debtId: string) => ({ policy: 'US-MA', borrower: { timeZones: ['America/New_York'] }, attempt: { channel: 'sms', debtId } });
      const text = (key: string, borrowerId: string, debtId: string) => enqueueMessage(db, dependencies, {
        borrowerId, channel: 'sms', to: '+16175550100', body: `Lenity: a payment is overdue (${key}). Reply STOP to opt out.`, language: 'en', idempotencyKey: key, contactRequest: maRequest(debtId),
      });
      for (const key of ['ma-1', 'ma-2', 'ma-3']) await text(key, 'brw_ma', 'loan_ma');
      expect(await run()).toMatchObject({ claimed: 3, sent: 2, rescheduled: 1 });
      const messages = await Promise.all(['ma-1', 'ma-2', 'ma-3'].map(async (key) => (await findMessage(db, key))!));
      expect(messages.map((message) => message.status).sort()).toEqual(['queued', 'sent', 'sent']);
      const deferred = messages.find((message) => message.status === 'queued')!;
      expect(deferred.lastError).toMatch(/CALL_FREQUENCY \(MA-01\)/);
      expect(deferred.nextAttemptAt.getTime()).toBeGreaterThan(Date.parse('2026-03-16T15:00:00Z'));
      // What the dispatcher sent is in the history an agent's call is judged by (texts count beside calls).
      const { history } = await loadContactFacts(db, ['brw_ma'], new Date('2026-03-01T00:00:00Z'));
      expect(history.get('brw_ma')).toEqual([
        { at: new Date('2026-03-10T15:00:00Z'), channel: 'sms', outcome: 'delivered', loanId: 'loan_ma' },
        { at: new Date('2026-03-10T15:00:00Z'), channel: 'sms', outcome: 'delivered', loanId: 'loan_ma' },
      ]);
      dependencies.clock.set(deferred.nextAttemptAt);
      expect(await run()).toMatchObject({ claimed: 1, sent: 1 });

      // Another worker is sending one text now (its lease runs): of the next two, one may go.
      dependencies.clock.set('2026-03-10T15:00:00Z');
      await text('flight-1', 'brw_ma_flight', 'loan_ma_flight');
      await db.updateTable('outbound_message').set({ status: 'sending', attempts: 1, lease_until: new Date('2026-03-10T15:05:00Z'), updated_at: new Date('2026-03-10T14:59:00Z') })
        .where('idempotency_key', '=', 'flight-1').execute();
      await text('flight-2', 'brw_ma_flight', 'loan_ma_flight');
      await text('flight-3', 'brw_ma_flight', 'loan_ma_flight');
      expect(await run()).toMatchObject({ claimed: 2, sent: 1, rescheduled: 1 });
      // A text sent by hand is counted through its agent's attempt, never a second time as a message.
      await enqueueMessage(db, dependencies, { borrowerId: 'brw_hand', channel: 'sms', to: '+16175550101', body: 'Lenity: please call us. Reply STOP to opt out.', language: 'en', idempotencyKey: 'contact:att_hand', contactRequest: maRequest('loan_hand') });
      expect(await run()).toMatchObject({ sent: 1 });
      expect((await loadContactFacts(db, ['brw_hand'], new Date('2026-03-01T00:00:00Z'))).history.get('brw_hand')).toBeUndefined();
    });

    it('treats a repeated enqueue as the same message and refuses a different body under the key', async () => {
      const input = { borrowerId: 'brw_idem', channel: 'sms' as const, to: '+8613800000013', body: 'same', language: 'zh-CN' as const, idempotencyKey: 'idem-1', contactRequest: cnRequest('sms') };
      expect((await enqueueMessage(handle.db, dependencies, input)).outcome).toBe('created');
      expect((await enqueueMessage(handle.db, dependencies, input)).outcome).toBe('exists');
      await expect(enqueueMessage(handle.db, dependencies, { ...input, body: 'different' })).rejects.toThrow(/different message/);
      await expect(enqueueMessage(handle.db, dependencies, { ...input, idempotencyKey: 'idem-2', contactRequest: cnRequest('email') })).rejects.toThrow(/attempt.channel/);
    });
  });

  describe('registry', () => {
    const base = () => ({ db: handle.db, ...dependencies, acknowledgements: createSegmentAcknowledgementStore(handle.db), letterSink: createLetterFolderSink, findCjkFont });
    it('chooses providers from the environment', async () => {
      const registry = createChannelRegistry({ LENITY_SMS_PROVIDER: 'smpp', LENITY_SMPP_URL: smsc.url, LENITY_SMPP_SYSTEM_ID: 'lenity', LENITY_EMAIL_PROVIDER: 'smtp', LENITY_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, LENITY_EMAIL_FROM: 'a@lender.example', LENITY_EMAIL_MESSAGE_ID_DOMAIN: 'lender.example', LENITY_LETTER_PROVIDER: 'pdf' }, base());
      expect(registry.describe()).toEqual({ sms: 'smpp', email: 'smtp', letter: 'pdf', call: 'call-task' });
      await registry.close();
      expect(createChannelRegistry({}, base()).describe()).toEqual({ sms: 'outbox', email: 'outbox', letter: 'outbox', call: 'call-task' });
      expect(createChannelRegistry({ LENITY_SMS_PROVIDER: 'http', LENITY_SMS_HTTP_URL: http.url }, base()).describe().sms).toBe('http');
    });
    it('names a missing or wrong setting', () => {
      expect(() => createChannelRegistry({ LENITY_SMS_PROVIDER: 'smpp' }, base())).toThrow(/LENITY_SMPP_URL/);
      expect(() => createChannelRegistry({ LENITY_SMS_PROVIDER: 'pigeon' }, base())).toThrow(/LENITY_SMS_PROVIDER/);
      expect(() => createChannelRegistry({ LENITY_EMAIL_PROVIDER: 'smtp', LENITY_SMTP_URL: 'http://x' }, base())).toThrow(/LENITY_SMTP_URL|LENITY_EMAIL_FROM/);
    });
  });
});
