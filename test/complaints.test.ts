import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createBorrower } from '../src/lending/borrower.service.ts';
import { createApiKey } from '../src/http/auth.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const day = (text: string) => text as BusinessDate;
/** A Friday. */
const START = day('2026-03-06');
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;

describe(`complaints with deadlines per jurisdiction on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  const borrowers: Record<string, string> = {};
  const headers: Record<string, Record<string, string>> = {};
  const keyIds: Record<string, string> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids } = server.dependencies;
    borrowers.CN = (await createBorrower(handle.db, ids, borrowerInput())).id;
    borrowers.UK = (await createBorrower(handle.db, ids, borrowerInput({ fullName: 'Ann Smith', nationalId: null, jurisdiction: 'UK', language: 'en', timeZone: 'Europe/London', phones: [{ number: '+447700900123', kind: 'mobile' }] }))).id;
    borrowers.US = (await createBorrower(handle.db, ids, borrowerInput({ fullName: 'Joe Doe', nationalId: null, jurisdiction: 'US', language: 'en', timeZone: 'America/Chicago', phones: [{ number: '+13125550100', kind: 'mobile' }] }))).id;
    for (const [name, role, owner] of [['borrower', 'borrower', borrowers.CN], ['other', 'borrower', borrowers.UK], ['agent', 'agent', null], ['compliance', 'compliance', null]] as const) {
      const created = await createApiKey(handle.db, ids, { name, role, borrowerId: owner ?? null });
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

  it('lets borrowers and staff file complaints, each due by its jurisdiction, seen only by their borrower', async () => {
    const complaint = { category: 'harassment', text: 'An agent called me three times during my working hours.' };
    expect((await call('borrower', 'POST', `/borrowers/${borrowers.CN}/complaints`, complaint)).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await call('other', 'POST', `/borrowers/${borrowers.CN}/complaints`, complaint, 'c-x')).status).toBe(404);
    expect((await call('borrower', 'POST', `/borrowers/${borrowers.CN}/complaints`, { ...complaint, category: 'rude' }, 'c-bad')).status).toBe(400);
    const unknownAttempt = await call('borrower', 'POST', `/borrowers/${borrowers.CN}/complaints`, { ...complaint, attemptId: 'att_nobody' }, 'c-ref');
    expect(unknownAttempt.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'attemptId' });
    const filed = await call('borrower', 'POST', `/borrowers/${borrowers.CN}/complaints`, complaint, 'c-1');
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ borrowerId: borrowers.CN, jurisdiction: 'CN', status: 'open', filedOn: START, dueOn: '2026-03-21', overdue: false, filedBy: keyIds.borrower });
    expect((await call('borrower', 'POST', `/borrowers/${borrowers.CN}/complaints`, complaint, 'c-1')).body).toEqual(filed.body);

    const uk = await call('agent', 'POST', `/borrowers/${borrowers.UK}/complaints`, { category: 'wrong-amount', text: 'Customer says the arrears figure is wrong.' }, 'c-2');
    expect(uk.body).toMatchObject({ jurisdiction: 'UK', dueOn: '2026-05-01', filedBy: keyIds.agent });
    const us = await call('agent', 'POST', `/borrowers/${borrowers.US}/complaints`, { category: 'privacy', text: 'My employer was told about my debt.' }, 'c-3');
    expect(us.body).toMatchObject({ jurisdiction: 'US', dueOn: '2026-03-27' });

    const mine = await call('borrower', 'GET', `/borrowers/${borrowers.CN}/complaints`);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([filed.body.id]);
    expect((await call('other', 'GET', `/borrowers/${borrowers.CN}/complaints`)).status).toBe(404);
    expect((await call('borrower', 'GET', '/complaints')).status).toBe(403);
    const all = await call('compliance', 'GET', '/complaints');
    expect(all.body.items.map((item: { dueOn: string }) => item.dueOn)).toEqual(['2026-03-21', '2026-03-27', '2026-05-01']);
  });

  it('lets compliance officers assign and close complaints, and flags the overdue ones', async () => {
    const [cn, us] = (await call('compliance', 'GET', '/complaints')).body.items as Array<{ id: string }>;
    expect((await call('agent', 'POST', `/complaints/${cn!.id}/assign`, { assignee: keyIds.compliance }, 'a-1')).status).toBe(403);
    const assigned = await call('compliance', 'POST', `/complaints/${cn!.id}/assign`, { assignee: keyIds.compliance }, 'a-1');
    expect(assigned.body).toMatchObject({ status: 'assigned', assignedTo: keyIds.compliance });

    server.dependencies.clock.set(morningOf(addDays(day('2026-03-21'), 1)));
    const overdue = await call('compliance', 'GET', '/complaints?overdue=true');
    expect(overdue.body.items.map((item: { id: string; overdue: boolean }) => [item.id, item.overdue])).toEqual([[cn!.id, true]]);
    expect((await call('compliance', 'GET', `/complaints?assignedTo=${keyIds.compliance}`)).body.items).toHaveLength(1);

    const closed = await call('compliance', 'POST', `/complaints/${cn!.id}/close`, { resolution: 'Calls at work stopped; the agent was retrained and we apologised.' }, 'close-1');
    expect(closed.body).toMatchObject({ status: 'closed', overdue: false, closedBy: keyIds.compliance, closedOn: '2026-03-22' });
    expect((await call('compliance', 'POST', `/complaints/${cn!.id}/close`, { resolution: 'Calls at work stopped; the agent was retrained and we apologised.' }, 'close-1')).replayed).toBe('true');
    expect((await call('compliance', 'POST', `/complaints/${cn!.id}/close`, { resolution: 'Again' }, 'close-2')).body.code).toBe('INVALID_STATE');
    expect((await call('compliance', 'POST', `/complaints/${cn!.id}/assign`, { assignee: keyIds.agent }, 'a-2')).body.code).toBe('INVALID_STATE');
    expect((await call('compliance', 'GET', '/complaints?overdue=true')).body.items).toEqual([]);
    server.dependencies.clock.set(morningOf(day('2026-03-28')));
    expect((await call('compliance', 'GET', '/complaints?overdue=true')).body.items.map((item: { id: string }) => item.id)).toEqual([us!.id]);
  });

  it('documents every borrower request in the OpenAPI document, each with a summary', async () => {
    const document = (await server.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const expected = {
      '/v1/borrowers/{id}/contact-preferences': ['get', 'put'],
      '/v1/loans/{id}/disputes': ['get', 'post'],
      '/v1/disputes/{id}/resolve': ['post'],
      '/v1/loans/{id}/hardship-plans/preview': ['post'],
      '/v1/loans/{id}/hardship-requests': ['get', 'post'],
      '/v1/hardship-requests/{id}/decision': ['post'],
      '/v1/borrowers/{id}/complaints': ['get', 'post'],
      '/v1/complaints': ['get'],
      '/v1/complaints/{id}/close': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) expect(document.paths[path]?.[method]?.summary, `${method} ${path}`).toMatch(/\w{3,}/);
    }
    expect(document.paths['/v1/hardship-requests/{id}/decision'].post.requestBody.content['application/json'].schema.required).toEqual(['decision', 'reason']);
  });
});
