import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan, postPayment } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { verifyServicing } from '../src/lending/verify.service.ts';
import { runEndOfDay } from '../src/eod/eod.service.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { createApiKey } from '../src/http/auth.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;

describe(`hardship plans from request to a rescheduled loan on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let borrowerId: string;
  let loanId: string;
  /** The other borrower's loan, late at the same time: a dispute and a hardship request hold it together. */
  let otherLoanId: string;
  let firstDue: BusinessDate;
  let requestedOn: BusinessDate;
  let requestId: string;
  const headers: Record<string, Record<string, string>> = {};
  const keyIds: Record<string, string> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids } = server.dependencies;
    // Late fees after 3 days of grace: a review that does not pause ageing would cost the borrower one.
    const product = await createProduct(handle.db, ids, personalLoanProduct({ lateFee: { percent: '10', capPerInstallment: '30.00' }, penaltyAnnualRate: '36.5', agingGraceDays: 3 }), START);
    borrowerId = (await createBorrower(handle.db, ids, borrowerInput())).id;
    const otherId = (await createBorrower(handle.db, ids, borrowerInput({ fullName: '李华', nationalId: '110101198805061235', phones: [{ number: '+8613900139000', kind: 'mobile' }] }))).id;
    const dependencies = { db: handle.db, ids };
    const loan = await createLoan(dependencies, { borrowerId, productId: product.id, principal: '10000.00' }, START);
    await approveLoan(dependencies, loan.id, START);
    await disburseLoan(dependencies, loan.id, { businessDate: START, idempotencyKey: 'disburse' });
    loanId = loan.id;
    const otherLoan = await createLoan(dependencies, { borrowerId: otherId, productId: product.id, principal: '5000.00' }, START);
    await approveLoan(dependencies, otherLoan.id, START);
    await disburseLoan(dependencies, otherLoan.id, { businessDate: START, idempotencyKey: 'disburse-other' });
    otherLoanId = otherLoan.id;
    firstDue = (await loadInstallments(handle.db, loanId))[0]!.dueDate as BusinessDate;
    for (const [name, role, owner] of [['borrower', 'borrower', borrowerId], ['other', 'borrower', otherId], ['supervisor', 'supervisor', null], ['agent', 'agent', null]] as const) {
      const created = await createApiKey(handle.db, ids, { name, role, borrowerId: owner });
      headers[name] = { authorization: `Bearer ${created.key}` };
      keyIds[name] = created.id;
    }
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function call(user: string, method: 'GET' | 'POST', url: string, payload?: unknown, key?: string) {
    const requestHeaders: Record<string, string> = { ...headers[user]! };
    if (key) requestHeaders['idempotency-key'] = key;
    const response = await server.app.inject({ method, url: `/v1${url}`, headers: requestHeaders, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any>, replayed: response.headers['idempotent-replayed'] };
  }

  async function runDays(from: BusinessDate, until: BusinessDate) {
    const { ids, clock } = server.dependencies;
    const eod = endOfDayDependencies(handle, ids);
    for (let date = from; date <= until; date = addDays(date, 1)) {
      await runEndOfDay(eod, date);
      clock.set(morningOf(date));
      await runCollections(handle.db, ids, clock, date);
    }
  }

  const caseStatus = async () => (await handle.db.selectFrom('collection_case').select(['status']).where('loan_id', '=', loanId).orderBy('opened_on', 'desc').executeTakeFirstOrThrow()).status;
  const sumOf = (values: string[]) => values.reduce((total, value) => total + BigInt(value.replace('.', '')), 0n);
  const request = { reason: 'My hours were cut in half this winter.', income: '6000.00', expenses: '4500.00', plan: { kind: 'deferral', months: 2 } };

  it('previews a plan without changing anything, and judges affordability from income and expenses', async () => {
    await runDays(addDays(START, 1), addDays(firstDue, 12));
    expect(await caseStatus()).toBe('open');
    const before = await handle.db.selectFrom('loan').select('version').where('id', '=', loanId).executeTakeFirstOrThrow();
    const preview = await call('borrower', 'POST', `/loans/${loanId}/hardship-plans/preview`, { ...request, plan: { kind: 'extension', months: 6 } });
    expect(preview.status).toBe(200);
    expect(preview.body.proposal.principalOwed).toBe('10000.00');
    expect(preview.body.proposal.installments).toHaveLength(17);
    expect(sumOf(preview.body.proposal.installments.map((row: { principal: string }) => row.principal))).toBe(1_000_000n);
    expect(preview.body.proposal.affordability.disposable).toBe('1500.00');
    const rich = await call('borrower', 'POST', `/loans/${loanId}/hardship-plans/preview`, { ...request, income: '30000.00', expenses: '1000.00' });
    expect(rich.body.proposal.affordability.verdict).toBe('affordable');
    const poor = await call('borrower', 'POST', `/loans/${loanId}/hardship-plans/preview`, { ...request, income: '1000.00', expenses: '990.00' });
    expect(poor.body.proposal.affordability.verdict).toBe('unaffordable');
    expect((await call('borrower', 'POST', `/loans/${loanId}/hardship-plans/preview`, { ...request, plan: { kind: 'deferral', months: 9 } })).body).toMatchObject({ code: 'OUT_OF_RANGE', field: 'plan.months' });
    expect((await call('other', 'POST', `/loans/${loanId}/hardship-plans/preview`, request)).status).toBe(404);
    expect((await handle.db.selectFrom('loan').select('version').where('id', '=', loanId).executeTakeFirstOrThrow()).version).toBe(before.version);
  }, 180_000);

  it('puts the case in hardship review and pauses ageing: no contact, no late fee while a supervisor looks', async () => {
    requestedOn = addDays(firstDue, 12);
    expect((await call('borrower', 'POST', `/loans/${loanId}/hardship-requests`, request)).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await call('other', 'POST', `/loans/${loanId}/hardship-requests`, request, 'hardship-x')).status).toBe(404);
    const requested = await call('borrower', 'POST', `/loans/${loanId}/hardship-requests`, request, 'hardship-1');
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ loanId, borrowerId, status: 'requested', requestedOn, requestedBy: keyIds.borrower, ageingPaused: true, plan: request.plan, income: '6000.00' });
    // The next due date (5 March) deferred by two months.
    expect(firstDue).toBe('2026-02-05');
    expect(requested.body.proposal.installments[0].dueDate).toBe('2026-05-05');
    requestId = requested.body.id;
    expect((await call('borrower', 'POST', `/loans/${loanId}/hardship-requests`, request, 'hardship-1')).body).toEqual(requested.body);
    expect((await call('borrower', 'POST', `/loans/${loanId}/hardship-requests`, request, 'hardship-2')).body.code).toBe('INVALID_STATE');
    expect(await caseStatus()).toBe('hardship-review');

    const lateFees = () => handle.db.selectFrom('loan_charge').select('due_date').where('loan_id', '=', loanId).where('name', '=', 'Late fee').execute();
    // The first installment, late since 5 February, had its fee; the second falls due on 5 March, inside the review.
    expect(await lateFees()).toHaveLength(1);
    const caseRow = await handle.db.selectFrom('collection_case').select('id').where('loan_id', '=', loanId).executeTakeFirstOrThrow();
    const rungsBefore = await handle.db.selectFrom('collection_rung_run').select('rung_id').where('case_id', '=', caseRow.id).execute();
    await runDays(addDays(requestedOn, 1), addDays(requestedOn, 20));
    expect(await handle.db.selectFrom('collection_rung_run').select('rung_id').where('case_id', '=', caseRow.id).execute()).toHaveLength(rungsBefore.length);
    expect(await lateFees()).toHaveLength(1);
    const mine = await call('borrower', 'GET', `/loans/${loanId}/hardship-requests`);
    expect(mine.body.items.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([[requestId, 'requested']]);
    expect((await call('other', 'GET', `/hardship-requests/${requestId}`)).status).toBe(404);
    expect((await call('supervisor', 'GET', '/hardship-requests?status=requested')).body.items).toHaveLength(1);
  }, 180_000);

  it('reschedules the loan for real on approval: principal unchanged, ledger balanced, case back to open, and a back-dated payment keeps the plan', async () => {
    const decidedOn = addDays(requestedOn, 20);
    const decision = { decision: 'approve', reason: 'Payslips checked; a two-month deferral is affordable.' };
    expect((await call('agent', 'POST', `/hardship-requests/${requestId}/decision`, decision, 'decide-1')).status).toBe(403);
    expect((await call('borrower', 'POST', `/hardship-requests/${requestId}/decision`, decision, 'decide-1')).status).toBe(403);
    const principalBefore = await handle.db.selectFrom('loan').select(['principal_outstanding_minor', 'principal_minor', 'interest_outstanding_minor']).where('id', '=', loanId).executeTakeFirstOrThrow();
    const approved = await call('supervisor', 'POST', `/hardship-requests/${requestId}/decision`, decision, 'decide-1');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: keyIds.supervisor, decidedOn, decisionReason: decision.reason });
    expect(approved.body.rescheduleId).toMatch(/^rsch_/);
    expect((await call('supervisor', 'POST', `/hardship-requests/${requestId}/decision`, decision, 'decide-1')).body).toEqual(approved.body);
    expect((await call('supervisor', 'POST', `/hardship-requests/${requestId}/decision`, decision, 'decide-2')).body.code).toBe('INVALID_STATE');

    const loan = await handle.db.selectFrom('loan').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();
    expect(loan.principal_outstanding_minor).toBe(principalBefore.principal_outstanding_minor);
    expect(loan.days_past_due).toBe(0);
    const installments = await loadInstallments(handle.db, loanId);
    expect(installments.reduce((total, installment) => total + installment.principalMinor, 0n)).toBe(principalBefore.principal_minor);
    const unpaid = installments.filter((installment) => installment.completedOn === null);
    expect(unpaid.map((installment) => installment.dueDate)).toEqual(approved.body.proposal.installments.map((row: { dueDate: string }) => row.dueDate));
    expect(unpaid[0]!.dueDate > decidedOn).toBe(true);
    const entry = await handle.db.selectFrom('journal_entry').select(['id', 'kind']).where('loan_id', '=', loanId).where('kind', '=', 'reschedule').execute();
    expect(entry).toHaveLength(1);
    expect(await caseStatus()).toBe('open');
    const pauses = await handle.db.selectFrom('loan_ageing_pause').select(['from_date', 'until_date']).where('loan_id', '=', loanId).execute();
    expect(pauses.map((pause) => [pause.from_date, pause.until_date])).toEqual([[requestedOn, decidedOn]]);
    for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);

    // A payment found later, dated before the plan: the loan is replayed, the plan applied again.
    const { ids } = server.dependencies;
    await postPayment({ db: handle.db, ids }, loanId, { amount: '300.00', date: addDays(firstDue, 1), idempotencyKey: 'late-found', businessDate: decidedOn });
    const replayed = await loadInstallments(handle.db, loanId);
    expect(replayed.reduce((total, installment) => total + installment.principalMinor, 0n)).toBe(principalBefore.principal_minor);
    expect(replayed.filter((installment) => installment.completedOn === null).map((installment) => installment.dueDate))
      .toEqual(approved.body.proposal.installments.map((row: { dueDate: string }) => row.dueDate));
    for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);

    // Nothing is overdue any more: the next collections run closes the case as cured.
    await runDays(addDays(decidedOn, 1), addDays(decidedOn, 1));
    expect(await caseStatus()).toBe('closed-cured');
  }, 180_000);

  it('declines with a reason and resumes ageing', async () => {
    const on = addDays(requestedOn, 21);
    const again = await call('agent', 'POST', `/loans/${loanId}/hardship-requests`, { ...request, plan: { kind: 'extension', months: 3 } }, 'hardship-3');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'requested', caseId: null, requestedBy: keyIds.agent });
    server.dependencies.clock.set(morningOf(addDays(on, 2)));
    const declined = await call('supervisor', 'POST', `/hardship-requests/${again.body.id}/decision`, { decision: 'decline', reason: 'The plan you already have covers this.' }, 'decide-3');
    expect(declined.body).toMatchObject({ status: 'declined', decisionReason: 'The plan you already have covers this.', rescheduleId: null });
    const pauses = await handle.db.selectFrom('loan_ageing_pause').select(['from_date', 'until_date']).where('loan_id', '=', loanId).orderBy('from_date').execute();
    expect(pauses.at(-1)).toEqual({ from_date: on, until_date: addDays(on, 2) });
    expect((await handle.db.selectFrom('loan_reschedule').select('transaction_id').where('loan_id', '=', loanId).execute())).toHaveLength(1);
  }, 60_000);

  it('lets a dispute and a hardship request hold one loan together: the case shows the dispute, ageing stays paused until the last one ends', async () => {
    const today = addDays(requestedOn, 23);
    server.dependencies.clock.set(morningOf(today));
    const otherCase = () => handle.db.selectFrom('collection_case').select(['status']).where('loan_id', '=', otherLoanId).where('closed_on', 'is', null).executeTakeFirstOrThrow();
    const openPause = async () => (await handle.db.selectFrom('loan_ageing_pause').select(['from_date', 'until_date']).where('loan_id', '=', otherLoanId).orderBy('from_date').execute()).at(-1);
    expect((await otherCase()).status).toBe('open');

    // Hardship first, then a dispute; the hardship is decided first.
    const hardship = await call('agent', 'POST', `/loans/${otherLoanId}/hardship-requests`, { ...request, plan: { kind: 'extension', months: 6 } }, 'other-hardship-1');
    expect(hardship.body).toMatchObject({ status: 'requested', ageingPaused: true });
    expect((await otherCase()).status).toBe('hardship-review');
    const dispute = await call('agent', 'POST', `/loans/${otherLoanId}/disputes`, { reason: 'wrong-amount', text: 'The borrower says a fee is wrong.' }, 'other-dispute-1');
    expect(dispute.body).toMatchObject({ status: 'open', ageingPaused: true });
    expect((await otherCase()).status).toBe('dispute-hold');
    const approved = await call('supervisor', 'POST', `/hardship-requests/${hardship.body.id}/decision`, { decision: 'approve', reason: 'Affordable.' }, 'other-decide-1');
    expect(approved.body.status).toBe('approved');
    expect((await otherCase()).status).toBe('dispute-hold');
    expect(await openPause()).toEqual({ from_date: today, until_date: null });
    server.dependencies.clock.set(morningOf(addDays(today, 1)));
    await call('supervisor', 'POST', `/disputes/${dispute.body.id}/resolve`, { outcome: 'rejected', resolution: 'The fee is right.' }, 'other-resolve-1');
    expect((await otherCase()).status).toBe('open');
    expect(await openPause()).toEqual({ from_date: today, until_date: addDays(today, 1) });

    // A dispute first, then a hardship request; the dispute is resolved first.
    server.dependencies.clock.set(morningOf(addDays(today, 2)));
    const disputeFirst = await call('agent', 'POST', `/loans/${otherLoanId}/disputes`, { reason: 'other', text: 'Asked for a statement.' }, 'other-dispute-2');
    const hardshipSecond = await call('agent', 'POST', `/loans/${otherLoanId}/hardship-requests`, { ...request, plan: { kind: 'deferral', months: 1 } }, 'other-hardship-2');
    expect(hardshipSecond.status).toBe(201);
    expect((await otherCase()).status).toBe('dispute-hold');
    server.dependencies.clock.set(morningOf(addDays(today, 3)));
    await call('supervisor', 'POST', `/disputes/${disputeFirst.body.id}/resolve`, { outcome: 'upheld', resolution: 'Statement sent.' }, 'other-resolve-2');
    expect((await otherCase()).status).toBe('hardship-review');
    expect(await openPause()).toEqual({ from_date: addDays(today, 2), until_date: null });
    server.dependencies.clock.set(morningOf(addDays(today, 4)));
    await call('supervisor', 'POST', `/hardship-requests/${hardshipSecond.body.id}/decision`, { decision: 'decline', reason: 'A plan is already running.' }, 'other-decide-2');
    expect((await otherCase()).status).toBe('open');
    expect(await openPause()).toEqual({ from_date: addDays(today, 2), until_date: addDays(today, 4) });
    for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);
  }, 60_000);

  it('offers plans on a loan repaid weekly: its months counted in whole weeks, the weekday kept, affordability judged on a month of payments', async () => {
    const { ids, clock } = server.dependencies;
    const today = addDays(requestedOn, 30);
    clock.set(morningOf(today));
    const dependencies = { db: handle.db, ids };
    const weeklyProduct = await createProduct(handle.db, ids, personalLoanProduct({
      name: 'Weekly loan', terms: { currency: 'CNY', annualRate: '12', numberOfRepayments: 26, repaymentUnit: 'weeks', roundingMode: 'half-even' }, repaymentsRange: { min: 26, max: 52 },
    }), today);
    const weeklyBorrowerId = (await createBorrower(handle.db, ids, borrowerInput({ fullName: '张伟', nationalId: '110101199201011236', phones: [{ number: '+8613700137000', kind: 'mobile' }] }))).id;
    const loan = await createLoan(dependencies, { borrowerId: weeklyBorrowerId, productId: weeklyProduct.id, principal: '2400.00' }, today);
    await approveLoan(dependencies, loan.id, today);
    await disburseLoan(dependencies, loan.id, { businessDate: today, idempotencyKey: 'disburse-weekly' });
    const created = await createApiKey(handle.db, ids, { name: 'weekly', role: 'borrower', borrowerId: weeklyBorrowerId });
    headers.weekly = { authorization: `Bearer ${created.key}` };
    const schedule = await loadInstallments(handle.db, loan.id);
    const weekday = new Date(`${schedule[0]!.dueDate}T00:00:00Z`).getUTCDay();

    const weeklyRequest = { reason: 'Lost a weekly shift.', income: '4000.00', expenses: '3000.00', plan: { kind: 'extension', months: 2 } };
    const preview = await call('weekly', 'POST', `/loans/${loan.id}/hardship-plans/preview`, weeklyRequest);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const rows = preview.body.proposal.installments as Array<{ dueDate: string; principal: string; interest: string }>;
    // Two months from the next due date hold eight whole weeks: 26 + 8 installments, every one on the loan's weekday, a week apart.
    expect(rows).toHaveLength(34);
    expect(rows[0]!.dueDate).toBe(schedule[0]!.dueDate);
    expect(rows.every((row, index) => new Date(`${row.dueDate}T00:00:00Z`).getUTCDay() === weekday && (index === 0 || row.dueDate === addDays(rows[index - 1]!.dueDate as BusinessDate, 7)))).toBe(true);
    expect(sumOf(rows.map((row) => row.principal))).toBe(240_000n);
    // Income is monthly: the plan is judged on the four or five payments a month asks, not on one.
    const largestPayment = BigInt(preview.body.proposal.largestPayment.replace('.', ''));
    const monthBurden = BigInt(preview.body.proposal.affordability.largestPayment.replace('.', ''));
    expect(monthBurden > 4n * largestPayment - 400n && monthBurden <= 5n * largestPayment).toBe(true);

    const requested = await call('weekly', 'POST', `/loans/${loan.id}/hardship-requests`, weeklyRequest, 'weekly-hardship-1');
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const approved = await call('supervisor', 'POST', `/hardship-requests/${requested.body.id}/decision`, { decision: 'approve', reason: 'Payslips checked.' }, 'weekly-decide-1');
    expect(approved.body.status).toBe('approved');
    const after = await loadInstallments(handle.db, loan.id);
    expect(after.filter((installment) => installment.completedOn === null).map((installment) => installment.dueDate)).toEqual(rows.map((row) => row.dueDate));
    expect(after.reduce((total, installment) => total + installment.principalMinor, 0n)).toBe(240_000n);
    for (const check of await verifyServicing(handle.db)) expect(check.failures, check.name).toEqual([]);
  }, 60_000);
});
