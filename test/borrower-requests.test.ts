import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { addCharge, approveLoan, createLoan, disburseLoan } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { runEndOfDay } from '../src/eod/eod.service.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { contactRequestFor } from '../src/collections/case-contact.ts';
import { OutboxChannel } from '../src/collections/channels/outbox-channel.ts';
import type { ChannelKind } from '../src/collections/channels/message-channel.ts';
import { dispatchBatch, enqueueMessage, findMessage } from '../src/collections/dispatch.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
/** 10:00 in Shanghai. */
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;
/** 21:30 in Shanghai: inside CN hours, inside the evening the borrower will call inconvenient. */
const eveningOf = (date: BusinessDate) => `${date}T13:30:00Z`;

describe(`borrower requests: contact preferences and disputes on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let borrowerId: string;
  let loanId: string;
  let firstDue: BusinessDate;
  let caseId: string;
  let headers: Record<string, Record<string, string>> = {};
  let keyIds: Record<string, string> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids } = server.dependencies;
    const product = await createProduct(handle.db, ids, personalLoanProduct(), START);
    borrowerId = (await createBorrower(handle.db, ids, borrowerInput())).id;
    const otherId = (await createBorrower(handle.db, ids, borrowerInput({ fullName: '李华', nationalId: '110101198805061235', phones: [{ number: '+8613900139000', kind: 'mobile' }] }))).id;
    const dependencies = { db: handle.db, ids };
    const loan = await createLoan(dependencies, { borrowerId, productId: product.id, principal: '10000.00' }, START);
    await approveLoan(dependencies, loan.id, START);
    await disburseLoan(dependencies, loan.id, { businessDate: START, idempotencyKey: 'disburse' });
    loanId = loan.id;
    firstDue = (await loadInstallments(handle.db, loanId))[0]!.dueDate as BusinessDate;
    const { createApiKey } = await import('../src/http/auth.ts');
    for (const [name, role, owner] of [
      ['borrower', 'borrower', borrowerId], ['other', 'borrower', otherId], ['supervisor', 'supervisor', null], ['agent', 'agent', null], ['compliance', 'compliance', null],
    ] as const) {
      const created = await createApiKey(handle.db, ids, { name, role, borrowerId: owner });
      headers = { ...headers, [name]: { authorization: `Bearer ${created.key}` } };
      keyIds = { ...keyIds, [name]: created.id };
    }
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function call(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, key?: string) {
    const requestHeaders: Record<string, string> = { ...headers[user]! };
    if (key) requestHeaders['idempotency-key'] = key;
    const response = await server.app.inject({ method, url: `/v1${url}`, headers: requestHeaders, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any>, replayed: response.headers['idempotent-replayed'] };
  }

  const outbox = (kind: ChannelKind) => new OutboxChannel(kind, { db: handle.db, clock: server.dependencies.clock, ids: server.dependencies.ids });
  const evenings = { optOuts: ['email'], inconvenient: [{ from: '21:00', to: '08:00' }, { weekdays: ['sun'] }], preferredLanguage: 'en', ceaseContact: false };

  it('lets a borrower state their preferences, validated, audited, and honoured by the gate for a message queued before', async () => {
    const initial = await call('borrower', 'GET', `/borrowers/${borrowerId}/contact-preferences`);
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({ borrowerId, timeZone: 'Asia/Shanghai', optOuts: [], inconvenient: [], preferredLanguage: null, ceaseContact: false, changes: [] });
    expect((await call('other', 'GET', `/borrowers/${borrowerId}/contact-preferences`)).status).toBe(404);
    expect((await call('other', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, evenings, 'prefs-x')).status).toBe(404);
    expect((await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, evenings)).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const badTime = await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, { ...evenings, inconvenient: [{ from: '25:00', to: '08:00' }] }, 'prefs-bad');
    expect(badTime.status).toBe(400);
    expect(badTime.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'inconvenient.0.from' });
    const halfRange = await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, { ...evenings, inconvenient: [{ from: '21:00' }] }, 'prefs-half');
    expect(halfRange.status).toBe(400);
    const badChannel = await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, { ...evenings, optOuts: ['pigeon'] }, 'prefs-channel');
    expect(badChannel.status).toBe(400);

    // A reminder queued while the borrower had said nothing yet.
    const { clock, ids } = server.dependencies;
    const request = contactRequestFor({ policy: 'CN', at: clock.now(), borrower: { timeZone: 'Asia/Shanghai', flags: [], optOuts: [], inconvenient: [] }, channel: 'sms', loanId, history: [] });
    const { at: _at, ...withoutInstant } = request;
    await enqueueMessage(handle.db, { clock, ids }, { borrowerId, channel: 'sms', to: '+8613800138000', body: 'Reminder', language: 'zh-CN', idempotencyKey: 'reminder-1', contactRequest: withoutInstant, notBefore: new Date(eveningOf(START)) });

    const saved = await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, evenings, 'prefs-1');
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ optOuts: ['email'], inconvenient: evenings.inconvenient, preferredLanguage: 'en', ceaseContact: false });
    expect(saved.body.changes).toHaveLength(1);
    expect(saved.body.changes[0]).toMatchObject({
      changedBy: keyIds.borrower, changedByRole: 'borrower',
      before: { optOuts: [], inconvenient: [], preferredLanguage: null, ceaseContact: false },
      after: { optOuts: ['email'], preferredLanguage: 'en', ceaseContact: false },
    });
    const replay = await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, evenings, 'prefs-1');
    expect(replay).toMatchObject({ status: 200, replayed: 'true', body: saved.body });
    expect((await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, { ...evenings, optOuts: [] }, 'prefs-1')).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await handle.db.selectFrom('borrower').select('language').where('id', '=', borrowerId).executeTakeFirstOrThrow()).language).toBe('en');

    // 21:30 on a Monday in Shanghai: the SMS waits for 08:00, the end of the stated evening.
    clock.set(eveningOf(START));
    expect(await dispatchBatch({ db: handle.db, clock, ids, channelFor: outbox })).toMatchObject({ sent: 0, rescheduled: 1 });
    const deferred = (await findMessage(handle.db, 'reminder-1'))!;
    expect(deferred.status).toBe('queued');
    expect(deferred.nextAttemptAt.toISOString()).toBe(`${addDays(START, 1)}T00:00:00.000Z`);
    const receipt = await handle.db.selectFrom('contact_receipt').selectAll().where('id', '=', deferred.receiptId!).executeTakeFirstOrThrow();
    expect(JSON.stringify(receipt)).toContain('STATED_INCONVENIENT');

    // Staff record a cease request on the borrower's behalf: the queued SMS is never sent.
    const cease = await call('agent', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, { ...evenings, ceaseContact: true }, 'prefs-cease');
    expect(cease.body).toMatchObject({ ceaseContact: true });
    expect(cease.body.changes.map((change: { changedByRole: string }) => change.changedByRole)).toEqual(['agent', 'borrower']);
    clock.set(morningOf(addDays(START, 1)));
    expect(await dispatchBatch({ db: handle.db, clock, ids, channelFor: outbox })).toMatchObject({ sent: 0, denied: 1 });
    expect((await findMessage(handle.db, 'reminder-1'))!.status).toBe('denied');

    // Withdrawn: flags set for other reasons stay; cease goes.
    await handle.db.updateTable('borrower_contact_flags').set({ flags: JSON.stringify(['cease', 'vulnerable']) }).where('borrower_id', '=', borrowerId).execute();
    const withdrawn = await call('borrower', 'PUT', `/borrowers/${borrowerId}/contact-preferences`, evenings, 'prefs-2');
    expect(withdrawn.body.ceaseContact).toBe(false);
    expect((await handle.db.selectFrom('borrower_contact_flags').select('flags').where('borrower_id', '=', borrowerId).executeTakeFirstOrThrow()).flags).toEqual(['vulnerable']);
    await handle.db.updateTable('borrower_contact_flags').set({ flags: JSON.stringify([]) }).where('borrower_id', '=', borrowerId).execute();
  }, 60_000);

  async function runDays(from: BusinessDate, until: BusinessDate) {
    const { ids, clock } = server.dependencies;
    const eod = endOfDayDependencies(handle, ids);
    for (let date = from; date <= until; date = addDays(date, 1)) {
      await runEndOfDay(eod, date);
      clock.set(morningOf(date));
      await runCollections(handle.db, ids, clock, date);
    }
  }

  it('holds a disputed loan: no collection contact, ageing paused; resolution waives a fee and returns the case', async () => {
    await runDays(addDays(START, 1), addDays(firstDue, 3));
    const opened = await handle.db.selectFrom('collection_case').selectAll().where('loan_id', '=', loanId).executeTakeFirstOrThrow();
    expect(opened.status).toBe('open');
    caseId = opened.id;
    const today = addDays(firstDue, 3);
    const fee = await addCharge({ db: handle.db, ids: server.dependencies.ids }, loanId, { kind: 'fee', name: 'Statement fee', amount: '20.00', idempotencyKey: 'fee-1', businessDate: today });

    const body = { reason: 'already-paid', text: 'I paid this instalment by bank transfer on the due date.' };
    expect((await call('other', 'POST', `/loans/${loanId}/disputes`, body, 'dispute-x')).status).toBe(404);
    expect((await call('borrower', 'POST', `/loans/${loanId}/disputes`, body)).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await call('borrower', 'POST', `/loans/${loanId}/disputes`, { ...body, reason: 'bored' }, 'dispute-bad')).status).toBe(400);
    const raised = await call('borrower', 'POST', `/loans/${loanId}/disputes`, body, 'dispute-1');
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ loanId, borrowerId, caseId, status: 'open', reason: 'already-paid', raisedOn: today, ageingPaused: true, raisedBy: keyIds.borrower });
    expect((await call('borrower', 'POST', `/loans/${loanId}/disputes`, body, 'dispute-1')).body).toEqual(raised.body);
    expect((await call('borrower', 'POST', `/loans/${loanId}/disputes`, body, 'dispute-2')).body.code).toBe('INVALID_STATE');
    expect((await handle.db.selectFrom('collection_case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status).toBe('dispute-hold');
    const pauses = await handle.db.selectFrom('loan_ageing_pause').selectAll().where('loan_id', '=', loanId).execute();
    expect(pauses.map((pause) => [pause.from_date, pause.until_date])).toEqual([[today, null]]);

    // An agent's call now is refused by the gate, with its receipt; the daily run proposes nothing.
    const contact = await call('supervisor', 'POST', `/collections/cases/${caseId}/contact`, { channel: 'call' }, 'contact-held');
    expect(contact.status).toBe(200);
    expect(contact.body.allowed).toBe(false);
    expect(contact.body.decision.reasons.map((reason: { code: string }) => reason.code)).toContain('DISPUTE_PENDING');
    // Call tasks made before the dispute stay in the queue, but the gate keeps their window shut.
    const queue = (await call('supervisor', 'GET', '/collections/queue')).body.items.filter((item: { caseId: string }) => item.caseId === caseId);
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.every((item: { windowOpen: boolean }) => item.windowOpen === false)).toBe(true);
    const rungsBefore = (await handle.db.selectFrom('collection_rung_run').select('rung_id').where('case_id', '=', caseId).execute()).length;
    await runDays(addDays(today, 1), addDays(today, 5));
    expect((await handle.db.selectFrom('collection_rung_run').select('rung_id').where('case_id', '=', caseId).execute()).length).toBe(rungsBefore);
    const held = await handle.db.selectFrom('loan').select(['delinquent_days', 'days_past_due']).where('id', '=', loanId).executeTakeFirstOrThrow();
    expect(held.days_past_due).toBeGreaterThan(held.delinquent_days);

    const resolvedOn = addDays(today, 5);
    const resolution = { outcome: 'upheld', resolution: 'The transfer arrived late through no fault of yours; the fee is waived.', waiveChargeIds: [fee.body.id] };
    expect((await call('agent', 'POST', `/disputes/${raised.body.id}/resolve`, resolution, 'resolve-1')).status).toBe(403);
    expect((await call('supervisor', 'POST', `/disputes/${raised.body.id}/resolve`, { ...resolution, outcome: 'rejected' }, 'resolve-bad')).status).toBe(400);
    const resolved = await call('supervisor', 'POST', `/disputes/${raised.body.id}/resolve`, resolution, 'resolve-1');
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'upheld', resolvedOn, resolvedBy: keyIds.supervisor, waivedChargeIds: [fee.body.id] });
    expect((await call('supervisor', 'POST', `/disputes/${raised.body.id}/resolve`, resolution, 'resolve-1')).body).toEqual(resolved.body);
    expect((await call('supervisor', 'POST', `/disputes/${raised.body.id}/resolve`, resolution, 'resolve-2')).body.code).toBe('INVALID_STATE');
    const charge = await handle.db.selectFrom('loan_charge').select(['amount_minor', 'waived_minor']).where('id', '=', fee.body.id).executeTakeFirstOrThrow();
    expect(charge.waived_minor).toBe(charge.amount_minor);
    expect((await handle.db.selectFrom('collection_case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status).toBe('open');
    const reopened = (await call('supervisor', 'GET', '/collections/queue')).body.items.filter((item: { caseId: string }) => item.caseId === caseId);
    expect(reopened.some((item: { windowOpen: boolean }) => item.windowOpen)).toBe(true);
    const resumed = await handle.db.selectFrom('loan_ageing_pause').selectAll().where('loan_id', '=', loanId).execute();
    expect(resumed.map((pause) => [pause.from_date, pause.until_date])).toEqual([[today, resolvedOn]]);
    for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);

    const mine = await call('borrower', 'GET', `/loans/${loanId}/disputes`);
    expect(mine.body.items.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([[raised.body.id, 'upheld']]);
    expect((await call('other', 'GET', `/disputes/${raised.body.id}`)).status).toBe(404);
    expect((await call('compliance', 'GET', '/disputes?status=upheld')).body.items).toHaveLength(1);

    // A rejected dispute also returns the case and resumes ageing.
    const again = await call('agent', 'POST', `/loans/${loanId}/disputes`, { reason: 'wrong-amount', text: 'The borrower says the amount is wrong.' }, 'dispute-3');
    expect(again.body).toMatchObject({ status: 'open', raisedBy: keyIds.agent });
    server.dependencies.clock.set(morningOf(addDays(resolvedOn, 1)));
    const rejected = await call('compliance', 'POST', `/disputes/${again.body.id}/resolve`, { outcome: 'rejected', resolution: 'The amount matches the schedule.' }, 'resolve-3');
    expect(rejected.body.status).toBe('rejected');
    expect((await handle.db.selectFrom('collection_case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status).toBe('open');
    const after = await handle.db.selectFrom('loan_ageing_pause').selectAll().where('loan_id', '=', loanId).orderBy('from_date').execute();
    expect(after.map((pause) => [pause.from_date, pause.until_date])).toEqual([[today, resolvedOn], [resolvedOn, addDays(resolvedOn, 1)]]);
  }, 180_000);
});
