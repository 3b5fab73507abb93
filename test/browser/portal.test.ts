import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createUser } from '../../src/identity/identity.service.ts';
import { formatMoney } from '../../src/shared/money.ts';
import { parseCurrency } from '../../src/shared/currency.ts';
import { DATABASE_KIND, openTestDatabase } from '../support/database.ts';
import { ensureWebBuilt, launchBrowser, saveScreen } from '../support/browser.ts';
import { borrowerInput, personalLoanProduct } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'portal passphrase';

describe(`the web application in a browser on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let loanId: string;

  beforeAll(async () => {
    ensureWebBuilt();
    handle = await openTestDatabase();
    server = await startTestServer(handle);
    const admin = await server.headersFor('admin');
    const inject = async (method: 'POST', url: string, payload: unknown, headers: Record<string, string> = admin) => {
      const response = await server.app.inject({ method, url, payload: payload as object, headers });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const product = await inject('POST', '/v1/products', personalLoanProduct());
    const borrower = await inject('POST', '/v1/borrowers', borrowerInput());
    const loan = await inject('POST', '/v1/loans', { borrowerId: borrower.id, productId: product.id, principal: '6000.00', numberOfRepayments: 6 });
    loanId = loan.id;
    await inject('POST', `/v1/loans/${loanId}/approve`, {});
    await inject('POST', `/v1/loans/${loanId}/disburse`, {}, { ...admin, 'idempotency-key': 'disburse' });
    const ids = server.dependencies.ids;
    await createUser({ db: handle.db, ids }, { username: 'wang.xiaoming', password: PASSWORD, role: 'borrower', displayName: '王小明', borrowerId: borrower.id, preferredLanguage: 'zh-CN' });
    await createUser({ db: handle.db, ids }, { username: 'site.admin', password: PASSWORD, role: 'admin', displayName: 'Site admin', preferredLanguage: 'en' });
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    await handle?.close();
  });

  /** A fresh visitor on a phone-sized screen, whose browser prefers Chinese. */
  async function visitor(locale = 'zh-CN'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale });
    const page = await context.newPage();
    return { context, page };
  }

  async function logIn(page: Page, username: string, password = PASSWORD) {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel(/用户名|Username/).fill(username);
    await page.getByLabel(/密码|Password/).fill(password);
    await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
  }

  it('shows an error for a wrong password and stays on the login page', async () => {
    const { context, page } = await visitor();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await saveScreen(page, 'login');
    await logIn(page, 'wang.xiaoming', 'not my password');
    await expectText(page.getByRole('alert'), '用户名或密码不正确。');
    await saveScreen(page, 'login-wrong-password');
    await context.close();
  });

  it('switches the labels between Chinese and English, and remembers the choice', async () => {
    const { context, page } = await visitor();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByLabel('Username').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await saveScreen(page, 'login-english');
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await context.close();
  });

  it('lets a borrower see their loan, get a payoff quote and pay once, with the allocation shown', async () => {
    const { context, page } = await visitor();
    await logIn(page, 'wang.xiaoming');
    await page.getByRole('heading', { name: '我的借款' }).waitFor();
    await expectText(page.locator('.card').first(), '¥6,000.00');
    await saveScreen(page, 'portal-my-loans');

    await page.getByRole('link', { name: '查看详情' }).click();
    await page.getByRole('heading', { name: '还款计划' }).waitFor();
    expect(await page.locator('table').first().locator('tbody tr').count()).toBe(6);
    await saveScreen(page, 'portal-loan');

    await page.getByRole('link', { name: '提前结清报价' }).click();
    await page.getByRole('heading', { name: '提前结清报价' }).waitFor();
    await page.getByText('如果在').waitFor();
    await saveScreen(page, 'portal-payoff-quote');

    await page.goto(`${baseUrl}/portal/loans/${loanId}/pay`);
    const amount = page.getByLabel(/还款金额/);
    await amount.waitFor();
    await amount.fill('1000.00');
    await saveScreen(page, 'portal-pay');
    // The first answer is lost on the way back: the server took the payment, the browser saw a
    // network error. Pressing again sends the same Idempotency-Key, so the money moves once.
    await page.route('**/payments', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    }, { times: 1 });
    await page.getByRole('button', { name: '确认还款' }).click();
    await expectText(page.getByRole('alert'), '无法连接服务器');
    await page.getByRole('button', { name: '确认还款' }).click();
    await expectText(page.getByRole('status'), '还款成功，金额 ¥1,000.00 已入账。');
    await page.getByRole('heading', { name: '本次还款的分配' }).waitFor();
    await saveScreen(page, 'portal-paid');

    const payments = await handle.db.selectFrom('loan_transaction').select(['amount_minor', 'principal_minor', 'interest_minor', 'fee_minor']).where('loan_id', '=', loanId).where('kind', '=', 'payment').execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]!.amount_minor).toBe(100000n);
    // The allocation on screen is the one booked.
    const shownPrincipal = await page.locator('table tr', { hasText: '本金' }).locator('td').last().innerText();
    expect(shownPrincipal).toBe(new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }).format(formatMoney(payments[0]!.principal_minor, parseCurrency('CNY')) as `${number}`));

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    const open = await handle.db.selectFrom('user_session').innerJoin('app_user', 'app_user.id', 'user_session.user_id')
      .select('user_session.id').where('app_user.username', '=', 'wang.xiaoming').where('user_session.revoked_at', 'is', null).execute();
    expect(open).toEqual([]);
    await context.close();
  });

  it('does not let a borrower open a staff screen, and shows staff only their areas', async () => {
    const { context, page } = await visitor();
    await logIn(page, 'wang.xiaoming');
    await page.getByRole('heading', { name: '我的借款' }).waitFor();
    await page.goto(`${baseUrl}/admin/users`);
    await page.getByRole('heading', { name: '无权访问' }).waitFor();
    expect(await page.getByRole('link', { name: '用户' }).count()).toBe(0);
    await saveScreen(page, 'portal-staff-screen-refused');
    await page.goto(`${baseUrl}/no/such/screen`);
    await page.getByRole('heading', { name: '页面不存在' }).waitFor();
    await context.close();

    const staff = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const staffPage = await staff.newPage();
    await logIn(staffPage, 'site.admin');
    // An administrator may open every area, so the start page is the first of them: go to Users.
    await staffPage.getByRole('button', { name: 'Log out' }).waitFor();
    await staffPage.goto(`${baseUrl}/admin/users`);
    await staffPage.getByRole('heading', { name: 'Users' }).waitFor();
    await expectText(staffPage.locator('table'), 'wang.xiaoming');
    expect(await staffPage.getByRole('link', { name: 'My loans' }).count()).toBe(0);
    await saveScreen(staffPage, 'admin-users');
    await staff.close();
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 5000 });
  expect(await locator.filter({ hasText: text }).count()).toBeGreaterThan(0);
}
