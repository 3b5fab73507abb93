import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createUser } from '../../src/identity/identity.service.ts';
import { DATABASE_KIND, openTestDatabase } from '../support/database.ts';
import { ensureWebBuilt, launchBrowser, saveScreen } from '../support/browser.ts';
import { borrowerInput, personalLoanProduct } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'portal passphrase';

/**
 * A borrower's requests from the portal, through the page as a person would use it: contact
 * preferences, a dispute, a hardship plan and a complaint; and an administrator creating a user
 * who then logs in. What the screens show is checked against what the server stored.
 */
describe(`portal requests and user administration in a browser on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let borrowerId: string;
  let loanId: string;
  let admin: Record<string, string>;

  async function inject(method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = admin) {
    const response = await server.app.inject({ method, url, payload: payload as object | undefined, headers });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  }

  beforeAll(async () => {
    ensureWebBuilt();
    handle = await openTestDatabase();
    server = await startTestServer(handle);
    admin = await server.headersFor('admin');
    const product = await inject('POST', '/v1/products', personalLoanProduct());
    const borrower = await inject('POST', '/v1/borrowers', borrowerInput());
    borrowerId = borrower.id;
    const loan = await inject('POST', '/v1/loans', { borrowerId, productId: product.id, principal: '6000.00', numberOfRepayments: 6 });
    loanId = loan.id;
    await inject('POST', `/v1/loans/${loanId}/approve`, {});
    await inject('POST', `/v1/loans/${loanId}/disburse`, {}, { ...admin, 'idempotency-key': 'disburse' });
    const ids = server.dependencies.ids;
    await createUser({ db: handle.db, ids }, { username: 'wang.xiaoming', password: PASSWORD, role: 'borrower', displayName: '王小明', borrowerId, preferredLanguage: 'zh-CN' });
    await createUser({ db: handle.db, ids }, { username: 'site.admin', password: PASSWORD, role: 'admin', displayName: 'Site admin', preferredLanguage: 'en' });
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    await handle?.close();
  });

  /** A phone-sized screen for the borrower, a desk-sized one for staff. */
  async function visitor(locale = 'zh-CN', width = 390, height = 844): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height }, locale });
    return { context, page: await context.newPage() };
  }

  async function logIn(page: Page, username: string, password = PASSWORD) {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel(/^(用户名|Username)$/).fill(username);
    await page.getByLabel(/^(密码|Password)$/).fill(password);
    await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
  }

  it('lets a borrower opt out of SMS and set an inconvenient time, with the server\'s refusal shown at the field', async () => {
    const { context, page } = await visitor();
    await logIn(page, 'wang.xiaoming');
    await page.getByRole('heading', { name: '我的借款' }).waitFor();
    await page.goto(`${baseUrl}/portal/contact-preferences`);
    await page.getByRole('heading', { name: '联系偏好', exact: true }).waitFor();
    await expectText(page.locator('.card').first(), '没有任何限制');

    await page.getByRole('checkbox', { name: '短信' }).check();
    await page.getByRole('button', { name: '添加不方便的时间' }).click();
    await page.getByRole('checkbox', { name: '周六' }).check();
    await page.getByRole('checkbox', { name: '周日' }).check();
    // 25:00 passes the form of HH:MM but no clock has it: the server says so, and the page shows it at the time.
    await page.getByLabel('时间段 1 开始').fill('25:00');
    await page.getByLabel('时间段 1 结束').fill('08:00');
    await page.getByRole('button', { name: '保存联系偏好' }).click();
    await expectText(page.locator('fieldset .field-error'), '这个时间段无效');
    expect(await page.getByLabel('时间段 1 开始').getAttribute('aria-invalid')).toBe('true');
    expect(await handle.db.selectFrom('contact_preference_change').select('id').where('borrower_id', '=', borrowerId).execute()).toEqual([]);

    await page.getByLabel('时间段 1 开始').fill('21:00');
    await page.getByRole('button', { name: '保存联系偏好' }).click();
    await expectText(page.getByRole('status'), '已保存');
    await expectText(page.locator('table'), '您本人');
    await expectText(page.locator('.card').first(), '不使用：短信');
    await expectText(page.locator('.card').first(), '周六、周日 21:00–08:00 不方便');
    await saveScreen(page, 'portal-contact-preferences');

    const stored = await inject('GET', `/v1/borrowers/${borrowerId}/contact-preferences`);
    expect(stored.optOuts).toEqual(['sms']);
    expect(stored.inconvenient).toEqual([{ weekdays: ['sat', 'sun'], from: '21:00', to: '08:00' }]);
    expect(stored.ceaseContact).toBe(false);
    expect(stored.changes).toHaveLength(1);
    expect(stored.changes[0].changedByRole).toBe('borrower');
    await context.close();
  });

  it('lets a borrower dispute a loan and see that it is under review', async () => {
    const { context, page } = await visitor();
    await logIn(page, 'wang.xiaoming');
    await page.getByRole('heading', { name: '我的借款' }).waitFor();
    // From the navigation's "My requests", where each loan has its requests.
    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('link', { name: '我的申请' }).click();
    await page.getByRole('heading', { name: '我的申请' }).waitFor();
    await expectText(page.locator('article.card'), '¥6,000.00');
    await saveScreen(page, 'portal-requests');
    await page.getByRole('link', { name: '提出争议' }).click();
    await page.getByRole('heading', { name: '对借款提出争议' }).waitFor();
    await expectText(page.locator('.card').first(), '催收联系都会停止');
    // Sent without a reason: the server names the field, the page shows it there.
    await page.getByLabel('具体说明').fill('1月3日已通过银行转账还清第一期，请核对。');
    await page.getByRole('button', { name: '提交争议' }).click();
    await expectText(page.locator('.field-error'), '请选择争议原因');
    await page.getByLabel('争议原因').selectOption('already-paid');
    await page.getByRole('button', { name: '提交争议' }).click();
    await expectText(page.getByRole('status'), '争议已提交');
    await expectText(page.locator('table'), '核查中');
    await expectText(page.locator('table'), '我已经还过了');
    await saveScreen(page, 'portal-dispute');

    const disputes = await inject('GET', `/v1/loans/${loanId}/disputes`);
    expect(disputes.items.map((dispute: { status: string; reason: string }) => [dispute.status, dispute.reason])).toEqual([['open', 'already-paid']]);
    await context.close();
  });

  it('shows a borrower the proposed deferral schedule and verdict before they ask, then the request\'s status', async () => {
    const { context, page } = await visitor();
    await logIn(page, 'wang.xiaoming');
    await page.getByRole('heading', { name: '我的借款' }).waitFor();
    await page.goto(`${baseUrl}/portal/loans/${loanId}`);
    await page.getByRole('link', { name: '申请困难还款计划' }).click();
    await page.getByRole('heading', { name: '困难还款计划' }).waitFor();
    await page.getByLabel('困难原因').fill('公司裁员，正在找工作。');
    await page.getByLabel(/每月收入/).fill('5000.00');
    await page.getByLabel(/每月必要支出/).fill('3000.00');
    await page.getByLabel('希望的计划').selectOption('deferral');
    await page.getByLabel('月数').fill('3');
    await page.getByRole('button', { name: '预览新的还款计划' }).click();
    await page.getByRole('heading', { name: '新的还款计划（预览）' }).waitFor();

    // The schedule on the page is the server's proposal, row for row.
    const body = { reason: '公司裁员，正在找工作。', income: '5000.00', expenses: '3000.00', plan: { kind: 'deferral', months: 3 } };
    const expected = (await inject('POST', `/v1/loans/${loanId}/hardship-plans/preview`, body)).proposal;
    const rows = page.locator('section.card table tbody tr');
    expect(await rows.count()).toBe(expected.installments.length);
    expect(await rows.first().locator('td').nth(1).locator('time').getAttribute('datetime')).toBe(expected.installments[0].dueDate);
    await expectText(page.locator('section.card'), expected.affordability.verdict === 'affordable' ? '可负担' : '可能难以负担');
    await saveScreen(page, 'portal-hardship-preview');

    await page.getByRole('button', { name: '提交申请' }).click();
    await expectText(page.getByRole('status'), '申请已提交');
    await expectText(page.locator('article.card'), '审核中');
    await saveScreen(page, 'portal-hardship-requested');
    const requests = await inject('GET', `/v1/loans/${loanId}/hardship-requests`);
    expect(requests.items).toHaveLength(1);
    expect(requests.items[0].status).toBe('requested');
    expect(requests.items[0].plan).toEqual({ kind: 'deferral', months: 3 });

    // A supervisor approves it: the borrower sees the new schedule the loan now follows.
    await inject('POST', `/v1/hardship-requests/${requests.items[0].id}/decision`, { decision: 'approve', reason: '收入证明已核实' }, { ...admin, 'idempotency-key': 'approve-hardship' });
    await page.reload();
    await expectText(page.locator('article.card'), '已批准');
    await expectText(page.locator('article.card'), '收入证明已核实');
    await saveScreen(page, 'portal-hardship-approved');
    await context.close();
  });

  it('lets a borrower file a complaint and see its status and response deadline', async () => {
    const { context, page } = await visitor();
    await logIn(page, 'wang.xiaoming');
    await page.getByRole('heading', { name: '我的借款' }).waitFor();
    await page.goto(`${baseUrl}/portal/complaints`);
    await page.getByRole('heading', { name: '投诉', exact: true }).waitFor();
    await expectText(page.locator('.empty'), '您还没有提交过投诉');
    await page.getByLabel('投诉类别').selectOption('harassment');
    await page.getByLabel('投诉内容').fill('催收员晚上十一点给我打电话。');
    await page.getByRole('button', { name: '提交投诉' }).click();
    await expectText(page.getByRole('status'), '投诉已提交');
    await expectText(page.locator('table'), '已受理');

    const complaints = await inject('GET', `/v1/borrowers/${borrowerId}/complaints`);
    expect(complaints.items).toHaveLength(1);
    expect(complaints.items[0].category).toBe('harassment');
    // The deadline shown is the server's (CN: 15 days after filing).
    expect(await page.locator('table tbody tr').first().locator('td').nth(3).locator('time').getAttribute('datetime')).toBe(complaints.items[0].dueOn);
    await saveScreen(page, 'portal-complaints');
    await context.close();
  });

  it('lets an administrator create a borrower user who can then log in, and manage a user', async () => {
    const { context, page } = await visitor('en-GB', 1280, 900);
    await logIn(page, 'site.admin');
    // An administrator may open every area, so the start page is the first of them: go to Users.
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await page.goto(`${baseUrl}/admin/users`);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Create a user' }).click();
    await page.getByLabel('Username', { exact: true }).fill('li.na');
    await page.getByLabel('Name', { exact: true }).fill('李娜');
    await page.getByLabel('Role', { exact: true }).selectOption('borrower');
    await page.getByLabel('Borrower id').fill(borrowerId);
    await page.getByRole('form', { name: 'Create a user' }).getByLabel('Language').selectOption('zh-CN');
    // Too short: the server's rule, shown at the password.
    await page.getByLabel('First password').fill('short');
    await page.getByRole('button', { name: 'Create the user' }).click();
    await expectText(page.locator('.field-error'), 'A password has 8 to 256 characters');
    await page.getByLabel('First password').fill('li na passphrase');
    await saveScreen(page, 'admin-user-create');
    await page.getByRole('button', { name: 'Create the user' }).click();
    await expectText(page.getByRole('status'), 'User li.na created');
    await expectText(page.locator('table'), 'li.na');
    await saveScreen(page, 'admin-user-created');

    const created = await handle.db.selectFrom('app_user').select(['role', 'borrower_id']).where('username', '=', 'li.na').executeTakeFirstOrThrow();
    expect(created).toEqual({ role: 'borrower', borrower_id: borrowerId });

    const newcomer = await visitor();
    await logIn(newcomer.page, 'li.na', 'li na passphrase');
    await newcomer.page.getByRole('heading', { name: '我的借款' }).waitFor();
    await expectText(newcomer.page.locator('.card').first(), '¥6,000.00');

    // The administrator resets li.na's password: her session ends, and only the new password works.
    await page.getByRole('button', { name: 'Manage user li.na' }).click();
    await page.getByRole('heading', { name: 'Manage user li.na' }).waitFor();
    await saveScreen(page, 'admin-user-manage');
    await page.getByLabel('New password').fill('a new passphrase');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expectText(page.getByRole('status'), "li.na's password reset");
    await newcomer.page.reload();
    await newcomer.page.getByRole('heading', { name: '登录' }).waitFor();
    await logIn(newcomer.page, 'li.na', 'a new passphrase');
    await newcomer.page.getByRole('heading', { name: '我的借款' }).waitFor();

    // Disabling asks twice, then ends her session for good.
    await page.getByRole('button', { name: 'Manage user li.na' }).click();
    await page.getByRole('button', { name: 'Disable this user' }).click();
    await page.getByRole('button', { name: 'Yes, disable li.na' }).click();
    await expectText(page.getByRole('status'), 'li.na disabled');
    await expectText(page.locator('table tr', { hasText: 'li.na' }), 'Disabled');
    await newcomer.page.reload();
    await newcomer.page.getByRole('heading', { name: '登录' }).waitFor();
    const disabled = await handle.db.selectFrom('app_user').select('disabled_at').where('username', '=', 'li.na').executeTakeFirstOrThrow();
    expect(disabled.disabled_at).not.toBeNull();
    await newcomer.context.close();
    await context.close();
  });
});

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 5000 });
  expect(await locator.filter({ hasText: text }).count()).toBeGreaterThan(0);
}
