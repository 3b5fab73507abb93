import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan } from '../src/lending/loan.service.ts';
import { loadInstallments } from '../src/lending/loan.store.ts';
import { createProduct } from '../src/lending/product.service.ts';
import { runEndOfDay } from '../src/eod/eod.service.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { DEFAULT_STRATEGY_DEFINITIONS } from '../src/collections/default-strategies.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { endOfDayDependencies } from './support/eod.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
const START = day('2026-01-05');
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;

/** The shipped CN strategy as a new strategy of the lender's own, with extra rungs. */
function lenderStrategy(extraRungs: unknown[] = []) {
  const definition = structuredClone(DEFAULT_STRATEGY_DEFINITIONS.CN) as { id: string; version?: number; ladders: { standard: { rungs: unknown[] } } };
  definition.id = 'cn-lender';
  delete definition.version;
  definition.ladders.standard.rungs.push(...extraRungs);
  return definition;
}

describe(`stored collection strategies on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let supervisor: Record<string, string>;
  let agent: Record<string, string>;

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    supervisor = await server.headersFor('supervisor');
    agent = await server.headersFor('agent');
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function call(headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: unknown, key?: string) {
    const response = await server.app.inject({ method, url: `/v1${url}`, headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  }

  it('lists the shipped defaults as active version 1 of each jurisdiction when none is stored', async () => {
    const listed = await call(agent, 'GET', '/collections/strategies');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: any) => [item.id, item.jurisdiction, item.activeVersion]).sort()).toEqual([
      ['cn-default', 'CN', 1], ['uk-default', 'UK', 1], ['us-default', 'US', 1], ['us-ma-default', 'US-MA', 1],
    ]);
    const one = await call(agent, 'GET', '/collections/strategies/cn-default');
    expect(one.body.versions[0]).toMatchObject({ version: 1, status: 'active', createdBy: 'lenity' });
    expect(one.body.versions[0].definition.ladders.standard.rungs.length).toBeGreaterThan(5);
    expect((await call(agent, 'GET', '/collections/strategies/nothing')).status).toBe(404);
  });

  it('validates without saving and refuses an invalid strategy with the field named', async () => {
    const invalid = lenderStrategy([{ id: 'sms-late', when: { dpd: 900 }, action: 'sms', template: 'dpd-3' }]);
    const validated = await call(supervisor, 'POST', '/collections/strategies/validate', { definition: invalid });
    expect(validated.status).toBe(200);
    expect(validated.body).toEqual({ valid: false, problems: [{ field: 'definition.ladders.standard.rungs.10.when.dpd', detail: 'definition.ladders.standard.rungs.10.when.dpd: must be at most 720' }] });
    expect((await call(supervisor, 'POST', '/collections/strategies/validate', { definition: lenderStrategy() })).body).toEqual({ valid: true, problems: [] });
    const visitTooEarly = lenderStrategy([{ id: 'visit-early', when: { event: 'no-right-party-contact', days: 14 }, action: 'field-visit-request', minimumDpd: 30 }]);
    const refused = await call(supervisor, 'POST', '/collections/strategies', { definition: visitTooEarly }, 'create-bad');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'definition.ladders.standard.rungs.10.minimumDpd' });
    expect((await call(agent, 'POST', '/collections/strategies', { definition: lenderStrategy() }, 'agent-create')).status).toBe(403);
    expect((await call(supervisor, 'POST', '/collections/strategies', { definition: lenderStrategy() })).status).toBe(400);
  });

  it('stores versions immutably, activates one per jurisdiction, and cases keep the version they were opened with', async () => {
    const created = await call(supervisor, 'POST', '/collections/strategies', { name: 'CN lender', definition: lenderStrategy() }, 'create-1');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'cn-lender', jurisdiction: 'CN', latestVersion: 1, activeVersion: null });
    expect((await call(supervisor, 'POST', '/collections/strategies', { name: 'CN lender', definition: lenderStrategy() }, 'create-2')).status).toBe(409);
    const otherJurisdiction = { ...lenderStrategy(), jurisdiction: 'UK', segments: [{ name: 'all', ladder: 'standard' }] };
    const wrong = await call(supervisor, 'POST', '/collections/strategies/cn-lender/versions', { definition: otherJurisdiction }, 'version-uk');
    expect(wrong.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'definition.jurisdiction' });
    const activated = await call(supervisor, 'POST', '/collections/strategies/cn-lender/versions/1/activate', {}, 'activate-1');
    expect(activated.body).toMatchObject({ activeVersion: 1 });
    const defaults = await call(agent, 'GET', '/collections/strategies/cn-default');
    expect(defaults.body.versions[0].status).toBe('retired');

    // A loan goes late under version 1.
    const { ids, clock } = server.dependencies;
    const product = await createProduct(handle.db, ids, personalLoanProduct(), START);
    const borrower = await createBorrower(handle.db, ids, borrowerInput());
    const loan = await createLoan({ db: handle.db, ids }, { borrowerId: borrower.id, productId: product.id, principal: '10000.00' }, START);
    await approveLoan({ db: handle.db, ids }, loan.id, START);
    await disburseLoan({ db: handle.db, ids }, loan.id, { businessDate: START, idempotencyKey: 'disburse' });
    const firstDue = (await loadInstallments(handle.db, loan.id))[0]!.dueDate as BusinessDate;
    const eod = endOfDayDependencies(handle, ids);
    const runDay = async (date: BusinessDate) => {
      await runEndOfDay(eod, date);
      clock.set(morningOf(date));
      return runCollections(handle.db, ids, clock, date);
    };
    for (let date = START; date <= addDays(firstDue, 1); date = addDays(date, 1)) await runDay(date);
    const opened = await handle.db.selectFrom('collection_case').selectAll().where('loan_id', '=', loan.id).executeTakeFirstOrThrow();
    expect([opened.strategy_id, opened.strategy_version]).toEqual(['cn-lender', 1]);

    // Version 2 adds an SMS at 2 DPD; the open case stays on version 1 and never gets it.
    const added = await call(supervisor, 'POST', '/collections/strategies/cn-lender/versions', {
      definition: lenderStrategy([{ id: 'sms-dpd-2', when: { dpd: 2 }, action: 'sms', template: 'dpd-3' }]),
    }, 'version-2');
    expect(added.status).toBe(201);
    expect(added.body.versions.map((version: any) => [version.version, version.status])).toEqual([[1, 'active'], [2, 'draft']]);
    expect(added.body.versions[0].definition.ladders.standard.rungs).toHaveLength(10);
    await call(supervisor, 'POST', '/collections/strategies/cn-lender/versions/2/activate', {}, 'activate-2');
    const after = await call(agent, 'GET', '/collections/strategies/cn-lender');
    expect(after.body.versions.map((version: any) => [version.version, version.status])).toEqual([[1, 'retired'], [2, 'active']]);
    await runDay(addDays(firstDue, 2));
    const runs = await handle.db.selectFrom('collection_rung_run').select('rung_id').where('case_id', '=', opened.id).execute();
    expect(runs.map((run) => run.rung_id)).not.toContain('sms-dpd-2');
    expect((await handle.db.selectFrom('collection_case').select('strategy_version').where('id', '=', opened.id).executeTakeFirstOrThrow()).strategy_version).toBe(1);
    const active = await handle.db.selectFrom('collection_strategy').select(['id', 'version']).where('status', '=', 'active').where('jurisdiction', '=', 'CN').execute();
    expect(active).toEqual([{ id: 'cn-lender', version: 2 }]);
  }, 120_000);
});
