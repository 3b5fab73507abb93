import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { runEndOfDay } from '../src/eod/eod.service.ts';
import { createApiKey } from '../src/http/auth.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;

describe(`collector roster and automatic assignment on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let supervisor: Record<string, string>;
  const agents: Record<string, { id: string; headers: Record<string, string> }> = {};
  const loanIds: string[] = [];

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids } = server.dependencies;
    supervisor = await server.headersFor('supervisor');
    for (const name of ['certified', 'uncertified', 'english']) {
      const created = await createApiKey(handle.db, ids, { name, role: 'agent', borrowerId: null });
      agents[name] = { id: created.id, headers: { authorization: `Bearer ${created.key}` } };
    }
    const product = await createProduct(handle.db, ids, personalLoanProduct(), START);
    for (const [index, phone] of ['+8613800138001', '+8613800138002'].entries()) {
      const borrower = await createBorrower(handle.db, ids, borrowerInput({ nationalId: `11010119900307123${index}`, phones: [{ number: phone, kind: 'mobile' }] }));
      const loan = await createLoan({ db: handle.db, ids }, { borrowerId: borrower.id, productId: product.id, principal: `${5000 + index * 1000}.00` }, START);
      await approveLoan({ db: handle.db, ids }, loan.id, START);
      await disburseLoan({ db: handle.db, ids }, loan.id, { businessDate: START, idempotencyKey: `disburse-${index}` });
      loanIds.push(loan.id);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function call(headers: Record<string, string>, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, key?: string) {
    const response = await server.app.inject({ method, url: `/v1${url}`, headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  }

  it('keeps profiles and training records for supervisors, with errors naming the field', async () => {
    const profile = { displayName: '张敏', languages: ['zh-CN'], jurisdictions: ['CN'], region: '上海', capacity: 1 };
    expect((await call(agents.certified!.headers, 'PUT', `/collections/collectors/${agents.certified!.id}`, profile)).status).toBe(403);
    const put = await call(supervisor, 'PUT', `/collections/collectors/${agents.certified!.id}`, profile);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ agentId: agents.certified!.id, languages: ['zh-CN'], capacity: 1, active: true, openCases: 0 });
    await call(supervisor, 'PUT', `/collections/collectors/${agents.uncertified!.id}`, { ...profile, displayName: '李强', capacity: 50 });
    await call(supervisor, 'PUT', `/collections/collectors/${agents.english!.id}`, { ...profile, displayName: 'Sam', languages: ['en'], capacity: 50 });
    const invalid = await call(supervisor, 'PUT', `/collections/collectors/${agents.english!.id}`, { ...profile, languages: ['fr'] });
    expect(invalid.body).toMatchObject({ status: 400, field: 'languages.0' });
    expect((await call(supervisor, 'GET', '/collections/collectors')).body.items).toHaveLength(3);
    expect((await call(supervisor, 'GET', '/collections/collectors/nobody')).status).toBe(404);

    for (const name of ['certified', 'english']) {
      const added = await call(supervisor, 'POST', `/collections/collectors/${agents[name]!.id}/training`, { module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-02' }, `train-${name}`);
      expect(added.status).toBe(201);
    }
    const badTraining = await call(supervisor, 'POST', `/collections/collectors/${agents.uncertified!.id}/training`, { module: 'x', jurisdiction: 'CN', channels: ['fax'], passedOn: '2026-01-02' }, 'train-bad');
    expect(badTraining.body).toMatchObject({ status: 400, field: 'channels.0' });
    const training = await call(supervisor, 'GET', `/collections/collectors/${agents.certified!.id}/training`);
    expect(training.body.items).toEqual([expect.objectContaining({ module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-02', revokedAt: null })]);
  });

  it('assigns late loans to the certified collector who speaks the language, within capacity; the uncertified get nothing', async () => {
    const { ids, clock } = server.dependencies;
    const eod = endOfDayDependencies(handle, ids);
    const firstDue = (await loadInstallments(handle.db, loanIds[0]!))[0]!.dueDate as BusinessDate;
    let assigned = 0;
    for (let date = START; date <= addDays(firstDue, 5); date = addDays(date, 1)) {
      await runEndOfDay(eod, date);
      clock.set(morningOf(date));
      assigned += (await runCollections(handle.db, ids, clock, date)).casesAssigned;
    }
    const cases = await handle.db.selectFrom('collection_case').select(['id', 'agent_id', 'loan_id']).orderBy('id').execute();
    expect(cases).toHaveLength(2);
    expect(assigned).toBe(1);
    // Capacity 1: one case for the certified collector; the other waits (uncertified, or not speaking Chinese).
    expect(cases.map((row) => row.agent_id).sort()).toEqual([agents.certified!.id, null].sort());
    const mine = cases.find((row) => row.agent_id !== null)!;
    const tasks = await handle.db.selectFrom('call_task').select(['case_id', 'agent_id']).where('case_id', 'is not', null).execute();
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(task.agent_id).toBe(task.case_id === mine.id ? agents.certified!.id : null);
    const queue = await call(agents.certified!.headers, 'GET', '/collections/queue');
    expect(queue.body.items.map((item: any) => item.caseId)).toEqual(tasks.filter((task) => task.case_id === mine.id).map(() => mine.id));
    expect((await call(agents.uncertified!.headers, 'GET', '/collections/queue')).body.items).toEqual([]);
    // Personal data is masked for an agent; a role with borrowers:read-unmasked sees it in full.
    expect(queue.body.items[0]).toMatchObject({ borrowerName: '王**', phone: expect.stringMatching(/^\+86\*+0[12]$/) });
    expect(queue.body.items[0].script).not.toContain('王小明');
    const masked = await call(agents.certified!.headers, 'GET', `/collections/cases/${mine.id}`);
    expect(masked.body.borrower).toMatchObject({ name: '王**', masked: true });
    expect(masked.body.borrower.phone).not.toContain('138001380');
    const admin = await server.headersFor('admin');
    const full = await call(admin, 'GET', `/collections/cases/${mine.id}`);
    expect(full.body.borrower).toMatchObject({ name: '王小明', masked: false, phone: expect.stringMatching(/^\+861380013800[12]$/) });
    expect((await call(admin, 'GET', '/collections/queue')).body.items[0].borrowerName).toBe('王小明');

    // More capacity: the next run gives the waiting case (and its call tasks) to the certified collector.
    await call(supervisor, 'PUT', `/collections/collectors/${agents.certified!.id}`, { displayName: '张敏', languages: ['zh-CN'], jurisdictions: ['CN'], region: '上海', capacity: 5 });
    const next = addDays(firstDue, 6);
    await runEndOfDay(eod, next);
    clock.set(morningOf(next));
    expect((await runCollections(handle.db, ids, clock, next)).casesAssigned).toBe(1);
    const after = await handle.db.selectFrom('collection_case').select('agent_id').execute();
    expect(after.map((row) => row.agent_id)).toEqual([agents.certified!.id, agents.certified!.id]);
    expect((await handle.db.selectFrom('call_task').select('agent_id').where('agent_id', 'is', null).where('status', '=', 'open').execute())).toEqual([]);
    expect((await call(supervisor, 'GET', `/collections/collectors/${agents.certified!.id}`)).body.openCases).toBe(2);
  }, 120_000);
});
