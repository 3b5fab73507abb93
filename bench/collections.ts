import type { Benchmark } from './benchmark.ts';
import { openBenchmarkDatabase, readOption } from './benchmark.ts';
import { databaseOptionsFromEnvironment } from '../src/db/database.ts';
import { addDays, type BusinessDate } from '../src/shared/business-date.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { createIdGenerator } from '../src/shared/ids.ts';
import { createRandom } from '../src/shared/random.ts';
import { runEndOfDay, type EndOfDayDependencies } from '../src/eod/eod.service.ts';
import { seedSyntheticBook } from '../src/eod/synthetic-book.service.ts';
import { runCollections } from '../src/collections/case.service.ts';
import { defaultStrategy } from '../src/collections/default-strategies.ts';
import { dueRungs, type CaseFacts } from '../src/collections/strategy.ts';
import { approveTemplate, findDefaultTemplate, renderTemplate, type TemplatePurpose } from '../src/collections/templates.ts';

/**
 * `npm run bench -- collections --loans N --days D --json`: seeds N loans that nobody pays, lives
 * through D days of end of day (so every loan goes late and gets a case), and times the collections
 * runs of those days: tasks (messages, call tasks, visit requests, refusals) generated per second,
 * each through the contact gate with its receipt and stored. Beside it, in the same run, the same loop
 * without gate and database: each case's due rungs and rendered template, in memory, for days past due
 * 1 to D (so it covers at least the days the real run saw; the figure compared is the rate).
 */
export const collectionsBenchmark: Benchmark = {
  description: 'collections run: tasks per second through the gate and the database, against the same loop in memory',
  async run({ args, environment, progress }) {
    const options = databaseOptionsFromEnvironment(environment);
    const loans = Number(readOption(args, 'loans') ?? 2000);
    const days = Number(readOption(args, 'days') ?? 40);
    const seed = Number(readOption(args, 'seed') ?? 42);
    if (!Number.isSafeInteger(loans) || loans < 1 || !Number.isSafeInteger(days) || days < 1) throw new Error('--loans and --days must be positive integers');
    const handle = await openBenchmarkDatabase(environment, 'collections');
    try {
      const today = '2026-03-02' as BusinessDate;
      const clock = createTestClock('2026-03-02T02:00:00Z');
      const ids = createIdGenerator(clock, createRandom(seed));
      progress(`seeding ${loans} loans…`);
      await seedSyntheticBook(handle.db, ids, { loans, seed, today });
      const dependencies: EndOfDayDependencies = { db: handle.db, ids, kind: handle.kind, calendar: { timeZone: 'Asia/Shanghai', weekendDays: [], holidays: new Set(), rule: 'next' } };
      // Every day a business day: collections work calendar days, as days past due count them.
      let collectionsMs = 0;
      let tasks = 0;
      let casesWorked = 0;
      for (let index = 0; index < days; index++) {
        const date = addDays(today, index);
        await runEndOfDay(dependencies, date);
        // 10:00 in Shanghai: inside every contact window, so the gate decides on the rules, not the hour.
        clock.set(`${date}T02:00:00Z`);
        const start = performance.now();
        const summary = await runCollections(handle.db, ids, clock, date);
        collectionsMs += performance.now() - start;
        const generated = summary.messagesQueued + summary.messagesDeferred + summary.contactsDenied + summary.callTasks + summary.visitsRequested;
        tasks += generated;
        casesWorked += summary.casesWorked;
        progress(`${date}: ${summary.casesOpened} cases opened, ${summary.casesWorked} worked, ${generated} tasks, ${Math.round(performance.now() - start)} ms`);
      }
      // The reference: the same cases and days, rungs and templates only.
      const cases = await handle.db.selectFrom('collection_case').select(['id', 'opened_on']).execute();
      const strategy = defaultStrategy('CN');
      const approved = new Map<string, ReturnType<typeof approveTemplate>>();
      const variables = { lender: 'Lenity', name: '王小明', amount: 'CNY 1000.00', dueDate: today, phone: '', daysPastDue: '5', unsubscribeUrl: 'https://lenity.example/u', loanReference: 'loan', asOfDate: today, visitDate: today };
      let referenceTasks = 0;
      let sink = 0;
      const referenceStart = performance.now();
      for (const row of cases) {
        const rungsRun: Array<{ rungId: string; on: BusinessDate }> = [];
        for (let dpd = 1; dpd <= days; dpd++) {
          const date = addDays(row.opened_on as BusinessDate, dpd - 1);
          const facts: CaseFacts = {
            caseId: row.id, dpd, balanceMinor: 100_000n, product: 'synthetic', riskScore: 0, jurisdiction: 'CN', language: 'zh-CN', promiseBrokenOn: null,
            paymentMissedOn: row.opened_on as BusinessDate, lastRightPartyContactOn: null, openedOn: row.opened_on as BusinessDate, rungsRun,
          };
          for (const due of dueRungs(strategy, facts, date)) {
            rungsRun.push({ rungId: due.rungId, on: date });
            referenceTasks += 1;
            const purpose = (due.action === 'call-task' ? 'call-script' : due.template ?? 'dpd-1') as TemplatePurpose;
            if (due.action === 'field-visit-request') continue;
            let template = approved.get(purpose);
            if (!template) {
              template = approveTemplate(findDefaultTemplate(purpose, 'zh-CN')!, 'CN');
              approved.set(purpose, template);
            }
            sink += renderTemplate(template, 'CN', variables).body.length;
          }
        }
      }
      const referenceMs = performance.now() - referenceStart;
      const tasksPerSecond = Math.round((tasks * 1000) / Math.max(1, collectionsMs));
      const referencePerSecond = Math.round((referenceTasks * 1000) / Math.max(1, referenceMs));
      return {
        benchmark: 'collections',
        database: handle.kind,
        loans,
        days,
        cases: cases.length,
        casesWorked,
        tasks,
        collectionsMs: Math.round(collectionsMs),
        tasksPerSecond,
        referenceTasks,
        referencePerSecond,
        ratio: Number((tasksPerSecond / Math.max(1, referencePerSecond)).toFixed(4)),
        sink: sink > 0 ? 1 : 0,
      };
    } finally {
      await handle.close();
    }
  },
};
