import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { evaluateAndRecord, verifyReceipts } from '../src/compliance/receipt.service.ts';
import { recordTraining } from '../src/collections/certification.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** A CN call at a given instant: 03:00 in Shanghai is outside CN-01's hours, 10:00 inside. */
const callAt = (at: string, channel = 'call') => ({ policy: 'CN', at, borrower: { timeZones: ['Asia/Shanghai'] }, attempt: { channel, debtId: 'loan_A' } });

describe(`the compliance and admin consoles' API on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let compliance: Record<string, string>;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let borrowerId: string;
  const receipts: Record<string, string> = {};

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle, '2026-03-10T02:00:00Z');
    compliance = await server.headersFor('compliance');
    admin = await server.headersFor('admin');
    agent = await server.headersFor('agent');
    const { ids } = server.dependencies;
    // Deferred (outside hours), allowed, opted out (denied outright), and another borrower's.
    receipts.deferred = (await evaluateAndRecord(handle.db, ids, { borrowerId: 'brw_one', request: callAt('2026-03-09T19:00:00Z'), agentId: 'usr_agent_a' })).receiptId;
    receipts.allowed = (await evaluateAndRecord(handle.db, ids, { borrowerId: 'brw_one', request: callAt('2026-03-10T02:00:00Z'), agentId: 'usr_agent_a' })).receiptId;
    const optedOut = { ...callAt('2026-03-10T03:00:00Z', 'sms'), borrower: { timeZones: ['Asia/Shanghai'], optOuts: ['sms'] } };
    receipts.denied = (await evaluateAndRecord(handle.db, ids, { borrowerId: 'brw_one', request: optedOut, agentId: 'usr_agent_b' })).receiptId;
    receipts.other = (await evaluateAndRecord(handle.db, ids, { borrowerId: 'brw_two', request: callAt('2026-02-01T02:00:00Z') })).receiptId;
  });
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  async function get(url: string, headers = compliance) {
    const response = await server.app.inject({ method: 'GET', url, headers });
    return { status: response.statusCode, body: String(response.headers['content-type'] ?? '').includes('json') ? response.json() : response.body, headers: response.headers, text: response.body };
  }

  it.each([
    ['by borrower, newest first', 'borrowerId=brw_one', ['denied', 'allowed', 'deferred']],
    ['by agent', 'agentId=usr_agent_a', ['allowed', 'deferred']],
    ['deferred: refused until a later time', 'decision=defer', ['deferred']],
    ['denied outright', 'decision=deny', ['denied']],
    ['allowed', 'decision=allow', ['allowed', 'other']],
    ['by the rule among the reasons', 'rule=CN-01', ['deferred']],
    ['by the opt-out floor rule', 'rule=FLOOR-OPT-OUT', ['denied']],
    ['by channel', 'channel=sms', ['denied']],
    // Days are the lender's (Asia/Shanghai): 2026-03-09T19:00Z is already 10 March there.
    ['by period (inclusive days in the lender\'s time zone)', 'from=2026-03-10&to=2026-03-10', ['denied', 'allowed', 'deferred']],
    ['by a period that ends before the lender\'s day began', 'from=2026-03-01&to=2026-03-09', []],
    ['filters combine', 'borrowerId=brw_one&channel=call&decision=allow', ['allowed']],
    ['nothing matches', 'borrowerId=brw_nobody', []],
  ])('searches receipts %s', async (_name, query, expected) => {
    const { status, body } = await get(`/v1/compliance/receipts?${query}`);
    expect(status).toBe(200);
    expect(body.items.map((item: { id: string }) => item.id)).toEqual(expected.map((name) => receipts[name]));
  });

  it('pages through receipts with a cursor, without repeats or gaps', async () => {
    const first = await get('/v1/compliance/receipts?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await get(`/v1/compliance/receipts?limit=3&cursor=${first.body.next}`);
    expect(second.body.next).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    expect(all).toEqual([receipts.denied, receipts.allowed, receipts.deferred, receipts.other]);
    expect((await get('/v1/compliance/receipts?cursor=garbage')).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'cursor' });
    expect((await get('/v1/compliance/receipts?from=2026-03-10&to=2026-03-01')).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'to' });
  });

  it("shows one receipt with its pack, version, reasons, warnings and the gate's inputs", async () => {
    const { status, body } = await get(`/v1/compliance/receipts/${receipts.denied}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: receipts.denied, borrowerId: 'brw_one', agentId: 'usr_agent_b', channel: 'sms', decision: 'deny', packId: 'CN', packVersion: expect.any(String),
      reasons: [expect.objectContaining({ rule: 'FLOOR-OPT-OUT' })], warnings: [], request: { policy: 'CN', attempt: { channel: 'sms' } },
    });
    expect((await get(`/v1/compliance/receipts/${receipts.deferred}`)).body).toMatchObject({ decision: 'defer', allowAfter: '2026-03-10T00:00:00Z' });
    expect((await get('/v1/compliance/receipts/rcpt_missing')).status).toBe(404);
  });

  it('counts refusals per rule and channel over a period', async () => {
    const { body } = await get('/v1/compliance/rule-counts?from=2026-03-01&to=2026-03-31');
    expect(body.from).toBe('2026-03-01');
    expect(body.items).toEqual(expect.arrayContaining([
      { rule: 'CN-01', code: expect.any(String), channel: 'call', kind: 'reason', count: 1 },
      { rule: 'FLOOR-OPT-OUT', code: expect.any(String), channel: 'sms', kind: 'reason', count: 1 },
    ]));
    expect((await get('/v1/compliance/rule-counts?from=2026-03-11&to=2026-03-31')).body.items).toEqual([]);
    expect((await get('/v1/compliance/rule-counts?from=2024-01-01&to=2026-03-31')).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'from' });
  });

  it('keeps agents out of the compliance reads (default deny)', async () => {
    for (const url of ['/v1/compliance/receipts', `/v1/compliance/receipts/${receipts.denied}`, '/v1/compliance/rule-counts', '/v1/personal-data-access', '/v1/compliance/evidence-pack?borrowerId=brw_one', '/v1/collections/certifications']) {
      expect((await get(url, agent)).status, url).toBe(403);
    }
    expect((await get('/v1/calendar', compliance)).status).toBe(403);
  });

  it('searches the unmasking audit by borrower, user and period', async () => {
    const product = (await server.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: personalLoanProduct() })).json();
    expect(product.id).toBeDefined();
    const borrower = (await server.app.inject({ method: 'POST', url: '/v1/borrowers', headers: admin, payload: borrowerInput() })).json();
    borrowerId = borrower.id;
    const unmasked = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}?unmask=true&reason=${encodeURIComponent('Regulator request 2026-17')}`, headers: compliance });
    expect(unmasked.statusCode, unmasked.body).toBe(200);
    const byBorrower = await get(`/v1/personal-data-access?borrowerId=${borrowerId}`);
    expect(byBorrower.body.items).toEqual([expect.objectContaining({ borrowerId, role: 'compliance', reason: 'Regulator request 2026-17', at: '2026-03-10T02:00:00.000Z' })]);
    const userId = byBorrower.body.items[0].userId;
    expect((await get(`/v1/personal-data-access?userId=${userId}&from=2026-03-10&to=2026-03-10`)).body.items).toHaveLength(1);
    expect((await get(`/v1/personal-data-access?userId=${userId}&from=2026-03-11`)).body.items).toEqual([]);
    expect((await get('/v1/personal-data-access?userId=someone-else')).body.items).toEqual([]);
  });

  it('flags collectors whose training expired or expires within 30 days', async () => {
    const { ids } = server.dependencies;
    await recordTraining(handle.db, ids, { agentId: 'usr_agent_a', module: 'CN fair collection 2025', jurisdiction: 'CN', channels: ['call'], passedOn: '2025-03-01', expiresOn: '2026-03-01' });
    await recordTraining(handle.db, ids, { agentId: 'usr_agent_a', module: 'CN SMS 2025', jurisdiction: 'CN', channels: ['sms'], passedOn: '2025-04-01', expiresOn: '2026-04-01' });
    await recordTraining(handle.db, ids, { agentId: 'usr_agent_b', module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-15', expiresOn: '2027-01-15' });
    const { body } = await get('/v1/collections/certifications');
    expect(body.today).toBe('2026-03-10');
    const status = Object.fromEntries(body.items.map((item: { module: string; status: string }) => [item.module, item.status]));
    expect(status).toEqual({ 'CN fair collection 2025': 'expired', 'CN SMS 2025': 'expiring', 'CN fair collection 2026': 'valid' });
  });

  it('exports the evidence pack as quoted CSV and as JSON, and records each export', async () => {
    // A complaint text with a comma, quotes and a line break: the CSV must keep it in one cell.
    const text = '他说"再不还就上门",\n我很害怕';
    const filed = await server.app.inject({ method: 'POST', url: `/v1/borrowers/${borrowerId}/complaints`, headers: { ...compliance, 'idempotency-key': 'complaint-1' }, payload: { category: 'harassment', text } });
    expect(filed.statusCode, filed.body).toBe(201);
    const csv = await get('/v1/compliance/evidence-pack?borrowerId=brw_one&format=csv');
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="evidence-brw_one-evd_[0-9A-Z]+\.csv"$/);
    const lines = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    expect(lines[0]).toEqual(['section', 'id', 'borrower_id', 'at', 'summary', 'details']);
    const receiptLines = lines.filter((line) => line[0] === 'receipt');
    expect(receiptLines.map((line) => line[1])).toEqual([receipts.deferred, receipts.allowed, receipts.denied]);
    expect(JSON.parse(receiptLines[2]![5]!)).toMatchObject({ channel: 'sms', agentId: 'usr_agent_b', decision: { decision: 'deny' } });

    const json = await get(`/v1/compliance/evidence-pack?borrowerId=${borrowerId}&format=json`);
    expect(json.headers['content-disposition']).toMatch(/\.json"$/);
    const document = JSON.parse(json.text);
    expect(document.complaints).toEqual([expect.objectContaining({ category: 'harassment', text })]);
    const complaintCsv = parseCsv((await get(`/v1/compliance/evidence-pack?borrowerId=${borrowerId}&format=csv`)).text.replace(/^\uFEFF/, ''));
    const complaintLine = complaintCsv.find((line) => line[0] === 'complaint')!;
    expect(JSON.parse(complaintLine[5]!).text).toBe(text);

    const period = await get('/v1/compliance/evidence-pack?from=2026-02-01&to=2026-02-28&format=json');
    expect(JSON.parse(period.text).receipts.map((receipt: { id: string }) => receipt.id)).toEqual([receipts.other]);
    expect((await get('/v1/compliance/evidence-pack?format=csv')).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'borrowerId' });

    const exports = await get('/v1/compliance/evidence-exports');
    expect(exports.body.items).toHaveLength(4);
    expect(exports.body.items.at(-1)).toMatchObject({ borrowerId: 'brw_one', format: 'csv', exportedRole: 'compliance', recordCounts: { receipt: 3 } });
  });

  it('stores an overlay that tightens a pack and refuses one that loosens it, naming the rule', async () => {
    const post = (payload: unknown, headers = admin) => server.app.inject({ method: 'POST', url: '/v1/compliance/overlays', headers, payload: payload as object });
    const tight = await post({ name: 'acme', version: '1', pack: 'CN', hours: { start: '09:00', end: '21:00' }, rules: { 'CN-02': { limit: 2 } } });
    expect(tight.statusCode, tight.body).toBe(201);
    expect(tight.json()).toMatchObject({ pack: 'CN', name: 'acme', version: '1', policy: expect.stringMatching(/^CN@.+\+acme\.1$/) });
    const loose = await post({ name: 'acme', version: '2', pack: 'CN', rules: { 'CN-02': { limit: 5 } } });
    expect(loose.statusCode).toBe(400);
    expect(loose.json()).toMatchObject({ code: 'VALIDATION_FAILED', rule: 'CN-02', field: 'rules.CN-02.limit' });
    const early = await post({ name: 'acme', version: '3', pack: 'CN', hours: { start: '07:00', end: '21:00' } });
    expect(early.json()).toMatchObject({ code: 'VALIDATION_FAILED', rule: 'CN-01' });
    expect((await post({ name: 'acme', version: '1', pack: 'CN' })).json()).toMatchObject({ code: 'CONFLICT' });
    expect((await post({ name: 'acme', version: '9', pack: 'CN' }, compliance)).statusCode).toBe(403);
    const list = await get('/v1/compliance/overlays?pack=CN');
    expect(list.body.items.map((item: { version: string }) => item.version)).toEqual(['1']);
  });

  it("applies the newest stored overlay of a pack to the gate's next decisions, and the receipt names it", async () => {
    // 08:30 in Shanghai: inside CN-01's 08:00 to 22:00, outside the stored overlay's 09:00 to 21:00.
    const { receiptId, decision } = await evaluateAndRecord(handle.db, server.dependencies.ids, { borrowerId: 'brw_three', request: callAt('2026-03-10T00:30:00Z') });
    expect(decision).toMatchObject({ decision: 'deny', allowAfter: '2026-03-10T01:00:00Z', policy: expect.stringMatching(/\+acme\.1$/) });
    expect((await get(`/v1/compliance/receipts/${receiptId}`)).body).toMatchObject({ decision: 'defer', overlay: { name: 'acme', version: '1', pack: 'CN' } });
    // Another pack has no stored overlay: its law applies as it is.
    const us = await evaluateAndRecord(handle.db, server.dependencies.ids, { borrowerId: 'brw_three', request: { policy: 'US', at: '2026-03-10T14:30:00Z', borrower: { timeZones: ['America/Chicago'] }, attempt: { channel: 'call', debtId: 'B' } } });
    expect(us.decision.policy).not.toContain('+');
    expect((await verifyReceipts(handle.db)).mismatches).toEqual([]);
  });

  it('sets the business calendar and imports holidays', async () => {
    const put = await server.app.inject({ method: 'PUT', url: '/v1/calendar', headers: admin, payload: { timeZone: 'Asia/Shanghai', weekendDays: ['sat', 'sun'], rule: 'next' } });
    expect(put.statusCode, put.body).toBe(200);
    const badZone = await server.app.inject({ method: 'PUT', url: '/v1/calendar', headers: admin, payload: { timeZone: 'Mars/Olympus', weekendDays: ['sun'], rule: 'next' } });
    expect(badZone.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'timeZone' });
    const imported = await server.app.inject({ method: 'POST', url: '/v1/calendar/holidays', headers: admin, payload: { csv: 'date,name\n2026-10-01,国庆节\n2026-10-02,国庆节' } });
    expect(imported.json()).toEqual({ imported: 2 });
    const calendar = await get('/v1/calendar', admin);
    expect(calendar.body).toMatchObject({ timeZone: 'Asia/Shanghai', weekendDays: ['sat', 'sun'], rule: 'next', holidays: [{ date: '2026-10-01', name: '国庆节' }, { date: '2026-10-02', name: '国庆节' }] });
    const badLine = await server.app.inject({ method: 'POST', url: '/v1/calendar/holidays', headers: admin, payload: { csv: '2026-13-01,Nope' } });
    expect(badLine.statusCode).toBe(400);
  });

  it('documents every console route in the OpenAPI document, each with a summary', async () => {
    const document = (await server.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, { summary?: string }>> };
    const routes: Array<[string, string]> = [
      ['/v1/compliance/receipts', 'get'], ['/v1/compliance/receipts/{id}', 'get'], ['/v1/compliance/rule-counts', 'get'], ['/v1/compliance/evidence-pack', 'get'],
      ['/v1/compliance/evidence-exports', 'get'], ['/v1/compliance/overlays', 'get'], ['/v1/compliance/overlays', 'post'], ['/v1/personal-data-access', 'get'],
      ['/v1/collections/certifications', 'get'], ['/v1/calendar', 'get'], ['/v1/calendar', 'put'], ['/v1/calendar/holidays', 'post'],
    ];
    for (const [path, method] of routes) expect(document.paths[path]?.[method]?.summary, `${method} ${path}`).toEqual(expect.any(String));
  });
});

/** A small RFC 4180 reader for the test: quoted cells, doubled quotes, CRLF between lines. */
function parseCsv(text: string): string[][] {
  const lines: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') { cell += '"'; index++; } else if (character === '"') quoted = false; else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') { cells.push(cell); cell = ''; } else if (character === '\r' && text[index + 1] === '\n') { cells.push(cell); lines.push(cells); cells = []; cell = ''; index++; } else cell += character;
  }
  if (cell !== '' || cells.length > 0) { cells.push(cell); lines.push(cells); }
  return lines;
}
