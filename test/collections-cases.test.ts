import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { verifyReceipts } from '../src/compliance/receipt.service.ts';
import { runEndOfDay } from '../src/eod/eod.service.ts';
import { createApiKey } from '../src/http/auth.ts';
import type { Role } from '../src/http/permissions.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
/** 10:00 in Shanghai on a business date: inside every CN contact window. */
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;
/** 21:30 in Shanghai: inside CN hours, but inside the borrower's stated inconvenient time. */
const eveningOf = (date: BusinessDate) => `${date}T13:30:00Z`;

describe(`collections cases from end of day to cure on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let loanId: string;
  let borrowerId: string;
  /** A second borrower whose case ends in a dispute. */
  let otherLoanId: string;
  let otherBorrowerId: string;
  let firstDue: BusinessDate;
  let caseId: string;
  let lastRun: BusinessDate;
  const users: Record<string, { id: string; headers: Record<string, string> }> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids } = server.dependencies;
    const product = await createProduct(handle.db, ids, personalLoanProduct(), START);
    const borrower = await createBorrower(handle.db, ids, borrowerInput());
    borrowerId = borrower.id;
    const dependencies = { db: handle.db, ids };
    const loan = await createLoan(dependencies, { borrowerId, productId: product.id, principal: '10000.00' }, START);
    await approveLoan(dependencies, loan.id, START);
    await disburseLoan(dependencies, loan.id, { businessDate: START, idempotencyKey: 'disburse' });
    loanId = loan.id;
    const other = await createBorrower(handle.db, ids, borrowerInput({ fullName: '李华', nationalId: '110101198805061235', phones: [{ number: '+8613900139000', kind: 'mobile' }] }));
    otherBorrowerId = other.id;
    const otherLoan = await createLoan(dependencies, { borrowerId: otherBorrowerId, productId: product.id, principal: '5000.00' }, START);
    await approveLoan(dependencies, otherLoan.id, START);
    await disburseLoan(dependencies, otherLoan.id, { businessDate: START, idempotencyKey: 'disburse-other' });
    otherLoanId = otherLoan.id;
    firstDue = (await loadInstallments(handle.db, loanId))[0]!.dueDate as BusinessDate;
    // The borrower said evenings from 21:00 to 08:00 are inconvenient: the gate must honour it.
    await handle.db.insertInto('borrower_contact_flags').values({
      borrower_id: borrowerId, flags: JSON.stringify([]), opt_outs: JSON.stringify([]), inconvenient: JSON.stringify([{ from: '21:00', to: '08:00' }]), updated_at: new Date(),
    }).execute();
    for (const [name, role] of [['supervisor', 'supervisor'], ['agentA', 'agent'], ['agentB', 'agent'], ['field1', 'field-agent'], ['field2', 'field-agent']] as const) {
      const created = await createApiKey(handle.db, ids, { name, role: role as Role, borrowerId: null });
      users[name] = { id: created.id, headers: { authorization: `Bearer ${created.key}` } };
    }
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function runDays(from: BusinessDate, until: BusinessDate, at: (date: BusinessDate) => string = morningOf) {
    const { ids, clock } = server.dependencies;
    const eod = endOfDayDependencies(handle, ids);
    const summaries = [];
    for (let date = from; date <= until; date = addDays(date, 1)) {
      await runEndOfDay(eod, date);
      clock.set(at(date));
      summaries.push(await runCollections(handle.db, ids, clock, date));
      lastRun = date;
    }
    clock.set(morningOf(until));
    return summaries;
  }

  async function call(user: string, method: 'GET' | 'POST', url: string, payload?: unknown, key?: string) {
    const headers: Record<string, string> = { ...users[user]!.headers };
    if (key) headers['idempotency-key'] = key;
    const response = await server.app.inject({ method, url: `/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any>, replayed: response.headers['idempotent-replayed'] };
  }

  it('opens one case when the loan goes late; a time-denied SMS at 21:30 is placed at 08:00 next day with its receipt; a rerun adds nothing', async () => {
    const before = await runDays(START, firstDue);
    const late = await runDays(addDays(firstDue, 1), addDays(firstDue, 1), eveningOf);
    expect([...before, ...late].reduce((total, summary) => total + summary.casesOpened, 0)).toBe(2);
    const cases = await handle.db.selectFrom('collection_case').selectAll().where('loan_id', '=', loanId).execute();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ loan_id: loanId, borrower_id: borrowerId, status: 'open', strategy_id: 'cn-default', closed_on: null });
    caseId = cases[0]!.id;
    const runs = await handle.db.selectFrom('collection_rung_run').selectAll().where('case_id', '=', caseId).execute();
    // The day after the missed due date: the dpd-1 SMS and the payment-missed call, both through the gate.
    expect(runs.map((run) => [run.rung_id, run.outcome]).sort()).toEqual([['call-payment-missed', 'call-task'], ['sms-dpd-1', 'deferred']]);
    for (const run of runs) expect(await handle.db.selectFrom('contact_receipt').selectAll().where('id', '=', run.receipt_id!).executeTakeFirst()).toBeDefined();
    const messages = await handle.db.selectFrom('outbound_message').selectAll().where('borrower_id', '=', borrowerId).execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.channel).toBe('sms');
    // 08:00 in Shanghai the next morning.
    expect(messages[0]!.next_attempt_at.toISOString()).toBe(`${addDays(firstDue, 2)}T00:00:00.000Z`);

    const { ids, clock } = server.dependencies;
    clock.set(eveningOf(addDays(firstDue, 1)));
    const again = await runCollections(handle.db, ids, clock, addDays(firstDue, 1));
    expect(again).toMatchObject({ eventsRead: 0, casesOpened: 0, messagesQueued: 0, messagesDeferred: 0, callTasks: 0 });
    expect(await handle.db.selectFrom('outbound_message').selectAll().execute()).toHaveLength(2);
  }, 120_000);

  it('gives call tasks to the assigned agent only; contact runs the gate now; a promise broken is a strategy event', async () => {
    await runDays(addDays(firstDue, 2), addDays(firstDue, 5));
    // The payment-missed call and the call from 5 days past due.
    const tasks = await handle.db.selectFrom('call_task').selectAll().where('case_id', '=', caseId).execute();
    expect(tasks).toHaveLength(2);

    expect((await call('agentA', 'POST', `/collections/cases/${caseId}/assign`, { agentId: users.agentA!.id }, 'assign-1')).status).toBe(403);
    const assigned = await call('supervisor', 'POST', `/collections/cases/${caseId}/assign`, { agentId: users.agentA!.id }, 'assign-1');
    expect(assigned.status).toBe(200);
    expect(assigned.body.agentId).toBe(users.agentA!.id);

    expect((await call('agentB', 'GET', `/collections/cases/${caseId}`)).status).toBe(404);
    expect((await call('agentB', 'GET', '/collections/queue')).body.items).toEqual([]);
    expect((await call('agentB', 'POST', `/collections/cases/${caseId}/contact`, { channel: 'call' }, 'b-contact')).status).toBe(404);
    const queue = await call('agentA', 'GET', '/collections/queue');
    expect(queue.body.items).toHaveLength(2);
    expect(queue.body.items[0]).toMatchObject({ caseId, windowOpen: true, promiseDue: false });

    expect((await call('agentA', 'POST', `/collections/cases/${caseId}/contact`, { channel: 'call' })).status).toBe(400);
    const contact = await call('agentA', 'POST', `/collections/cases/${caseId}/contact`, { channel: 'call' }, 'contact-1');
    expect(contact.status).toBe(201);
    expect(contact.body).toMatchObject({ allowed: true, decision: { decision: 'allow' } });
    const retried = await call('agentA', 'POST', `/collections/cases/${caseId}/contact`, { channel: 'call' }, 'contact-1');
    expect(retried.body).toEqual(contact.body);
    expect(retried.replayed).toBe('true');
    expect(await handle.db.selectFrom('contact_attempt').selectAll().where('case_id', '=', caseId).execute()).toHaveLength(1);

    const outcome = await call('agentA', 'POST', `/collections/cases/${caseId}/outcome`, { attemptId: contact.body.attemptId, taskId: queue.body.items[0].taskId, outcome: 'promise' }, 'outcome-1');
    expect(outcome.status).toBe(200);
    expect(outcome.body.lastRightPartyContactOn).toBe(lastRun);
    const promiseDue = addDays(lastRun, 2);
    const promise = await call('agentA', 'POST', `/collections/cases/${caseId}/promises`, { instalments: [{ dueOn: promiseDue, amount: '500.00' }], tolerance: '1.00', graceDays: 1 }, 'promise-1');
    expect(promise.status).toBe(201);
    expect(promise.body.status).toBe('promised');

    // Nothing is paid: after the grace the promise is broken, the case is worked again, and the
    // promise-broken rung runs the day after.
    await runDays(addDays(lastRun, 1), addDays(promiseDue, 2));
    const afterPromise = await call('agentA', 'GET', `/collections/cases/${caseId}`);
    expect(afterPromise.body.promises[0].status).toBe('broken');
    expect(afterPromise.body.status).toBe('open');
    expect(afterPromise.body.promiseBrokenOn).toBe(addDays(promiseDue, 2));
    await runDays(addDays(promiseDue, 3), addDays(promiseDue, 3));
    const brokenRung = await handle.db.selectFrom('collection_rung_run').selectAll().where('rung_id', '=', 'sms-promise-broken').where('case_id', '=', caseId).execute();
    expect(brokenRung).toHaveLength(1);
    expect(brokenRung[0]!.run_on).toBe(addDays(promiseDue, 3));
  }, 120_000);

  it('never checks in a visit without approval; an approved visit is checked in and completed with a field payment that cures the loan and closes the case', async () => {
    const turnedDown = await call('agentA', 'POST', `/collections/cases/${caseId}/visits`, {}, 'visit-0');
    expect(turnedDown.status).toBe(201);
    const rejected = await call('supervisor', 'POST', `/collections/visits/${turnedDown.body.id}/reject`, { reason: 'Try a call at a time the borrower chose first' }, 'reject-0');
    expect(rejected.body).toMatchObject({ status: 'rejected', report: 'Try a call at a time the borrower chose first' });
    expect((await call('supervisor', 'POST', `/collections/visits/${turnedDown.body.id}/check-in`, { location: '31.2304,121.4737' }, 'check-in-rejected')).status).toBe(409);
    const requested = await call('agentA', 'POST', `/collections/cases/${caseId}/visits`, {}, 'visit-1');
    expect(requested.status).toBe(201);
    expect(requested.body.status).toBe('requested');
    const visitId = requested.body.id as string;
    const refused = await call('supervisor', 'POST', `/collections/visits/${visitId}/check-in`, { location: '31.2304,121.4737' }, 'check-in-early');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('INVALID_STATE');
    expect((await call('field1', 'POST', `/collections/visits/${visitId}/approve`, { collectors: [users.field1!.id] }, 'approve-self')).status).toBe(403);

    const approved = await call('supervisor', 'POST', `/collections/visits/${visitId}/approve`, { collectors: [users.field1!.id, users.field2!.id], slot: morningOf(lastRun) }, 'approve-1');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'scheduled', approvedBy: users.supervisor!.id });

    const checkIn = await call('field1', 'POST', `/collections/visits/${visitId}/check-in`, { location: '31.2304,121.4737' }, 'check-in-1');
    expect(checkIn.status).toBe(200);
    expect(checkIn.body).toMatchObject({ checkedIn: true, decision: { decision: 'allow' }, visit: { status: 'checked-in', checkInLocation: '31.2304,121.4737' } });

    const completed = await call('field1', 'POST', `/collections/visits/${visitId}/complete`, { outcome: 'paid', report: 'Met the borrower at home; paid the overdue amount.', payment: { amount: '3000.00' } }, 'complete-1');
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('completed');
    expect(completed.body.paymentId).toMatch(/^pay_/);
    const replay = await call('field1', 'POST', `/collections/visits/${visitId}/complete`, { outcome: 'paid', report: 'Met the borrower at home; paid the overdue amount.', payment: { amount: '3000.00' } }, 'complete-1');
    expect(replay.body).toEqual(completed.body);
    const payments = await handle.db.selectFrom('loan_transaction').selectAll().where('loan_id', '=', loanId).where('kind', '=', 'payment').execute();
    expect(payments).toHaveLength(1);

    const loan = await handle.db.selectFrom('loan').select(['days_past_due']).where('id', '=', loanId).executeTakeFirstOrThrow();
    expect(loan.days_past_due).toBe(0);
    const summaries = await runDays(addDays(lastRun, 1), addDays(lastRun, 1));
    expect(summaries[0]!.casesClosed).toBe(1);
    const closed = await call('supervisor', 'GET', `/collections/cases/${caseId}`);
    expect(closed.body).toMatchObject({ status: 'closed-cured', closedOn: expect.any(String) });
    expect((await call('agentA', 'GET', '/collections/queue')).body.items).toEqual([]);
  }, 120_000);

  it('puts a disputed case on hold: ageing paused, the borrower flagged, and the gate refuses the next contact', async () => {
    const otherCase = await handle.db.selectFrom('collection_case').selectAll().where('loan_id', '=', otherLoanId).executeTakeFirstOrThrow();
    expect(otherCase.status).toBe('open');
    await call('supervisor', 'POST', `/collections/cases/${otherCase.id}/assign`, { agentId: users.agentB!.id }, 'assign-other');
    expect((await call('agentA', 'GET', `/collections/cases/${otherCase.id}`)).status).toBe(404);
    const contact = await call('agentB', 'POST', `/collections/cases/${otherCase.id}/contact`, { channel: 'call' }, 'other-contact-1');
    expect(contact.body.allowed).toBe(true);
    const outcome = await call('agentB', 'POST', `/collections/cases/${otherCase.id}/outcome`, { attemptId: contact.body.attemptId, outcome: 'dispute-raised', note: 'Says the amount is wrong' }, 'other-outcome-1');
    expect(outcome.status).toBe(200);
    expect(outcome.body.status).toBe('dispute-hold');
    const pauses = await handle.db.selectFrom('loan_ageing_pause').selectAll().where('loan_id', '=', otherLoanId).execute();
    expect(pauses).toHaveLength(1);
    const flags = await handle.db.selectFrom('borrower_contact_flags').selectAll().where('borrower_id', '=', otherBorrowerId).executeTakeFirstOrThrow();
    expect(flags.flags).toContain('dispute');
    const refused = await call('agentB', 'POST', `/collections/cases/${otherCase.id}/contact`, { channel: 'call' }, 'other-contact-2');
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ allowed: false, attemptId: null, decision: { decision: 'deny', allowAfter: null } });
    expect(refused.body.decision.reasons.map((reason: { code: string }) => reason.code)).toContain('DISPUTE_PENDING');
    expect(await handle.db.selectFrom('contact_receipt').selectAll().where('id', '=', refused.body.receiptId).executeTakeFirst()).toBeDefined();
  }, 60_000);

  it('reports effectiveness per channel, rung, arm and agent, crediting the field payment to the visit', async () => {
    expect((await call('agentA', 'GET', `/collections/effectiveness?from=${START}&to=${lastRun}`)).status).toBe(403);
    const report = await call('supervisor', 'GET', `/collections/effectiveness?from=${START}&to=${lastRun}`);
    expect(report.status).toBe(200);
    const row = (dimension: string, value: string) => report.body.rows.find((item: { dimension: string; value: string }) => item.dimension === dimension && item.value === value);
    expect(row('agent', users.agentA!.id)).toMatchObject({ attempts: 1, rightPartyContacts: 1, promises: 1, promisesKept: 0, keptRate: '0.0000' });
    expect(row('agent', users.field1!.id)).toMatchObject({ attempts: 1, rightPartyContacts: 1, cures: 1, recoveredWithin7Days: { CNY: '3000.00' } });
    expect(row('channel', 'visit')).toMatchObject({ attempts: 1, cures: 1, cureRate: '1.0000' });
    expect(row('rung', 'sms-dpd-1')).toMatchObject({ attempts: 2, deliveries: 0 });
    expect(row('channel', 'sms').attempts).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('leaves the books and the receipts verifiable: every attempt has a receipt that re-derives', async () => {
    expect((await verifyServicing(handle.db)).every((check) => check.ok)).toBe(true);
    const receipts = await verifyReceipts(handle.db);
    expect(receipts.checked).toBeGreaterThan(3);
    expect(receipts.mismatches).toEqual([]);
    const attempts = await handle.db.selectFrom('contact_attempt').selectAll().execute();
    expect(attempts.length).toBe(3);
    expect(attempts.every((attempt) => attempt.receipt_id.startsWith('rcpt_'))).toBe(true);
  }, 60_000);
});
