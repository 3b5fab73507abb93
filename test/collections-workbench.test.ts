import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { attemptContact } from '../src/collections/case-work.service.ts';
import { createApiKey } from '../src/http/auth.ts';
import type { Role } from '../src/http/permissions.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { lateUsCase, newYorkEveningOf, newYorkMorningOf, type WorkbenchCase } from './support/workbench.ts';

describe(`the collector workbench API on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let late: WorkbenchCase;
  const users: Record<string, { id: string; headers: Record<string, string> }> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, '2026-01-05T15:00:00Z');
    for (const [name, role] of [['supervisor', 'supervisor'], ['agent', 'agent'], ['otherAgent', 'agent'], ['field', 'field-agent'], ['otherField', 'field-agent'], ['compliance', 'compliance']] as const) {
      const created = await createApiKey(handle.db, server.dependencies.ids, { name, role: role as Role, borrowerId: null });
      users[name] = { id: created.id, headers: { authorization: `Bearer ${created.key}` } };
    }
    late = await lateUsCase(handle, server, users.agent!.id);
  }, 180_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function call(user: string, method: 'GET' | 'POST', url: string, payload?: unknown, key?: string) {
    const headers: Record<string, string> = { ...users[user]!.headers };
    if (key) headers['idempotency-key'] = key;
    const response = await server.app.inject({ method, url: `/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  }

  it('says per queue item whether a call is allowed now and, if not, when next, from the gate at the server clock', async () => {
    server.dependencies.clock.set(newYorkEveningOf(late.lastDay));
    const evening = await call('agent', 'GET', '/collections/queue');
    expect(evening.status).toBe(200);
    expect(evening.body.items.length).toBeGreaterThan(0);
    const item = evening.body.items[0];
    expect(item).toMatchObject({ caseId: late.caseId, loanId: late.loanId, contactAllowedNow: false, reasonCodes: ['OUTSIDE_HOURS'], language: 'en', currency: 'USD', timeZone: 'America/New_York' });
    // 08:00 the next morning in New York (EST, UTC-5).
    expect(item.nextAllowedAt).toBe(`${newYorkEveningOf(late.lastDay).slice(0, 10)}T13:00:00Z`);
    expect(Number(item.amountDue)).toBeGreaterThan(0);
    expect(item.borrowerName).toBe('J***********');

    server.dependencies.clock.set(newYorkMorningOf(late.lastDay));
    const morning = await call('agent', 'GET', '/collections/queue');
    expect(morning.body.items[0]).toMatchObject({ contactAllowedNow: true, nextAllowedAt: null, reasonCodes: [] });
    expect((await call('otherAgent', 'GET', '/collections/queue')).body.items).toEqual([]);
  });

  it('shows refused calls in the case history with their reasons, and keeps notes with an idempotency key', async () => {
    server.dependencies.clock.set(newYorkEveningOf(late.lastDay));
    const refused = await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'call' }, 'evening-call');
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ allowed: false, attemptId: null });
    server.dependencies.clock.set(newYorkMorningOf(late.lastDay));
    const view = await call('agent', 'GET', `/collections/cases/${late.caseId}`);
    const check = view.body.gateChecks.find((entry: { receiptId: string }) => entry.receiptId === refused.body.receiptId);
    expect(check).toMatchObject({ channel: 'call', allowed: false, reasonCodes: ['OUTSIDE_HOURS'], allowAfter: refused.body.decision.allowAfter });
    expect(view.body).toMatchObject({ currency: 'USD', timeZone: 'America/New_York', language: 'en', holds: [], notes: [] });

    expect((await call('agent', 'POST', `/collections/cases/${late.caseId}/notes`, { text: '   ' }, 'note-empty')).status).toBe(400);
    expect((await call('otherAgent', 'POST', `/collections/cases/${late.caseId}/notes`, { text: 'Not my case' }, 'note-other')).status).toBe(404);
    const first = await call('agent', 'POST', `/collections/cases/${late.caseId}/notes`, { text: 'Prefers calls after 18:00' }, 'note-1');
    const again = await call('agent', 'POST', `/collections/cases/${late.caseId}/notes`, { text: 'Prefers calls after 18:00' }, 'note-1');
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const notes = (await call('agent', 'GET', `/collections/cases/${late.caseId}`)).body.notes;
    expect(notes).toEqual([{ id: first.body.id, authorId: users.agent!.id, text: 'Prefers calls after 18:00', at: first.body.at }]);
  });

  it('takes an SMS only with an approved SMS template', async () => {
    expect((await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'sms' }, 'sms-none')).body.field).toBe('templateId');
    expect((await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'sms', templateId: 'no-such.en' }, 'sms-unknown')).status).toBe(400);
    const templates = (await call('agent', 'GET', '/collections/templates')).body.items as Array<{ id: string; channel: string; approvedVersion: number | null }>;
    const sms = templates.find((template) => template.channel === 'sms' && template.approvedVersion !== null)!;
    const email = templates.find((template) => template.channel === 'email' && template.approvedVersion !== null)!;
    expect((await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'sms', templateId: email.id }, 'sms-email-template')).status).toBe(400);
    const sent = await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'sms', templateId: sms.id }, 'sms-ok');
    expect(sent.status).toBe(201);
    expect(sent.body.template).toEqual({ id: sms.id, version: sms.approvedVersion });
    expect(typeof sent.body.receiptId).toBe('string');
    expect(typeof sent.body.messageId).toBe('string');
  });

  it('queues the SMS a collector sends by hand, rendered from the approved template, once per Idempotency-Key', async () => {
    const templates = (await call('agent', 'GET', '/collections/templates')).body.items as Array<{ id: string; channel: string; approvedVersion: number | null; versions: Array<{ version: number; body: string }> }>;
    const sms = templates.find((template) => template.channel === 'sms' && template.approvedVersion !== null)!;
    const sent = await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'sms', templateId: sms.id }, 'sms-queued');
    expect(sent.status).toBe(201);
    const message = await handle.db.selectFrom('outbound_message').selectAll().where('id', '=', sent.body.messageId).executeTakeFirstOrThrow();
    const amountDue = (await call('agent', 'GET', `/collections/cases/${late.caseId}`)).body.amountDue as string;
    expect(message).toMatchObject({ borrower_id: late.borrowerId, channel: 'sms', recipient: '+12125550147', status: 'queued', idempotency_key: `contact:${sent.body.attemptId}`, language: 'en' });
    expect(message.body).toContain('Jordan Avery');
    expect(message.body).toContain(`USD ${amountDue}`);
    // The text is the approved version named in the answer, every placeholder filled.
    const approvedText = sms.versions.find((version) => version.version === sent.body.template.version)!.body;
    const pattern = approvedText.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\{\s*[a-zA-Z][a-zA-Z0-9_]*\s*\}\}/g, '.+?');
    expect(message.body).toMatch(new RegExp(`^${pattern}$`));
    expect(message.body).not.toContain('{{');
    // The message names the approved version it came from, and so does the evidence pack a regulator receives.
    expect(message).toMatchObject({ template_id: sms.id, template_version: sent.body.template.version });
    const pack = await call('compliance', 'GET', `/compliance/evidence-pack?borrowerId=${late.borrowerId}&format=json`);
    expect(pack.status).toBe(200);
    expect(pack.body.messages.find((item: { id: string }) => item.id === message.id)).toMatchObject({ template: { id: sms.id, version: sent.body.template.version }, body: message.body });
    const contactRequest = (typeof message.contact_request === 'string' ? JSON.parse(message.contact_request) : message.contact_request) as Record<string, any>;
    expect(contactRequest).not.toHaveProperty('at');
    expect(contactRequest).toMatchObject({ policy: 'US', attempt: { channel: 'sms', debtId: late.loanId } });

    const again = await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'sms', templateId: sms.id }, 'sms-queued');
    expect(again.body).toMatchObject({ attemptId: sent.body.attemptId, messageId: sent.body.messageId });
    const queued = await handle.db.selectFrom('outbound_message').select('id').where('borrower_id', '=', late.borrowerId).where('idempotency_key', 'like', 'contact:%').execute();
    const attempts = await handle.db.selectFrom('contact_attempt').select('id').where('case_id', '=', late.caseId).where('channel', '=', 'sms').execute();
    expect(queued).toHaveLength(attempts.length);
    expect(queued.filter((row) => row.id === sent.body.messageId)).toHaveLength(1);

    const email = await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel: 'email', templateId: 'email-notice.en' }, 'email-queued');
    expect(email.status).toBe(201);
    const mail = await handle.db.selectFrom('outbound_message').selectAll().where('id', '=', email.body.messageId).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ channel: 'email', recipient: 'jordan.avery@example.com', subject: 'Lenity: about your payment', status: 'queued' });
    expect(mail.body).toContain('Dear Jordan Avery');
  });

  it('refuses an SMS or e-mail by hand to a borrower with no phone or e-mail on file, recording nothing', async () => {
    const borrower = await handle.db.selectFrom('borrower').select(['phones', 'emails']).where('id', '=', late.borrowerId).executeTakeFirstOrThrow();
    const counts = async () => ({
      receipts: (await handle.db.selectFrom('contact_receipt').select('id').where('borrower_id', '=', late.borrowerId).execute()).length,
      attempts: (await handle.db.selectFrom('contact_attempt').select('id').where('borrower_id', '=', late.borrowerId).execute()).length,
      messages: (await handle.db.selectFrom('outbound_message').select('id').where('borrower_id', '=', late.borrowerId).execute()).length,
    });
    const before = await counts();
    await handle.db.updateTable('borrower').set({ phones: '[]', emails: '[]' }).where('id', '=', late.borrowerId).execute();
    try {
      for (const [channel, templateId] of [['sms', 'dpd-1.en'], ['email', 'email-notice.en']] as const) {
        const refused = await call('agent', 'POST', `/collections/cases/${late.caseId}/contact`, { channel, templateId }, `${channel}-nowhere`);
        expect(refused.status).toBe(422);
        expect(refused.body).toMatchObject({ code: 'NO_CONTACT_ADDRESS', field: 'channel' });
      }
    } finally {
      await handle.db.updateTable('borrower').set({ phones: JSON.stringify(borrower.phones), emails: JSON.stringify(borrower.emails) }).where('id', '=', late.borrowerId).execute();
    }
    expect(await counts()).toEqual(before);
  });

  it('leaves no attempt behind when the message cannot be queued', async () => {
    const { db, ids, clock } = { db: handle.db, ...server.dependencies };
    const attemptsBefore = (await db.selectFrom('contact_attempt').select('id').where('case_id', '=', late.caseId).execute()).length;
    const failingIds = ((prefix: Parameters<typeof ids>[0]) => {
      if (prefix === 'msg') throw new Error('the outbound queue is unavailable');
      return ids(prefix);
    }) as typeof ids;
    await expect(attemptContact({ db, ids: failingIds, clock }, { agentId: users.agent!.id, supervisor: false }, late.caseId, late.lastDay, { channel: 'sms', templateId: 'dpd-1.en' }))
      .rejects.toThrow('the outbound queue is unavailable');
    expect((await db.selectFrom('contact_attempt').select('id').where('case_id', '=', late.caseId).execute()).length).toBe(attemptsBefore);
  });

  it('reveals the borrower to the case agent with a stated reason, and records it', async () => {
    expect((await call('agent', 'POST', `/collections/cases/${late.caseId}/reveal`, { reason: 'no' })).status).toBe(400);
    expect((await call('otherAgent', 'POST', `/collections/cases/${late.caseId}/reveal`, { reason: 'Curious about it' })).status).toBe(404);
    const revealed = await call('agent', 'POST', `/collections/cases/${late.caseId}/reveal`, { reason: 'Calling about the missed instalment' });
    expect(revealed.body).toMatchObject({ fullName: 'Jordan Avery', phones: ['+12125550147'], emails: ['jordan.avery@example.com'] });
    const audit = await handle.db.selectFrom('personal_data_access').selectAll().where('borrower_id', '=', late.borrowerId).execute();
    expect(audit.map((row) => [row.key_id, row.role, row.reason])).toEqual([[users.agent!.id, 'agent', 'Calling about the missed instalment']]);
  });

  it("lists a field agent's approved visits, reveals the address only to a named collector, and checks in through the gate", async () => {
    const requested = await call('agent', 'POST', `/collections/cases/${late.caseId}/visits`, {}, 'visit-1');
    expect(requested.status).toBe(201);
    expect((await call('field', 'GET', '/collections/my-visits')).body.items).toEqual([]);
    expect((await call('field', 'POST', `/collections/visits/${requested.body.id}/reveal`, { reason: 'Planning the visit' })).status).toBe(404);
    const slot = newYorkMorningOf(late.lastDay);
    expect((await call('supervisor', 'POST', `/collections/visits/${requested.body.id}/approve`, { collectors: [users.field!.id], slot }, 'approve-1')).status).toBe(200);
    const mine = (await call('field', 'GET', '/collections/my-visits')).body.items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: requested.body.id, status: 'scheduled', slot: new Date(slot).toISOString(), borrower: { name: 'J***********', masked: true }, currency: 'USD' });
    expect(mine[0].borrower.address).not.toContain('57th');
    expect((await call('otherField', 'GET', '/collections/my-visits')).body.items).toEqual([]);
    expect((await call('otherField', 'POST', `/collections/visits/${requested.body.id}/reveal`, { reason: 'Planning the visit' })).status).toBe(404);
    const address = await call('field', 'POST', `/collections/visits/${requested.body.id}/reveal`, { reason: 'Driving to the approved visit' });
    expect(address.body.addresses).toEqual(['221 West 57th Street, Apt 12B, New York, NY, 10019']);

    server.dependencies.clock.set(newYorkEveningOf(late.lastDay));
    const denied = await call('field', 'POST', `/collections/visits/${requested.body.id}/check-in`, { location: '40.7651,-73.9799' }, 'check-in-evening');
    expect(denied.body).toMatchObject({ checkedIn: false });
    expect(denied.body.decision.reasons.map((reason: { code: string }) => reason.code)).toContain('OUTSIDE_HOURS');
    server.dependencies.clock.set(newYorkMorningOf(late.lastDay));
  });
});
