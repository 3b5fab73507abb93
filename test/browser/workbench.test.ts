import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createUser } from '../../src/identity/identity.service.ts';
import { addDays } from '../../src/shared/business-date.ts';
import { DATABASE_KIND, openTestDatabase } from '../support/database.ts';
import { ensureWebBuilt, launchBrowser, saveScreen } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { lateUsCase, newYorkEveningOf, newYorkMorningOf, WORKBENCH_START, type WorkbenchCase } from '../support/workbench.ts';

const PASSWORD = 'workbench passphrase';

describe(`the collector workbench in a browser on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let late: WorkbenchCase;
  const userIds: Record<string, string> = {};
  /** Script errors in any page: a screen that throws shows a blank page, which no other check would name. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    handle = await openTestDatabase();
    server = await startTestServer(handle, newYorkMorningOf(WORKBENCH_START));
    const services = { db: handle.db, ids: server.dependencies.ids };
    for (const [username, role, displayName, preferredLanguage] of [
      ['dana.agent', 'agent', 'Dana Reyes', 'en'], ['free.agent', 'agent', 'Sam Free', 'en'], ['zhao.field', 'field-agent', '赵外访', 'zh-CN'],
    ] as const) {
      userIds[username] = (await createUser(services, { username, password: PASSWORD, role, displayName, preferredLanguage })).id;
    }
    late = await lateUsCase(handle, server, userIds['dana.agent']!);
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await server?.app.close();
    await handle?.close();
  });

  async function logIn(username: string, options: { locale: string; width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale, timezoneId: 'UTC' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/`);
    await page.getByLabel(/用户名|Username/).fill(username);
    await page.getByLabel(/密码|Password/).fill(PASSWORD);
    await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
    await page.getByRole('button', { name: /^(退出登录|Log out)$/ }).waitFor({ timeout: 8000 }).catch(async (error) => { await saveScreen(page, 'debug-login'); throw error; });
    return page;
  }

  it('refuses a call at 21:30 New York time with the reason and the next allowed time, then allows it in the morning and saves a promise', async () => {
    const clock = server.dependencies.clock;
    clock.set(newYorkEveningOf(late.lastDay));
    let page = await logIn('dana.agent', { locale: 'en-US', width: 1280, height: 900 });
    await page.goto(`${baseUrl}/workbench/queue`);
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    const firstRow = page.locator('table tbody tr').first();
    await expectText(firstRow, 'Not now');
    // 08:00 the next morning in New York, as the server's gate said.
    await expectText(firstRow, `Next allowed: ${shortDate(addDays(late.lastDay, 1))}, 8:00 AM EST (borrower's local time)`);
    await expectText(firstRow, "Outside the allowed hours (borrower's local time)");
    await saveScreen(page, 'workbench-queue');

    await firstRow.getByRole('link').click();
    await page.getByRole('heading', { name: 'Contact the borrower' }).waitFor();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await page.getByLabel('Reason for revealing').fill('Checking the number before the call');
    await page.getByRole('button', { name: 'Reveal now' }).click();
    await expectText(page.locator('.revealed'), '+12125550147');
    const audit = await handle.db.selectFrom('personal_data_access').select(['key_id', 'reason']).where('borrower_id', '=', late.borrowerId).execute();
    expect(audit).toEqual([{ key_id: userIds['dana.agent'], reason: 'Checking the number before the call' }]);

    await page.getByRole('button', { name: 'Check whether I may contact now' }).click();
    const denial = page.locator('.decision');
    await expectText(denial, 'Not allowed now');
    await expectText(denial, "Outside the allowed hours (borrower's local time)");
    await expectText(denial, `Allowed from ${shortDate(addDays(late.lastDay, 1))}, 8:00 AM EST in the borrower's local time`);
    const refusedReceipt = (await denial.locator('code').last().innerText()).trim();
    expect(refusedReceipt).toMatch(/^rcpt_/);
    expect(await page.getByRole('heading', { name: 'Call outcome' }).count()).toBe(0);
    await saveScreen(page, 'workbench-contact-denied');

    await page.context().close();

    // The next morning, 10:00 in New York (the evening's session has ended): the same check now
    // allows the call and the outcome form follows.
    const nextDay = addDays(late.lastDay, 1);
    clock.set(newYorkMorningOf(nextDay));
    page = await logIn('dana.agent', { locale: 'en-US', width: 1280, height: 900 });
    await page.goto(`${baseUrl}/workbench/queue`);
    await expectText(page.locator('table tbody tr').first(), 'Allowed now');
    await page.locator('table tbody tr').first().getByRole('link').click();
    await page.getByRole('button', { name: 'Check whether I may contact now' }).click();
    await expectText(page.locator('.decision'), 'Contact allowed');
    await page.getByLabel('Outcome', { exact: true }).selectOption('promise');
    await page.getByLabel('Date of instalment 1').fill(addDays(nextDay, 3));
    await page.getByLabel('Amount of instalment 1 (USD)').fill('250.00');
    await page.getByRole('button', { name: 'Add an instalment' }).click();
    await page.getByLabel('Date of instalment 2').fill(addDays(nextDay, 17));
    await page.getByLabel('Amount of instalment 2 (USD)').fill('250.00');
    await page.getByLabel('Note (optional)').fill('Will pay in two parts after payday');
    await saveScreen(page, 'workbench-outcome-promise');
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await expectText(page.getByRole('status'), 'Outcome saved.');
    await expectText(page.locator('section', { hasText: 'Promises to pay' }), 'Pending');

    const promises = await handle.db.selectFrom('promise_to_pay').select(['instalments', 'status']).where('case_id', '=', late.caseId).execute();
    expect(promises).toHaveLength(1);
    const instalments = (typeof promises[0]!.instalments === 'string' ? JSON.parse(promises[0]!.instalments) : promises[0]!.instalments) as Array<{ dueOn: string; amountMinor: string }>;
    expect(instalments).toEqual([{ dueOn: addDays(nextDay, 3), amountMinor: '25000' }, { dueOn: addDays(nextDay, 17), amountMinor: '25000' }]);
    const attempts = await handle.db.selectFrom('contact_attempt').select(['outcome', 'note', 'channel']).where('case_id', '=', late.caseId).execute();
    expect(attempts).toEqual([{ outcome: 'promise', note: 'Will pay in two parts after payday', channel: 'call' }]);
    // The call task the agent opened from the queue is done.
    expect((await handle.db.selectFrom('call_task').select('status').where('case_id', '=', late.caseId).where('status', '=', 'done').execute()).length).toBe(1);

    await page.getByLabel('New note').fill('Payday is on the 15th');
    await page.getByRole('button', { name: 'Save note' }).click();
    await expectText(page.locator('section', { hasText: 'Notes' }), 'Payday is on the 15th');
    await expectText(page.locator('section', { hasText: 'Contact history' }), refusedReceipt);
    await saveScreen(page, 'workbench-case');
    await page.context().close();
  });

  it('shows a free agent an empty queue that says what happens next', async () => {
    const page = await logIn('free.agent', { locale: 'en-US', width: 1280, height: 800 });
    await page.goto(`${baseUrl}/workbench/queue`);
    await expectText(page.locator('.empty'), 'Your queue is empty');
    await saveScreen(page, 'workbench-queue-empty');
    await page.context().close();
  });

  it('lets a field agent reveal the address, be refused at 21:30, check in in the morning and complete the visit with a payment', async () => {
    const clock = server.dependencies.clock;
    const supervisor = await server.headersFor('supervisor');
    const inject = async (url: string, payload: unknown, key: string) => {
      const response = await server.app.inject({ method: 'POST', url: `/v1${url}`, payload: payload as object, headers: { ...supervisor, 'idempotency-key': key } });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const day = addDays(late.lastDay, 2);
    clock.set(newYorkMorningOf(day));
    const visit = await inject(`/collections/cases/${late.caseId}/visits`, {}, 'visit-request');
    await inject(`/collections/visits/${visit.id}/approve`, { collectors: [userIds['zhao.field']], slot: newYorkMorningOf(day) }, 'visit-approve');

    clock.set(newYorkEveningOf(day));
    let page = await logIn('zhao.field', { locale: 'zh-CN', width: 390, height: 844 });
    await page.goto(`${baseUrl}/workbench/visits`);
    await page.getByRole('heading', { name: '我的外访' }).waitFor();
    await expectText(page.locator('.card'), '已排期');
    expect(await page.locator('.card').innerText()).not.toContain('57th');
    await page.getByRole('button', { name: '查看完整信息' }).click();
    await page.getByLabel('查看原因').fill('前往已批准的外访地址');
    await page.getByRole('button', { name: '确认查看' }).click();
    await expectText(page.locator('.revealed'), '221 West 57th Street, Apt 12B, New York, NY, 10019');
    await saveScreen(page, 'workbench-visits');

    await page.getByLabel('位置（地址描述或坐标）').fill('40.7651,-73.9799');
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await expectText(page.locator('.decision'), '现在不允许联系');
    await expectText(page.locator('.decision'), '不在允许联系的时间段内');
    await saveScreen(page, 'workbench-visit-check-in-denied');

    await page.context().close();

    clock.set(newYorkMorningOf(addDays(day, 1)));
    page = await logIn('zhao.field', { locale: 'zh-CN', width: 390, height: 844 });
    await page.goto(`${baseUrl}/workbench/visits`);
    await page.getByLabel('位置（地址描述或坐标）').fill('40.7651,-73.9799');
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await page.getByRole('heading', { name: '完成拜访' }).waitFor();
    await page.getByLabel('结果').selectOption('paid');
    await page.getByLabel('拜访报告').fill('借款人在家，现场还款并确认后续按计划还款。');
    await page.getByLabel('现场收款金额（USD，可选）').fill('100.00');
    await page.getByRole('button', { name: '提交报告' }).click();
    await expectText(page.getByRole('status'), '拜访已完成，报告已保存。');
    await saveScreen(page, 'workbench-visit-completed');

    const stored = await handle.db.selectFrom('field_visit').select(['status', 'outcome', 'payment_id', 'check_in_location']).where('id', '=', visit.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'completed', outcome: 'paid', check_in_location: '40.7651,-73.9799' });
    const payment = await handle.db.selectFrom('loan_transaction').select(['amount_minor', 'kind']).where('id', '=', stored.payment_id!).executeTakeFirstOrThrow();
    expect(payment).toEqual({ amount_minor: 10000n, kind: 'payment' });
    await expectText(page.getByRole('status'), stored.payment_id!);
    await page.context().close();
  });
});

/** A business date as en-US medium dates print it, e.g. "Feb 11, 2026". */
function shortDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** Waits until one of the elements shows the text, failing after 5 seconds (a screen re-rendered after a reload still counts). */
async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 5000 });
}
