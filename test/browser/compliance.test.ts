import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createUser } from '../../src/identity/identity.service.ts';
import { createApiKey } from '../../src/http/auth.ts';
import { recordTraining } from '../../src/collections/certification.service.ts';
import { DATABASE_KIND, openTestDatabase } from '../support/database.ts';
import { ensureWebBuilt, launchBrowser, saveScreen } from '../support/browser.ts';
import { borrowerInput, personalLoanProduct } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'console passphrase';

describe(`the compliance and admin consoles in a browser on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let borrowerId: string;
  let deniedReceiptId: string;
  let allowedReceiptId: string;

  beforeAll(async () => {
    ensureWebBuilt();
    handle = await openTestDatabase();
    // 10:00 in Shanghai: inside CN contact hours, so only the borrower's opt-out can refuse a call.
    server = await startTestServer(handle, '2026-03-10T02:00:00Z');
    const admin = await server.headersFor('admin');
    const { ids } = server.dependencies;
    const inject = async (method: 'POST' | 'PUT' | 'GET', url: string, payload: unknown, headers: Record<string, string> = admin) => {
      const response = await server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const product = await inject('POST', '/v1/products', personalLoanProduct());
    const borrower = await inject('POST', '/v1/borrowers', borrowerInput());
    borrowerId = borrower.id;
    const loan = await inject('POST', '/v1/loans', { borrowerId, productId: product.id, principal: '6000.00', numberOfRepayments: 6 });
    await inject('POST', `/v1/loans/${loan.id}/approve`, {});
    await inject('POST', `/v1/loans/${loan.id}/disburse`, {}, { ...admin, 'idempotency-key': 'disburse' });

    // The borrower opted out of calls; an agent's case for the loan (end of day would open it once the loan is late).
    await inject('PUT', `/v1/borrowers/${borrowerId}/contact-preferences`, { optOuts: ['call'], inconvenient: [], preferredLanguage: null, ceaseContact: false }, { ...admin, 'idempotency-key': 'no-calls' });
    const agentUser = await createUser({ db: handle.db, ids }, { username: 'zhang.san', password: PASSWORD, role: 'agent', displayName: '张三', preferredLanguage: 'zh-CN' });
    const agentKey = await createApiKey(handle.db, ids, { name: 'zhang.san', role: 'agent', borrowerId: null });
    const agentId = agentKey.id;
    await handle.db.insertInto('collection_case').values({
      id: 'case_console', borrower_id: borrowerId, loan_id: loan.id, status: 'open', strategy_id: 'cn-default', strategy_version: 1, arm: null, agent_id: agentId,
      opened_on: '2026-03-09', closed_on: null, promise_broken_on: null, last_right_party_contact_on: null, updated_at: new Date('2026-03-09T16:00:00Z'),
    }).execute();
    const agent = { authorization: `Bearer ${agentKey.key}` };
    // The agent tries to call (refused: opted out) and then sends an SMS (allowed).
    const refused = await inject('POST', '/v1/collections/cases/case_console/contact', { channel: 'call' }, { ...agent, 'idempotency-key': 'call-1' });
    expect(refused).toMatchObject({ allowed: false, decision: { decision: 'deny', reasons: [expect.objectContaining({ rule: 'FLOOR-OPT-OUT' })] } });
    deniedReceiptId = refused.receiptId;
    server.dependencies.clock.set('2026-03-10T03:00:00Z');
    const templates = (await inject('GET', '/v1/collections/templates', undefined, agent)).items as Array<{ id: string; channel: string; approvedVersion: number | null }>;
    const smsTemplate = templates.find((template) => template.channel === 'sms' && template.approvedVersion !== null)!;
    const allowed = await inject('POST', '/v1/collections/cases/case_console/contact', { channel: 'sms', templateId: smsTemplate.id }, { ...agent, 'idempotency-key': 'sms-1' });
    expect(allowed.allowed).toBe(true);
    allowedReceiptId = allowed.receiptId;

    const compliance = await server.headersFor('compliance');
    await inject('GET', `/v1/borrowers/${borrowerId}?unmask=true&reason=${encodeURIComponent('核实投诉内容')}`, undefined, compliance);
    await inject('POST', `/v1/borrowers/${borrowerId}/complaints`, { category: 'harassment', text: '借款人表示已说明不接电话，仍然接到催收电话。' }, { ...compliance, 'idempotency-key': 'complaint' });
    await recordTraining(handle.db, ids, { agentId: agentUser.id, module: '中国公平催收 2025', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2025-03-20', expiresOn: '2026-03-20' });
    await recordTraining(handle.db, ids, { agentId: agentUser.id, module: '上门催收规范 2025', jurisdiction: 'CN', channels: ['visit'], passedOn: '2025-02-01', expiresOn: '2026-02-01' });

    await createUser({ db: handle.db, ids }, { username: 'li.hegui', password: PASSWORD, role: 'compliance', displayName: '李合规', preferredLanguage: 'zh-CN' });
    await createUser({ db: handle.db, ids }, { username: 'site.admin', password: PASSWORD, role: 'admin', displayName: 'Site admin', preferredLanguage: 'en' });
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    await handle?.close();
  });

  async function logIn(page: Page, username: string) {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel(/用户名|Username/).fill(username);
    await page.getByLabel(/密码|Password/).fill(PASSWORD);
    await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
    await page.getByRole('button', { name: /^(退出登录|Log out)$/ }).waitFor();
  }

  async function downloadText(page: Page, link: Locator): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]) as [Download, void];
    const path = await download.path();
    return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
  }

  it("lets a compliance officer find a denied attempt's receipt, open it and export the evidence pack as CSV and JSON", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, 'li.hegui');
    // The receipts are the compliance officer's start page.
    await page.getByRole('heading', { name: '合规凭证' }).waitFor();
    await page.getByLabel('借款人编号').fill(borrowerId);
    await page.getByRole('button', { name: '查找', exact: true }).click();
    await page.waitForURL(/borrowerId=/);
    const deniedRow = page.locator('tbody tr', { hasText: '拒绝' });
    await deniedRow.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await expectText(deniedRow, 'FLOOR-OPT-OUT');
    await saveScreen(page, 'compliance-receipts');

    await deniedRow.getByRole('link', { name: `查看凭证 ${deniedReceiptId}` }).click();
    await page.getByRole('heading', { name: '凭证详情' }).waitFor();
    await expectText(page.locator('.card').first(), deniedReceiptId);
    await expectText(page.locator('.reasons'), 'FLOOR-OPT-OUT');
    await expectText(page.locator('dl'), 'CN');
    await saveScreen(page, 'compliance-receipt');

    const csv = await downloadText(page, page.getByRole('link', { name: '导出 CSV' }));
    expect(csv.name).toMatch(new RegExp(`^evidence-${borrowerId}-evd_.+\\.csv$`));
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('section,id,borrower_id,at,summary,details');
    expect(lines.filter((line) => line.startsWith(`receipt,${deniedReceiptId},${borrowerId},`))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('contact-attempt,'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('complaint,'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('unmasking,'))).toHaveLength(1);

    const json = await downloadText(page, page.getByRole('link', { name: '导出 JSON' }));
    expect(json.name).toMatch(/\.json$/);
    const pack = JSON.parse(json.text);
    expect(pack.borrowerId).toBe(borrowerId);
    expect(pack.receipts.map((receipt: { id: string }) => receipt.id)).toEqual([deniedReceiptId, allowedReceiptId]);
    expect(pack.receipts[0]).toMatchObject({ channel: 'call', decision: { decision: 'deny' } });
    expect(pack.contactAttempts).toEqual([expect.objectContaining({ receiptId: allowedReceiptId, channel: 'sms' })]);
    expect(pack.complaints).toHaveLength(1);
    expect(pack.unmasking).toEqual([expect.objectContaining({ reason: '核实投诉内容', role: 'compliance' })]);
    const exports = await handle.db.selectFrom('evidence_export').selectAll().orderBy('exported_at').execute();
    expect(exports.map((row) => [row.borrower_id, row.format, row.exported_role])).toEqual([[borrowerId, 'csv', 'compliance'], [borrowerId, 'json', 'compliance']]);

    await page.goto(`${baseUrl}/compliance/rule-counts?from=2026-03-01&to=2026-03-31`);
    const countRow = page.locator('tbody tr', { hasText: 'FLOOR-OPT-OUT' });
    await countRow.waitFor();
    await page.getByRole('img', { name: /各规则的拒绝次数/ }).locator('svg').waitFor();
    await saveScreen(page, 'compliance-rule-counts');
    await countRow.getByRole('link', { name: '查看凭证' }).click();
    await page.getByRole('heading', { name: '合规凭证' }).waitFor();
    await page.locator('tbody tr', { hasText: 'FLOOR-OPT-OUT' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);

    await page.goto(`${baseUrl}/compliance/unmasking?borrowerId=${borrowerId}`);
    await expectText(page.locator('tbody tr'), '核实投诉内容');
    await saveScreen(page, 'compliance-unmasking');

    await page.goto(`${baseUrl}/compliance/certifications`);
    await expectText(page.locator('tbody tr', { hasText: '中国公平催收 2025' }), '30 天内到期');
    await expectText(page.locator('tbody tr', { hasText: '上门催收规范 2025' }), '已过期');
    await saveScreen(page, 'compliance-certifications');

    await page.goto(`${baseUrl}/compliance/complaints`);
    const complaint = page.locator('article.card').first();
    await complaint.getByLabel('指派给').fill('li.hegui');
    await complaint.getByRole('button', { name: '指派' }).click();
    await expectText(page.locator('article.card .badge'), '处理中');
    await page.locator('article.card').first().getByLabel('处理结果').fill('已核实，催收员已停止电话联系并接受复训；已书面致歉。');
    await saveScreen(page, 'compliance-complaints');
    await page.locator('article.card').first().getByRole('button', { name: '结案' }).click();
    await expectText(page.locator('article.card .badge'), '已结案');

    await page.goto(`${baseUrl}/compliance/evidence`);
    await page.getByRole('heading', { name: '导出日志' }).waitFor();
    await expectText(page.locator('tbody tr'), 'CSV');
    await saveScreen(page, 'compliance-evidence');
    await context.close();
  });

  it('shows an administrator the rule an overlay would loosen, and stores one that tightens', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    await logIn(page, 'site.admin');
    await page.goto(`${baseUrl}/admin/overlays`);
    await page.getByRole('heading', { name: 'Policy overlays' }).waitFor();
    await page.getByLabel('Jurisdiction pack').selectOption('CN');
    await page.getByLabel('Name', { exact: true }).fill('acme');
    await page.getByLabel('Version').fill('1');
    await page.getByLabel('Rule id').fill('CN-02');
    await page.getByLabel('Limit').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.getByRole('alert'), 'Refused: this would loosen CN-02.');
    expect(await handle.db.selectFrom('policy_overlay').selectAll().execute()).toEqual([]);
    await saveScreen(page, 'admin-overlay-refused');

    await page.getByLabel('Limit').fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.getByRole('status'), 'Saved; the policy version that applies is CN@');
    await expectText(page.locator('tbody tr'), 'acme · 1');
    await saveScreen(page, 'admin-overlays');

    await page.goto(`${baseUrl}/admin/products`);
    await page.getByRole('heading', { name: 'Loan products' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Short loan');
    await page.getByLabel('Annual rate (%)').fill('36');
    await page.getByLabel('Minimum principal').fill('500.00');
    await page.getByLabel('Maximum principal').fill('5000.00');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectText(page.getByRole('alert'), 'The product was not created');
    await expectText(page.locator('.field-error'), 'exceeds the legal cap of 24%');
    expect((await handle.db.selectFrom('product').select('id').execute()).length).toBe(1);
    await saveScreen(page, 'admin-products-refused');
    await page.getByLabel('Annual rate (%)').fill('18');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectText(page.getByRole('status'), 'Product "Short loan" created');
    await page.getByRole('link', { name: 'Short loan' }).click();
    await page.getByRole('heading', { name: 'Product', exact: true }).waitFor();
    await saveScreen(page, 'admin-product');

    await page.goto(`${baseUrl}/admin/calendar`);
    await page.getByRole('heading', { name: 'Business calendar' }).waitFor();
    await page.getByLabel('Import holidays (CSV)').fill('date,name\n2026-10-01,National Day\n2026-10-02,National Day');
    await page.getByRole('button', { name: 'Import' }).click();
    await expectText(page.getByRole('status'), '2 holidays imported.');
    await expectText(page.locator('tbody tr'), '2026-10-02');
    await saveScreen(page, 'admin-calendar');
    await context.close();
  });
});

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 5000 });
  expect(await locator.filter({ hasText: text }).count()).toBeGreaterThan(0);
}
