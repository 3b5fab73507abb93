import { spawn, type ChildProcess } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { enqueueMessage, findMessage } from '../src/collections/dispatch.service.ts';
import { createIdGenerator } from '../src/shared/ids.ts';
import { createRandom } from '../src/shared/random.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { servePGlite, startSmppTestServer, startSmtpTestServer, type SmppTestServer, type SmtpTestServer } from './fixtures/collections-servers.ts';

const DATABASE_URL = process.env.DATABASE_URL?.trim() || null;
const START = '2026-03-10T02:00:00Z'; // 10:00 in Shanghai: inside CN hours
const LEASE_MS = 1_500;

interface Target {
  url: string;
  schema: string | null;
  close(): Promise<void>;
}

// The database the worker processes share: a PostgreSQL schema of its own, or an in-memory PGlite
// served over the wire protocol by this process (PGlite itself is in-process only).
async function openTarget(): Promise<Target> {
  if (DATABASE_URL) {
    const schema = `test_crash_${process.pid}_${Date.now().toString(36)}`;
    return {
      url: DATABASE_URL,
      schema,
      close: async () => {
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  }
  const pglite = new PGlite();
  await pglite.waitReady;
  const served = await servePGlite(pglite);
  return { url: served.url, schema: null, close: async () => { await served.close(); await pglite.close(); } };
}

function openHandle(target: Target, migrate: boolean): Promise<DatabaseHandle> {
  return openDatabase({ url: target.url, ...(target.schema ? { schema: target.schema } : {}), migrate, poolSize: 1 });
}

describe('dispatcher crash safety: kill -9 mid-batch, run again, nothing reaches a provider twice', () => {
  let target: Target;
  let smsc: SmppTestServer;
  let smtp: SmtpTestServer;
  let child: ChildProcess | null = null;
  const clock = createTestClock(START);
  const ids = createIdGenerator(clock, createRandom(5));

  beforeAll(async () => {
    target = await openTarget();
    smsc = await startSmppTestServer();
    smtp = await startSmtpTestServer();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await smsc.close();
    await smtp.close();
    await target.close();
  });

  function runWorker(clockOffsetMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    const settings = { databaseUrl: target.url, schema: target.schema, smppUrl: smsc.url, smtpPort: smtp.port, leaseMs: LEASE_MS, batchSize: 3, clockOffsetMs };
    return new Promise((resolve) => {
      const process_ = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/dispatch-batch.ts'], {
        env: { ...process.env, LENITY_DISPATCH_FIXTURE: JSON.stringify(settings) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = process_;
      let stdout = '';
      let stderr = '';
      process_.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      process_.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      process_.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  it('resends a killed send with the same key; acknowledged SMPP segments and sent messages are never resent', async () => {
    const handle = await openHandle(target, true);
    const request = (channel: string) => ({ policy: 'CN', borrower: { timeZones: ['Asia/Shanghai'] }, attempt: { channel, debtId: 'loan_1' } });
    const long = '【Lenity】尊敬的客户，您的借款已逾期三天。请您尽快登录应用查看账单并安排还款，如有困难可申请调整还款计划或延期，我们会认真考虑您的情况。如需帮助请致电客服热线，我们的工作时间为每天上午八点至晚上八点。感谢您的配合。逾期期间请留意我们发送的正式通知，所有通知都会写明您的账户情况、可以选择的还款方式以及联系我们的办法。回复TD退订';
    const messages = [
      { key: 'crash-sms-1', channel: 'sms' as const, to: '+8613800000001', body: 'Lenity: your payment of CNY 500.00 is due today. Reply STOP to opt out.' },
      { key: 'crash-sms-long', channel: 'sms' as const, to: '+8613800000002', body: long },
      { key: 'crash-sms-3', channel: 'sms' as const, to: '+8613800000003', body: '【Lenity】您的还款日是明天。回复TD退订' },
      { key: 'crash-email-1', channel: 'email' as const, to: 'one@example.cn', body: 'Payment reminder 1' },
      { key: 'crash-email-2', channel: 'email' as const, to: 'two@example.cn', body: 'Payment reminder 2' },
      { key: 'crash-email-3', channel: 'email' as const, to: 'three@example.cn', body: 'Payment reminder 3' },
      { key: 'crash-sms-4', channel: 'sms' as const, to: '+8613800000004', body: '【Lenity】感谢您按时还款。回复TD退订' },
    ];
    for (const [index, message] of messages.entries()) {
      await enqueueMessage(handle.db, { clock, ids }, {
        borrowerId: `brw_${index}`,
        channel: message.channel,
        to: message.to,
        subject: message.channel === 'email' ? 'Lenity payment reminder' : null,
        body: message.body,
        language: 'zh-CN',
        idempotencyKey: message.key,
        contactRequest: request(message.channel),
        // Staggered so the batch order is fixed: the order above.
        notBefore: new Date(Date.parse(START) - (messages.length - index) * 1_000),
      });
    }
    await handle.close();
    // One offset for every run: the business clock keeps moving between runs, so leases expire.
    const clockOffsetMs = Date.parse(START) - Date.now();
    const offset = () => clockOffsetMs;

    // Run 1: killed when the SMSC receives the second segment of the long message, before it answers.
    let killedAtSegment = false;
    smsc.onArrival = (arrival) => {
      if (!killedAtSegment && arrival.reference === 'crash-sms-long#1') {
        killedAtSegment = true;
        child!.kill('SIGKILL');
        return false;
      }
      return true;
    };
    const first = await runWorker(offset());
    expect(first.signal, `${first.stdout}\n${first.stderr}`).toBe("SIGKILL");
    smsc.onArrival = null;

    // Run 2 (after the lease): killed when the SMTP server receives the second email, before it answers.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 300));
    let killedAtEmail = false;
    smtp.onArrival = (arrival) => {
      if (!killedAtEmail && arrival.messageId === '<crash-email-2@lender.example>') {
        killedAtEmail = true;
        child!.kill('SIGKILL');
        return false;
      }
      return true;
    };
    const second = await runWorker(offset());
    expect(second.signal).toBe('SIGKILL');
    smtp.onArrival = null;

    // Run 3: finishes everything.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 300));
    const third = await runWorker(offset());
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);

    const countArrivals = (reference: string) => smsc.arrivals.filter((arrival) => arrival.reference === reference).length;
    // The long message's first segment was acknowledged and recorded before the kill: never resubmitted.
    expect(countArrivals('crash-sms-long#0')).toBe(1);
    // The second segment was in flight when the process died: resubmitted with the same reference,
    // recognised by the SMSC, delivered once.
    expect(countArrivals('crash-sms-long#1')).toBe(2);
    for (const reference of ['crash-sms-1#0', 'crash-sms-long#2', 'crash-sms-3#0', 'crash-sms-4#0']) expect(countArrivals(reference)).toBe(1);
    expect([...smsc.accepted.keys()].sort()).toEqual(['crash-sms-1#0', 'crash-sms-3#0', 'crash-sms-4#0', 'crash-sms-long#0', 'crash-sms-long#1', 'crash-sms-long#2']);
    // Segments carry the same concatenation reference on every attempt.
    const references = smsc.arrivals.filter((arrival) => arrival.reference?.startsWith('crash-sms-long#')).map((arrival) => arrival.udh[0]?.[3]);
    expect(new Set(references).size).toBe(1);

    const emailArrivals = (id: string) => smtp.arrivals.filter((arrival) => arrival.messageId === id).length;
    expect(emailArrivals('<crash-email-1@lender.example>')).toBe(1);
    expect(emailArrivals('<crash-email-2@lender.example>')).toBe(2);
    expect(emailArrivals('<crash-email-3@lender.example>')).toBe(1);
    expect([...smtp.delivered.keys()].sort()).toEqual(['<crash-email-1@lender.example>', '<crash-email-2@lender.example>', '<crash-email-3@lender.example>']);

    const after = await openHandle(target, false);
    try {
      for (const message of messages) {
        const row = await findMessage(after.db, message.key);
        expect(row?.status, message.key).toBe('sent');
      }
      expect((await findMessage(after.db, 'crash-sms-long'))?.attempts).toBe(2);
      expect((await findMessage(after.db, 'crash-email-2'))?.attempts).toBe(2);
      expect((await findMessage(after.db, 'crash-sms-1'))?.attempts).toBe(1);
      expect((await findMessage(after.db, 'crash-sms-long'))?.providerMessageId?.split(',')).toHaveLength(3);
    } finally {
      await after.close();
    }
  });
});
