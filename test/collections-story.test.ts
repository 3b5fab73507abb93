import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { installmentOutstanding } from '../src/lending/loan-state.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { runEndOfDay } from '../src/eod/eod.service.ts';
import { createApiKey } from '../src/http/auth.ts';
import type { Role } from '../src/http/permissions.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { OutboxChannel } from '../src/collections/channels/outbox-channel.ts';
import { dispatchUntilIdle } from '../src/collections/dispatch.service.ts';
import { formatMoney } from '../src/shared/money.ts';
import type { CurrencyCode } from '../src/shared/currency.ts';
import { verifyEverything } from '../src/cli/commands/verify.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
/** 10:00 in Shanghai: inside every CN contact window. */
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;

/**
 * The whole collections story on one loan: it goes late, its ladder runs (every contact through the
 * gate, with a receipt), the case is assigned automatically to the one certified collector, a promise
 * is made and broken, a visit is requested, approved and completed with a payment that cures the loan
 * and closes the case, and the book verifies afterwards.
 */
describe(`the collections story from a late loan to a cured one on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let loanId: string;
  let firstDue: BusinessDate;
  let lastRun: BusinessDate;
  const users: Record<string, { id: string; headers: Record<string, string> }> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids } = server.dependencies;
    for (const [name, role] of [['supervisor', 'supervisor'], ['certified', 'agent'], ['uncertified', 'agent'], ['field1', 'field-agent'], ['field2', 'field-agent']] as const) {
      const created = await createApiKey(handle.db, ids, { name, role: role as Role, borrowerId: null });
      users[name] = { id: created.id, headers: { authorization: `Bearer ${created.key}` } };
    }
    const product = await createProduct(handle.db, ids, personalLoanProduct(), START);
    const borrower = await createBorrower(handle.db, ids, borrowerInput());
    const loan = await createLoan({ db: handle.db, ids }, { borrowerId: borrower.id, productId: product.id, principal: '10000.00' }, START);
    await approveLoan({ db: handle.db, ids }, loan.id, START);
    await disburseLoan({ db: handle.db, ids }, loan.id, { businessDate: START, idempotencyKey: 'disburse' });
    loanId = loan.id;
    firstDue = (await loadInstallments(handle.db, loanId))[0]!.dueDate as BusinessDate;
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function call(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, key?: string) {
    const headers: Record<string, string> = { ...users[user]!.headers, ...(key ? { 'idempotency-key': key } : {}) };
    const response = await server.app.inject({ method, url: `/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  }

  /** End of day, the collections run and the dispatcher (to the outbox), day by day at 10:00 Shanghai. */
  async function runDays(from: BusinessDate, until: BusinessDate) {
    const { ids, clock } = server.dependencies;
    const eod = endOfDayDependencies(handle, ids);
    const summaries = [];
    for (let date = from; date <= until; date = addDays(date, 1)) {
      await runEndOfDay(eod, date);
      clock.set(morningOf(date));
      summaries.push(await runCollections(handle.db, ids, clock, date));
      await dispatchUntilIdle({ db: handle.db, clock, ids, channelFor: (kind) => new OutboxChannel(kind, { db: handle.db, clock, ids }) });
      lastRun = date;
    }
    return summaries;
  }

  it('puts two collectors on the roster; only one holds a current certification for calls in CN', async () => {
    for (const name of ['certified', 'uncertified']) {
      const put = await call('supervisor', 'PUT', `/collections/collectors/${users[name]!.id}`, { displayName: name, languages: ['zh-CN'], jurisdictions: ['CN'], capacity: 20 });
      expect(put.status).toBe(200);
    }
    expect((await call('supervisor', 'POST', `/collections/collectors/${users.certified!.id}/training`, {
      module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-02', expiresOn: '2027-01-02',
    }, 'train-1')).status).toBe(201);
    // An expired certificate is no certificate.
    expect((await call('supervisor', 'POST', `/collections/collectors/${users.uncertified!.id}/training`, {
      module: 'CN fair collection 2024', jurisdiction: 'CN', channels: ['call'], passedOn: '2024-01-02', expiresOn: '2025-01-02',
    }, 'train-2')).status).toBe(201);
  });

  it('opens a case when the loan goes late, runs its ladder with a receipt for every contact, and assigns it to the certified collector', async () => {
    const summaries = await runDays(START, addDays(firstDue, 5));
    expect(summaries.reduce((total, summary) => total + summary.casesOpened, 0)).toBe(1);
    expect(summaries.reduce((total, summary) => total + summary.casesAssigned, 0)).toBe(1);
    const opened = await handle.db.selectFrom('collection_case').selectAll().where('loan_id', '=', loanId).executeTakeFirstOrThrow();
    expect(opened).toMatchObject({ status: 'open', agent_id: users.certified!.id, strategy_id: 'cn-default', strategy_version: 1 });

    // Every rung that proposed a contact has the gate's receipt; every message sent went out when the gate allowed it.
    const runs = await handle.db.selectFrom('collection_rung_run').selectAll().where('case_id', '=', opened.id).orderBy('run_on').execute();
    expect(runs.map((run) => run.rung_id)).toEqual(expect.arrayContaining(['sms-dpd-1', 'sms-dpd-3', 'call-payment-missed', 'call-from-dpd-5']));
    for (const run of runs) {
      const receipt = await handle.db.selectFrom('contact_receipt').selectAll().where('id', '=', run.receipt_id!).executeTakeFirst();
      expect(receipt, run.rung_id).toBeDefined();
    }
    const messages = await handle.db.selectFrom('outbound_message').selectAll().execute();
    // The 1 and 3 days past due SMS (the reminders before the due date belong to no case yet).
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const message of messages) {
      expect(message.status).toBe('sent');
      const receipt = await handle.db.selectFrom('contact_receipt').selectAll().where('id', '=', message.receipt_id!).executeTakeFirstOrThrow();
      expect(JSON.stringify(receipt)).toContain('allow');
    }
    expect(await handle.db.selectFrom('outbox_message').select('idempotency_key').execute()).toHaveLength(messages.length);

    // The call tasks went with the case; the uncertified collector has nothing.
    const queue = await call('certified', 'GET', '/collections/queue');
    expect(queue.body.items.length).toBeGreaterThanOrEqual(2);
    expect(queue.body.items.every((item: any) => item.caseId === opened.id)).toBe(true);
    expect((await call('uncertified', 'GET', '/collections/queue')).body.items).toEqual([]);
    expect((await call('uncertified', 'GET', `/collections/cases/${opened.id}`)).status).toBe(404);
  }, 120_000);

  it('takes a promise that breaks, then a visit that is approved and completed with a payment that cures the loan and closes the case', async () => {
    const caseId = (await handle.db.selectFrom('collection_case').select('id').where('loan_id', '=', loanId).executeTakeFirstOrThrow()).id;
    const queue = await call('certified', 'GET', '/collections/queue');
    const contact = await call('certified', 'POST', `/collections/cases/${caseId}/contact`, { channel: 'call' }, 'contact-1');
    expect(contact.status).toBe(201);
    expect((await call('certified', 'POST', `/collections/cases/${caseId}/outcome`, { attemptId: contact.body.attemptId, taskId: queue.body.items[0].taskId, outcome: 'promise' }, 'outcome-1')).status).toBe(200);
    const promiseDue = addDays(lastRun, 2);
    const promise = await call('certified', 'POST', `/collections/cases/${caseId}/promises`, { instalments: [{ dueOn: promiseDue, amount: '500.00' }], graceDays: 1 }, 'promise-1');
    expect(promise.body.status).toBe('promised');
    await runDays(addDays(lastRun, 1), addDays(promiseDue, 3));
    const broken = await call('certified', 'GET', `/collections/cases/${caseId}`);
    expect(broken.body).toMatchObject({ status: 'open', promises: [{ status: 'broken' }] });
    expect(await handle.db.selectFrom('collection_rung_run').select('run_on').where('case_id', '=', caseId).where('rung_id', '=', 'sms-promise-broken').execute()).toHaveLength(1);

    const requested = await call('certified', 'POST', `/collections/cases/${caseId}/visits`, {}, 'visit-1');
    expect(requested.body.status).toBe('requested');
    expect((await call('field1', 'POST', `/collections/visits/${requested.body.id}/check-in`, { location: '31.2304,121.4737' }, 'early')).status).toBe(404);
    const approved = await call('supervisor', 'POST', `/collections/visits/${requested.body.id}/approve`, { collectors: [users.field1!.id, users.field2!.id] }, 'approve-1');
    expect(approved.body.status).toBe('approved');
    const checkIn = await call('field1', 'POST', `/collections/visits/${requested.body.id}/check-in`, { location: '31.2304,121.4737' }, 'check-in-1');
    expect(checkIn.body).toMatchObject({ checkedIn: true, decision: { decision: 'allow' } });
    const overdueMinor = (await loadInstallments(handle.db, loanId)).filter((installment) => installment.dueDate <= lastRun).reduce((total, installment) => total + installmentOutstanding(installment), 0n);
    const completed = await call('field1', 'POST', `/collections/visits/${requested.body.id}/complete`, {
      outcome: 'paid', report: 'Met the borrower at home; paid the overdue amount.', payment: { amount: formatMoney(overdueMinor, 'CNY' as CurrencyCode) },
    }, 'complete-1');
    expect(completed.body).toMatchObject({ status: 'completed', paymentId: expect.stringMatching(/^pay_/) });

    const summaries = await runDays(addDays(lastRun, 1), addDays(lastRun, 1));
    expect(summaries[0]!.casesClosed).toBe(1);
    expect((await call('supervisor', 'GET', `/collections/cases/${caseId}`)).body).toMatchObject({ status: 'closed-cured' });
    expect((await call('certified', 'GET', '/collections/queue')).body.items).toEqual([]);
    expect((await call('supervisor', 'GET', `/collections/collectors/${users.certified!.id}`)).body.openCases).toBe(0);
  }, 120_000);

  it('leaves a book that verifies: ledger, balances, schedules and every receipt', async () => {
    const checks = await verifyEverything(handle);
    expect(checks.length).toBeGreaterThan(3);
    for (const check of checks) expect(check, check.name).toMatchObject({ ok: true });
    const attempts = await handle.db.selectFrom('contact_attempt').select('receipt_id').execute();
    expect(attempts).toHaveLength(2);
  }, 60_000);
});
