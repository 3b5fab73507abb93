import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan, postPayment } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { closeRunIfDone, runEndOfDay } from '../src/eod/eod.service.ts';
import { createApiKey } from '../src/http/auth.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { recordPortfolioSnapshot } from '../src/collections/reports.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;

describe(`supervisor reports and lists on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let firstDue: BusinessDate;
  let lastRun: BusinessDate;
  const loans: Record<string, string> = {};
  const users: Record<string, { id: string; headers: Record<string, string> }> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids } = server.dependencies;
    const dependencies = { db: handle.db, ids };
    const yuan = await createProduct(handle.db, ids, personalLoanProduct(), START);
    const pound = await createProduct(handle.db, ids, personalLoanProduct({ name: 'UK personal loan', terms: { currency: 'GBP', annualRate: '18', numberOfRepayments: 12, roundingMode: 'half-even' } }), START);
    const people = [
      ['wang', yuan.id, '10000.00', borrowerInput()],
      ['li', yuan.id, '5000.00', borrowerInput({ fullName: '李华', nationalId: '110101198805061235', phones: [{ number: '+8613900139000', kind: 'mobile' }] })],
      ['sam', pound.id, '3000.00', borrowerInput({ fullName: 'Sam Taylor', nationalId: null, jurisdiction: 'UK', language: 'en', timeZone: 'Europe/London', phones: [{ number: '+447700900123', kind: 'mobile' }], emails: [{ address: 'sam@example.co.uk' }] })],
    ] as const;
    for (const [name, productId, principal, input] of people) {
      const borrower = await createBorrower(handle.db, ids, input);
      const loan = await createLoan(dependencies, { borrowerId: borrower.id, productId, principal }, START);
      await approveLoan(dependencies, loan.id, START);
      await disburseLoan(dependencies, loan.id, { businessDate: START, idempotencyKey: `disburse-${name}` });
      loans[name] = loan.id;
    }
    firstDue = (await loadInstallments(handle.db, loans.wang!))[0]!.dueDate as BusinessDate;
    for (const [name, role] of [['supervisor', 'supervisor'], ['agentA', 'agent'], ['agentB', 'agent']] as const) {
      const created = await createApiKey(handle.db, ids, { name, role, borrowerId: null });
      users[name] = { id: created.id, headers: { authorization: `Bearer ${created.key}` } };
    }
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function runDays(from: BusinessDate, until: BusinessDate) {
    const { ids, clock } = server.dependencies;
    const eod = endOfDayDependencies(handle, ids);
    for (let date = from; date <= until; date = addDays(date, 1)) {
      await runEndOfDay(eod, date);
      lastRun = date;
    }
    clock.set(morningOf(until));
    await runCollections(handle.db, ids, clock, until);
  }

  async function call(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, key?: string) {
    const headers: Record<string, string> = { ...users[user]!.headers, ...(key ? { 'idempotency-key': key } : {}) };
    const response = await server.app.inject({ method, url: `/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  }

  it('records the portfolio by jurisdiction, currency and bucket once per closed date, never mixing currencies', async () => {
    await runDays(START, addDays(firstDue, 3));
    const range = `from=${START}&to=${lastRun}`;
    const report = await call('supervisor', 'GET', `/collections/reports/delinquency?${range}`);
    expect(report.status).toBe(200);
    const dates = new Set(report.body.items.map((item: any) => item.businessDate));
    const closed = await handle.db.selectFrom('eod_run').select('business_date').where('status', '=', 'finished').execute();
    expect(dates.size).toBe(closed.length);
    // The last date's rows are the loans as they stand now, grouped independently here.
    const standing = await handle.db.selectFrom('loan').innerJoin('borrower', 'borrower.id', 'loan.borrower_id')
      .select(['borrower.jurisdiction', 'loan.currency', 'loan.bucket', 'loan.principal_outstanding_minor', 'loan.interest_outstanding_minor', 'loan.fee_outstanding_minor', 'loan.penalty_outstanding_minor'])
      .where('loan.status', '=', 'active').execute();
    const expected = new Map<string, { loans: number; minor: bigint; currency: string }>();
    for (const loan of standing) {
      const key = `${loan.jurisdiction}|${loan.currency}|${loan.bucket ?? 'current'}`;
      const total = BigInt(loan.principal_outstanding_minor) + BigInt(loan.interest_outstanding_minor) + BigInt(loan.fee_outstanding_minor) + BigInt(loan.penalty_outstanding_minor);
      const previous = expected.get(key) ?? { loans: 0, minor: 0n, currency: loan.currency };
      expected.set(key, { loans: previous.loans + 1, minor: previous.minor + total, currency: loan.currency });
    }
    const lastRows = report.body.items.filter((item: any) => item.businessDate === lastRun);
    expect(lastRows.map((row: any) => `${row.jurisdiction}|${row.currency}|${row.bucket}`).sort()).toEqual([...expected.keys()].sort());
    for (const row of lastRows) {
      const want = expected.get(`${row.jurisdiction}|${row.currency}|${row.bucket}`)!;
      expect(row.loans).toBe(want.loans);
      expect(row.outstanding).toBe(`${want.minor / 100n}.${String(want.minor % 100n).padStart(2, '0')}`);
    }
    expect(lastRows.some((row: any) => row.currency === 'GBP' && row.jurisdiction === 'UK')).toBe(true);
    expect(lastRows.some((row: any) => row.bucket !== 'current')).toBe(true);

    // Closing the date again, or recording it again, writes nothing more.
    const before = await handle.db.selectFrom('portfolio_snapshot').selectAll().orderBy('business_date').orderBy('bucket').orderBy('currency').execute();
    expect(await closeRunIfDone(handle.db, lastRun)).toBe(true);
    expect(await recordPortfolioSnapshot(handle.db, lastRun)).toBe(0);
    expect(await handle.db.selectFrom('portfolio_snapshot').selectAll().orderBy('business_date').orderBy('bucket').orderBy('currency').execute()).toEqual(before);
  }, 180_000);

  it('reports roll, cure and promise rates from the outbox and agent activity per day', async () => {
    const caseOf = async (loanId: string) => (await handle.db.selectFrom('collection_case').select('id').where('loan_id', '=', loanId).executeTakeFirstOrThrow()).id;
    const wangCase = await caseOf(loans.wang!);
    expect((await call('supervisor', 'POST', `/collections/cases/${wangCase}/assign`, { agentId: users.agentA!.id }, 'assign-wang')).status).toBe(200);
    const contact = await call('agentA', 'POST', `/collections/cases/${wangCase}/contact`, { channel: 'call' }, 'contact-1');
    expect(contact.status).toBe(201);
    expect((await call('agentA', 'POST', `/collections/cases/${wangCase}/outcome`, { attemptId: contact.body.attemptId, outcome: 'promise' }, 'outcome-1')).status).toBe(200);
    expect((await call('agentA', 'POST', `/collections/cases/${wangCase}/promises`, { instalments: [{ dueOn: addDays(lastRun, 2), amount: '500.00' }] }, 'promise-1')).status).toBe(201);
    const activityDate = lastRun;
    // Li pays off the whole loan: it is cured (and stays so).
    const { ids } = server.dependencies;
    await postPayment({ db: handle.db, ids }, loans.li!, { amount: '6000.00', idempotencyKey: 'pay-li', businessDate: addDays(lastRun, 1), date: addDays(lastRun, 1) });
    await runDays(addDays(lastRun, 1), addDays(firstDue, 40));

    const range = `from=${START}&to=${lastRun}`;
    const events = await handle.db.selectFrom('domain_event').select(['kind', 'loan_id', 'payload', 'business_date']).where('kind', 'in', ['loan.bucket_changed', 'loan.delinquent', 'loan.cured']).orderBy('sequence').execute();
    const payloadOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, string | null>;
    const monthOf = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value)).slice(0, 7);
    // Roll rates, counted here from the events by hand.
    const moves = new Map<string, Set<string>>();
    for (const event of events.filter((row) => row.kind === 'loan.bucket_changed')) {
      const payload = payloadOf(event.payload);
      const key = `${monthOf(event.business_date)}|${payload.from ?? 'current'}|${payload.to ?? 'current'}`;
      moves.set(key, (moves.get(key) ?? new Set()).add(event.loan_id!));
    }
    const rolls = await call('supervisor', 'GET', `/collections/reports/roll-rates?${range}`);
    expect(rolls.status).toBe(200);
    expect(rolls.body.items.map((item: any) => [`${item.month}|${item.from}|${item.to}`, item.loans]).sort()).toEqual([...moves].map(([key, loanIds]) => [key, loanIds.size]).sort());
    expect(rolls.body.items.some((item: any) => item.to === 'current')).toBe(true);
    for (const item of rolls.body.items) {
      const leaving = rolls.body.items.filter((other: any) => other.month === item.month && other.from === item.from).reduce((sum: number, other: any) => sum + other.loans, 0);
      expect(item.leftBucket).toBe(leaving);
    }

    const cures = await call('supervisor', 'GET', `/collections/reports/cure-rates?${range}`);
    const delinquentLoans = new Set(events.filter((row) => row.kind === 'loan.delinquent').map((row) => row.loan_id));
    expect(delinquentLoans.size).toBe(3);
    expect(cures.body.items.reduce((sum: number, item: any) => sum + item.delinquent, 0)).toBe(3);
    expect(cures.body.items.reduce((sum: number, item: any) => sum + item.cured, 0)).toBe(1);
    expect(cures.body.items.find((item: any) => item.cured === 1)).toMatchObject({ delinquent: 3, cureRate: '0.3333' });

    const promises = await call('supervisor', 'GET', `/collections/reports/promises?${range}`);
    expect(promises.body.items).toEqual([{ month: activityDate.slice(0, 7), made: 1, kept: 0, partlyKept: 0, broken: 1, pending: 0, keptRate: '0.0000' }]);

    const activity = await call('supervisor', 'GET', `/collections/reports/agent-activity?${range}`);
    expect(activity.body.items).toEqual([{ agentId: users.agentA!.id, agentName: null, date: activityDate, attempts: 1, rightPartyContacts: 1, promises: 1 }]);

    const effectiveness = await call('supervisor', 'GET', `/collections/effectiveness?${range}`);
    expect(effectiveness.status).toBe(200);
  }, 240_000);

  it('lists open cases with their agent and visits waiting for approval, masked; the roster shows certification', async () => {
    const all = await call('supervisor', 'GET', '/collections/cases');
    expect(all.status).toBe(200);
    // Li was cured: two open cases, most days past due first.
    expect(all.body.items.map((item: any) => item.loanId).sort()).toEqual([loans.wang, loans.sam].sort());
    const wang = all.body.items.find((item: any) => item.loanId === loans.wang);
    expect(wang).toMatchObject({ agentId: users.agentA!.id, currency: 'CNY', borrower: { name: '王**', masked: true } });
    const unassigned = await call('supervisor', 'GET', '/collections/cases?assignment=unassigned');
    expect(unassigned.body.items.map((item: any) => item.loanId)).toEqual([loans.sam]);
    expect(unassigned.body.items[0]).toMatchObject({ agentId: null, currency: 'GBP', jurisdiction: 'UK' });
    expect((await call('supervisor', 'GET', `/collections/cases?agentId=${users.agentA!.id}`)).body.items.map((item: any) => item.loanId)).toEqual([loans.wang]);

    const visit = await call('agentA', 'POST', `/collections/cases/${wang.id}/visits`, {}, 'visit-1');
    expect(visit.status).toBe(201);
    const waiting = await call('supervisor', 'GET', '/collections/visits');
    expect(waiting.body.items).toEqual([expect.objectContaining({ id: visit.body.id, caseId: wang.id, status: 'requested', requestedBy: users.agentA!.id, daysPastDue: wang.daysPastDue, borrower: expect.objectContaining({ name: '王**' }) })]);
    expect((await call('supervisor', 'GET', '/collections/visits?status=approved')).body.items).toEqual([]);
    expect((await call('supervisor', 'GET', '/collections/visits?status=lost')).status).toBe(400);

    const profile = { displayName: '张敏', languages: ['zh-CN'], jurisdictions: ['CN'], region: '上海', capacity: 20 };
    expect((await call('supervisor', 'PUT', `/collections/collectors/${users.agentA!.id}`, profile)).status).toBe(200);
    expect((await call('supervisor', 'PUT', `/collections/collectors/${users.agentB!.id}`, { ...profile, displayName: '李强' })).status).toBe(200);
    const training = { module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-02', expiresOn: '2027-01-02' };
    expect((await call('supervisor', 'POST', `/collections/collectors/${users.agentA!.id}/training`, training, 'train-a')).status).toBe(201);
    const roster = await call('supervisor', 'GET', '/collections/roster');
    expect(roster.body.items).toEqual([
      expect.objectContaining({ agentId: users.agentA!.id, displayName: '张敏', openCases: 1, capacity: 20, certification: { status: 'certified', jurisdictions: ['CN'], channels: ['call', 'sms'], certifiedUntil: '2027-01-02' } }),
      expect.objectContaining({ agentId: users.agentB!.id, openCases: 0, certification: { status: 'uncertified', jurisdictions: [], channels: [], certifiedUntil: null } }),
    ]);
  }, 120_000);

  it('refuses agents, and ranges that run backwards or longer than a year', async () => {
    for (const url of ['/collections/reports/delinquency?from=2026-01-01&to=2026-01-31', '/collections/cases', '/collections/visits', '/collections/roster']) {
      expect((await call('agentA', 'GET', url)).status).toBe(403);
    }
    const backwards = await call('supervisor', 'GET', '/collections/reports/roll-rates?from=2026-03-01&to=2026-02-01');
    expect(backwards.body).toMatchObject({ status: 400, field: 'to' });
    expect((await call('supervisor', 'GET', '/collections/reports/cure-rates?from=2025-01-01&to=2026-03-01')).body).toMatchObject({ status: 400, field: 'to' });
    expect((await call('supervisor', 'GET', '/collections/reports/promises?from=2026-02-30&to=2026-03-01')).status).toBe(400);
  });
});
