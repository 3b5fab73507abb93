import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { contactRequestFor } from '../src/collections/case-contact.ts';
import { enqueueMessage } from '../src/collections/dispatch.service.ts';
import { DEFAULT_TEMPLATES } from '../src/collections/templates.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';

describe(`collection templates approved before use on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let supervisor: Record<string, string>;
  let agent: Record<string, string>;

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle);
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

  function enqueue(template: { id: string; version: number }, key: string) {
    const { at: _at, ...request } = contactRequestFor({
      policy: 'US', at: new Date('2026-01-05T15:00:00Z'), borrower: { timeZone: 'America/New_York', flags: [], optOuts: [], inconvenient: [] }, channel: 'sms', loanId: 'loan_1', history: [],
    });
    return enqueueMessage(handle.db, server.dependencies, { borrowerId: 'bor_1', channel: 'sms', to: '+12125550100', body: 'text', language: 'en', idempotencyKey: key, contactRequest: request, template });
  }

  it('ships the built-in templates as approved version 1, in both languages', async () => {
    const listed = await call(agent, 'GET', '/collections/templates');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(DEFAULT_TEMPLATES.length);
    for (const item of listed.body.items) {
      expect(item.approvedVersion).toBe(1);
      expect(item.versions[0].checkResult.every((result: { ok: boolean }) => result.ok)).toBe(true);
    }
    expect(listed.body.items.map((item: any) => item.language).filter((language: string) => language === 'zh-CN')).toHaveLength(DEFAULT_TEMPLATES.length / 2);
  });

  it('refuses to approve a version that fails the template check, with the findings; approves one that passes', async () => {
    const proposal = { purpose: 'dpd-1', language: 'en', body: '{{lender}}: {{name}}, {{amount}} is overdue since {{dueDate}}. Pay now.' };
    expect((await call(agent, 'POST', '/collections/templates', proposal, 'agent-propose')).status).toBe(403);
    const proposed = await call(supervisor, 'POST', '/collections/templates', proposal, 'propose-2');
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ id: 'dpd-1.en', version: 2, status: 'draft', channel: 'sms' });
    expect(proposed.body.checkResult.find((result: any) => result.policy === 'US').ok).toBe(false);
    const refused = await call(supervisor, 'POST', '/collections/templates/dpd-1.en/versions/2/approve', {}, 'approve-2');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('TEMPLATE_CHECK_FAILED');
    expect(refused.body.reasons).toContainEqual(expect.objectContaining({ policy: 'US', code: 'OPT_OUT_MISSING' }));
    const threatening = await call(supervisor, 'POST', '/collections/templates', { ...proposal, body: `${proposal.body} We will call the police. Reply STOP to opt out.`, purpose: 'dpd-1' }, 'propose-3');
    const refusedAgain = await call(supervisor, 'POST', `/collections/templates/dpd-1.en/versions/${threatening.body.version}/approve`, {}, 'approve-3');
    expect(refusedAgain.body.reasons).toContainEqual(expect.objectContaining({ code: 'PROHIBITED_WORDING' }));
    expect((await call(supervisor, 'POST', '/collections/templates', { ...proposal, channel: 'email' }, 'propose-email')).body).toMatchObject({ status: 400, field: 'channel' });

    const good = await call(supervisor, 'POST', '/collections/templates', { ...proposal, body: `${proposal.body} Reply STOP to opt out.` }, 'propose-4');
    const approved = await call(supervisor, 'POST', `/collections/templates/dpd-1.en/versions/${good.body.version}/approve`, {}, 'approve-4');
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const listed = await call(agent, 'GET', '/collections/templates');
    expect(listed.body.items.find((item: any) => item.id === 'dpd-1.en')).toMatchObject({ approvedVersion: good.body.version });
  });

  it('refuses to enqueue a message rendered from a version that is not approved', async () => {
    await expect(enqueue({ id: 'dpd-1.en', version: 2 }, 'message-draft')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(enqueue({ id: 'no-such.en', version: 1 }, 'message-unknown')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await enqueue({ id: 'dpd-1.en', version: 4 }, 'message-approved')).outcome).toBe('created');
    expect(await handle.db.selectFrom('outbound_message').select('idempotency_key').execute()).toEqual([{ idempotency_key: 'message-approved' }]);
  });
});
