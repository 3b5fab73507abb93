import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { runCollections } from '../../src/collections/case.service.ts';
import { runEndOfDay } from '../../src/eod/eod.service.ts';
import { createUser, linkApiKeyToUser } from '../../src/identity/identity.service.ts';
import { createBorrower } from '../../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan, postPayment } from '../../src/lending/loan.service.ts';
import { loadInstallments } from '../../src/lending/loan.store.ts';
import { createProduct } from '../../src/lending/product.service.ts';
import { addDays, type BusinessDate } from '../../src/shared/business-date.ts';
import { ensureWebBuilt, launchBrowser, saveScreen } from '../support/browser.ts';
import { DATABASE_KIND, openTestDatabase } from '../support/database.ts';
import { endOfDayDependencies } from '../support/eod.ts';
import { borrowerInput, personalLoanProduct } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'console passphrase';
const START = '2026-01-05' as BusinessDate;
const morningOf = (date: BusinessDate) => `${date}T02:00:00Z`;

describe(`the supervisor console in a browser on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let baseUrl: string;
  let lastRun: BusinessDate;
  let visitId: string;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    ensureWebBuilt();
    handle = await openTestDatabase();
    server = await startTestServer(handle, morningOf(START));
    const { ids, clock } = server.dependencies;
    const dependencies = { db: handle.db, ids };
    const product = await createProduct(handle.db, ids, personalLoanProduct(), START);
    const loans: string[] = [];
    for (const [index, name] of ['王小明', '李华', '陈静'].entries()) {
      const borrower = await createBorrower(handle.db, ids, borrowerInput({ fullName: name, nationalId: `11010119900307123${index}`, phones: [{ number: `+861380013800${index}`, kind: 'mobile' }] }));
      const loan = await createLoan(dependencies, { borrowerId: borrower.id, productId: product.id, principal: `${8000 + index * 2000}.00` }, START);
      await approveLoan(dependencies, loan.id, START);
      await disburseLoan(dependencies, loan.id, { businessDate: START, idempotencyKey: `disburse-${index}` });
      loans.push(loan.id);
    }
    for (const [username, role, displayName] of [['zhang.supervisor', 'supervisor', '张主管'], ['li.agent', 'agent', '李强'], ['zhao.field', 'field-agent', '赵外访'], ['qian.field', 'field-agent', '钱外访']] as const) {
      people[username] = (await createUser({ db: handle.db, ids }, { username, password: PASSWORD, role, displayName, preferredLanguage: 'zh-CN' })).id;
    }
    const supervisor = await server.headersFor('supervisor');
    const agent = await server.headersFor('agent');
    // The agent's API key acts as 李强 (the desk agent on the roster).
    await linkApiKeyToUser(handle.db, (await handle.db.selectFrom('api_key').select('id').where('role', '=', 'agent').executeTakeFirstOrThrow()).id, people['li.agent']!);
    const inject = async (method: 'POST' | 'PUT', url: string, payload: unknown, headers: Record<string, string>, key?: string) => {
      const response = await server.app.inject({ method, url: `/v1${url}`, payload: payload as object, headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) } });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    // Two months of end of day: the loans go late and cases open.
    const eod = endOfDayDependencies(handle, ids);
    const firstDue = (await loadInstallments(handle.db, loans[0]!))[0]!.dueDate as BusinessDate;
    for (let date = START; date <= addDays(firstDue, 35); date = addDays(date, 1)) {
      await runEndOfDay(eod, date);
      lastRun = date;
      // 李华 pays what is overdue ten days late: a cure for the cure-rate chart.
      if (date === addDays(firstDue, 10)) await postPayment(dependencies, loans[1]!, { amount: '1500.00', idempotencyKey: 'pay-li', businessDate: date, date });
      if (date >= firstDue) {
        clock.set(morningOf(date));
        await runCollections(handle.db, ids, clock, date);
      }
    }
    // The roster, once the cases are open (so that none is given out automatically): a certified desk agent and two field collectors for Shanghai.
    await inject('PUT', `/collections/collectors/${people['li.agent']}`, { displayName: '李强', languages: ['zh-CN'], jurisdictions: ['CN'], region: null, capacity: 1 }, supervisor);
    await inject('POST', `/collections/collectors/${people['li.agent']}/training`, { module: 'CN fair collection 2026', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-02', expiresOn: '2027-01-02' }, supervisor, 'train-li');
    for (const [username, name] of [['zhao.field', '赵外访'], ['qian.field', '钱外访']] as const) {
      await inject('PUT', `/collections/collectors/${people[username]}`, { displayName: name, languages: ['zh-CN'], jurisdictions: ['CN'], region: '上海', capacity: 10, active: true }, supervisor);
    }
    const cases = await handle.db.selectFrom('collection_case').select(['id', 'loan_id']).execute();
    const caseOf = (loanId: string) => cases.find((row) => row.loan_id === loanId)!.id;
    // A contact and a promise for the activity chart; a visit request waiting for a supervisor; a hardship request.
    await inject('POST', `/collections/cases/${caseOf(loans[0]!)}/assign`, { agentId: people['li.agent'] }, supervisor, 'assign');
    const contact = await inject('POST', `/collections/cases/${caseOf(loans[0]!)}/contact`, { channel: 'call' }, agent, 'contact');
    await inject('POST', `/collections/cases/${caseOf(loans[0]!)}/outcome`, { attemptId: contact.attemptId, outcome: 'promise' }, agent, 'outcome');
    await inject('POST', `/collections/cases/${caseOf(loans[0]!)}/promises`, { instalments: [{ dueOn: addDays(lastRun, 3), amount: '800.00' }] }, agent, 'promise');
    visitId = (await inject('POST', `/collections/cases/${caseOf(loans[0]!)}/visits`, {}, agent, 'visit')).id;
    await inject('POST', `/loans/${loans[2]}/hardship-requests`, { reason: '失业，正在找工作', income: '4000.00', expenses: '2500.00', plan: { kind: 'extension', months: 6 } }, supervisor, 'hardship');
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('用户名').fill('zhang.supervisor');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '催收看板' }).waitFor();
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.app.close();
    await handle?.close();
  });

  it('shows the dashboard charts for a chosen period, each with its figures as a table', async () => {
    await page.getByRole('link', { name: '催收看板' }).click();
    await page.getByRole('heading', { name: '催收看板' }).waitFor();
    await page.getByLabel('开始日期').fill('2026-01-01');
    await page.getByLabel('结束日期').fill(lastRun);
    await page.getByRole('button', { name: '查看' }).click();
    for (const title of ['各账龄贷款笔数（CN · CNY）', '迁徙率', '治愈率', '承诺还款兑现情况', '各渠道效果', '催收员工作量']) {
      await page.getByRole('img', { name: title }).locator('svg').first().waitFor();
    }
    // Charts are drawn (bars and lines), not empty frames.
    expect(await page.locator('.chart-canvas svg path').count()).toBeGreaterThan(20);
    const activity = page.locator('figure', { hasText: '催收员工作量' });
    await activity.getByText('以表格查看数据').click();
    await expectText(activity.locator('table'), '李强');
    await saveScreen(page, 'supervisor-dashboard');
  });

  it('approves a requested field visit with two field collectors', async () => {
    await page.getByRole('link', { name: '审批' }).click();
    await page.getByRole('heading', { name: '外访申请' }).waitFor();
    const visit = page.locator('article', { hasText: '王** · 逾期' });
    await visit.waitFor();
    await expectText(page.locator('article'), '可负担');
    await saveScreen(page, 'supervisor-approvals');
    await visit.getByLabel(/赵外访/).check();
    await visit.getByLabel(/钱外访/).check();
    await visit.getByRole('button', { name: '批准外访' }).click();
    await expectText(page.getByRole('status'), '已批准对 王** 的外访。');
    await page.getByText('没有待审批的外访申请。').waitFor();
    const stored = await handle.db.selectFrom('field_visit').select(['status', 'collectors', 'approved_by']).where('id', '=', visitId).executeTakeFirstOrThrow();
    expect(stored.status).toBe('approved');
    const collectors = typeof stored.collectors === 'string' ? JSON.parse(stored.collectors) : stored.collectors;
    expect([...collectors].sort()).toEqual([people['zhao.field'], people['qian.field']].sort());
    expect(stored.approved_by).toBe(people['zhang.supervisor']);
    await saveScreen(page, 'supervisor-approvals-done');
  });

  it('opens the strategy editor and shows a bad rung\'s error at that rung', async () => {
    await page.getByRole('link', { name: '催收策略' }).click();
    await page.getByRole('heading', { name: '催收策略' }).waitFor();
    await saveScreen(page, 'supervisor-strategies');
    await page.getByRole('link', { name: 'CN default' }).click();
    await page.getByRole('heading', { name: '催收阶梯：standard' }).waitFor();
    await saveScreen(page, 'supervisor-strategy');
    await page.getByRole('link', { name: '编辑（保存为新版本）' }).click();
    const editor = page.getByLabel('策略定义（JSON）');
    await editor.waitFor();
    const definition = JSON.parse(await editor.inputValue());
    definition.ladders.standard.rungs[2].when.dpd = 900;
    await editor.fill(JSON.stringify(definition, null, 2));
    await page.getByRole('button', { name: '校验', exact: true }).click();
    const problem = page.locator('.strategy-preview [role="alert"]', { hasText: 'definition.ladders.standard.rungs.2.when.dpd' });
    await problem.waitFor();
    // The problem sits in the row right under rung 2 of the preview.
    expect(await page.locator('.strategy-preview tr.rung-error').first().locator('td').first().innerText()).toBe('2');
    await saveScreen(page, 'supervisor-strategy-editor-error');
    const versions = await handle.db.selectFrom('collection_strategy').select('version').where('id', '=', 'cn-default').execute();
    expect(versions).toHaveLength(1);
  });

  it('reassigns an unassigned case from the assignment screen, and shows the roster with certification', async () => {
    await page.getByRole('link', { name: '案件分配' }).click();
    await page.getByRole('heading', { name: '案件分配' }).waitFor();
    await page.getByLabel('显示').selectOption('unassigned');
    const row = page.locator('tbody tr', { hasText: '陈*' });
    await row.waitFor();
    await saveScreen(page, 'supervisor-assignment');
    await row.getByLabel('陈* 的催收员').selectOption({ label: '赵外访（0/10，未认证）' });
    await row.getByRole('button', { name: '分配' }).click();
    await expectText(page.getByRole('status'), '已将 陈* 的案件分配给 赵外访。');
    await page.locator('tbody tr', { hasText: '陈*' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: '催收员名册' }).click();
    await page.getByRole('heading', { name: '催收员名册' }).waitFor();
    await expectText(page.locator('tbody tr', { hasText: '李强' }), '已认证');
    await expectText(page.locator('tbody tr', { hasText: '赵外访' }), '未认证');
    await saveScreen(page, 'supervisor-roster');
  });
});

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 5000 });
  expect(await locator.filter({ hasText: text }).count()).toBeGreaterThan(0);
}
