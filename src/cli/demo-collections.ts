import { runCollections } from '../collections/case.service.ts';
import {
  approveVisit, attemptContact, type CaseViewer, checkInVisit, completeVisit, logOutcome, makePromise, requestVisit,
} from '../collections/case-work.service.ts';
import { recordTraining } from '../collections/certification.service.ts';
import { OutboxChannel } from '../collections/channels/outbox-channel.ts';
import { dispatchUntilIdle } from '../collections/dispatch.service.ts';
import { putCollectorProfile } from '../collections/roster.service.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { isBusinessDay } from '../eod/business-calendar.ts';
import { loadCalendar } from '../eod/calendar.service.ts';
import { type EndOfDayDependencies, runEndOfDay, runEndOfDayUntil } from '../eod/eod.service.ts';
import { installmentOutstanding } from '../lending/loan-state.ts';
import { postPayment } from '../lending/loan.service.ts';
import { loadInstallments } from '../lending/loan.store.ts';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import { createTestClock } from '../shared/clock.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { formatMoney } from '../shared/money.ts';
import { createRandom, type Random } from '../shared/random.ts';

/**
 * The demo's collections book: the last `days` days lived through day by day, so the queue, the cases
 * and the effectiveness report hold believable figures. Each day: the payments borrowers make that day,
 * end of day, the collections run (cases open and close, promises are judged, ladders propose contacts
 * through the gate, cases are assigned), the messages dispatched to the outbox, and the agents' work:
 * they call their queue through the gate and log outcomes, take promises (some kept, some broken),
 * request visits that the supervisor approves and a field agent completes, sometimes with a payment.
 * All randomness comes from one seeded generator: the same seed gives the same book.
 */
export interface DemoCollectionsInput {
  /** Payments borrowers will make during the simulated days: by date, the loan and what they pay. */
  scheduledPayments: Map<BusinessDate, Array<{ loanId: string; currency: CurrencyCode; what: 'next-installment' | bigint }>>;
  /** Borrowers who stopped paying: their promises break, and their cases age into field visits. */
  stoppedPaying: ReadonlySet<string>;
  agentId: string;
  fieldAgentId: string;
  supervisorId: string;
  today: BusinessDate;
  days: number;
  timeZone: string;
  seed?: number;
  progress?: (message: string) => void;
  /** Asked before each day: true stops the simulation there (the server is shutting down). */
  shouldStop?: () => boolean;
}

export interface DemoCollectionsSummary {
  casesOpened: number;
  callsMade: number;
  promisesMade: number;
  visitsCompleted: number;
  messagesSent: number;
}

// Limits that keep a fresh `npm start` quick: an agent makes at most this many calls per session.
const CALLS_PER_SESSION = 6;
/** CN borrowers are called at 10:00 Shanghai; US and UK ones at 15:00 UTC (10:00 in New York, 15:00 in London). */
const SESSIONS = [{ hourUtc: 2, jurisdictions: ['CN'] }, { hourUtc: 15, jurisdictions: ['US', 'US-MA', 'UK'] }] as const;
const JURISDICTIONS = ['CN', 'US', 'US-MA', 'UK'] as const;

/**
 * Seeds the demo collectors (profile and training for the demo agent) and lives through the last days.
 *
 * @example await simulateDemoCollections(handle, ids, { scheduledPayments, agentId, fieldAgentId, supervisorId, today: '2026-03-10', days: 90, timeZone: 'Asia/Shanghai' })
 */
export async function simulateDemoCollections(handle: DatabaseHandle, ids: IdGenerator, input: DemoCollectionsInput): Promise<DemoCollectionsSummary> {
  const random = createRandom(input.seed ?? 90);
  const db = handle.db;
  const start = addDays(input.today, -input.days);
  const clock = createTestClock(`${start}T02:00:00Z`);
  const progress = input.progress ?? (() => {});
  const summary: DemoCollectionsSummary = { casesOpened: 0, callsMade: 0, promisesMade: 0, visitsCompleted: 0, messagesSent: 0 };

  await putCollectorProfile(db, clock, input.agentId, { displayName: 'Demo agent 演示催收员', languages: ['zh-CN', 'en'], jurisdictions: [...JURISDICTIONS], region: null, capacity: 400 });
  for (const jurisdiction of JURISDICTIONS) {
    await recordTraining(db, ids, { agentId: input.agentId, module: `${jurisdiction} fair collection`, jurisdiction, channels: ['call', 'sms', 'email', 'letter'], passedOn: addDays(start, -60), expiresOn: addDays(input.today, 240) });
    await recordTraining(db, ids, { agentId: input.fieldAgentId, module: `${jurisdiction} field visits`, jurisdiction, channels: ['visit'], passedOn: addDays(start, -60), expiresOn: addDays(input.today, 240) });
  }

  const eod: EndOfDayDependencies = { db, ids, kind: handle.kind, calendar: await loadCalendar(db, input.timeZone) };
  await runEndOfDayUntil(eod, addDays(start, -1));
  progress(`end of day caught up to ${addDays(start, -1)}`);
  const work = { db, ids, clock };
  const agent: CaseViewer = { agentId: input.agentId, supervisor: false };
  const fieldAgent: CaseViewer = { agentId: input.fieldAgentId, supervisor: false };
  const supervisor: CaseViewer = { agentId: input.supervisorId, supervisor: true };
  const channelFor = (kind: 'sms' | 'email' | 'letter' | 'call') => new OutboxChannel(kind, { db, clock, ids });
  const triedVisits = new Set<string>();
  let lastAgentVisitRequest: BusinessDate | null = null;

  for (let date = start; date < input.today; date = addDays(date, 1)) {
    // The embedded database answers without I/O, so a chain of queries never lets the event loop turn:
    // yield once a day so that the server's requests and a SIGTERM are handled while the demo fills in.
    await new Promise((resolve) => setImmediate(resolve));
    if (input.shouldStop?.()) break;
    for (const payment of input.scheduledPayments.get(date) ?? []) await pay(db, ids, payment.loanId, payment.currency, payment.what, date, `demo-${payment.loanId}-${date}`);
    // The lender's office works business days: end of day, the collections run and the agents with it.
    if (!isBusinessDay(eod.calendar, date)) continue;
    await runEndOfDay(eod, date);
    clock.set(`${date}T02:00:00Z`);
    const run = await runCollections(db, ids, clock, date, { lenderName: 'Lenity Demo', lenderPhone: '400-000-0000' });
    summary.casesOpened += run.casesOpened;

    for (const session of SESSIONS) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.set(`${date}T${String(session.hourUtc).padStart(2, '0')}:00:00Z`);
      // The supervisor approves the visits requested so far; the field agent goes the next working day.
      const visits = await db.selectFrom('field_visit').innerJoin('borrower', 'borrower.id', 'field_visit.borrower_id').innerJoin('collection_case', 'collection_case.id', 'field_visit.case_id')
        .select(['field_visit.id', 'field_visit.status']).where('collection_case.closed_on', 'is', null)
        .where('field_visit.status', 'in', ['requested', 'approved']).where('borrower.jurisdiction', 'in', [...session.jurisdictions]).orderBy('field_visit.id').execute();
      for (const visit of visits) {
        if (visit.status === 'requested') {
          await approveVisit(work, supervisor, visit.id, { collectors: [input.fieldAgentId, input.agentId] });
        } else if (!triedVisits.has(visit.id)) {
          triedVisits.add(visit.id);
          const checkIn = await checkInVisit(work, fieldAgent, visit.id, { location: 'demo' });
          if (checkIn.body.checkedIn) {
            const roll = random.next();
            const caseRow = await db.selectFrom('field_visit').innerJoin('collection_case', 'collection_case.id', 'field_visit.case_id').innerJoin('loan', 'loan.id', 'collection_case.loan_id')
              .select(['collection_case.loan_id', 'loan.currency']).where('field_visit.id', '=', visit.id).executeTakeFirstOrThrow();
            const overdue = await overdueMinor(db, caseRow.loan_id, date);
            const paid = roll < 0.45 && overdue > 0n;
            await completeVisit(work, fieldAgent, visit.id, date, {
              outcome: paid ? 'paid' : roll < 0.8 ? 'right-party-contact' : 'no-answer',
              report: paid ? 'Met the borrower at home; paid the overdue amount.' : roll < 0.8 ? 'Spoke with the borrower; they will call back to agree a plan.' : 'Nobody at home.',
              ...(paid ? { payment: { amount: formatMoney(overdue, caseRow.currency as CurrencyCode) } } : {}),
            });
            summary.visitsCompleted += 1;
          }
        }
      }

      summary.messagesSent += (await dispatchUntilIdle({ db, clock, ids, channelFor })).sent;
      const tasks = await db.selectFrom('call_task').innerJoin('collection_case', 'collection_case.id', 'call_task.case_id').innerJoin('borrower', 'borrower.id', 'collection_case.borrower_id')
        .innerJoin('loan', 'loan.id', 'collection_case.loan_id')
        .select(['call_task.id', 'call_task.case_id', 'collection_case.status', 'collection_case.loan_id', 'loan.currency', 'loan.oldest_unpaid_due_date'])
        .where('call_task.status', '=', 'open').where('call_task.agent_id', '=', input.agentId).where('collection_case.closed_on', 'is', null)
        .where('borrower.jurisdiction', 'in', [...session.jurisdictions]).orderBy('call_task.created_at').limit(CALLS_PER_SESSION).execute();
      for (const task of tasks) {
        const contact = await attemptContact(work, agent, task.case_id!, date, { channel: 'call' });
        if (!contact.body.allowed) continue;
        summary.callsMade += 1;
        const outcome = await callOutcome(db, random, task.case_id!, task.status);
        await logOutcome(work, agent, task.case_id!, date, { attemptId: contact.body.attemptId, taskId: task.id, outcome });
        if (outcome !== 'promise') continue;
        const overdue = await overdueMinor(db, task.loan_id, date);
        const dueOn = addDays(date, random.integerBetween(1, 5));
        await makePromise(work, agent, task.case_id!, date, { instalments: [{ dueOn, amount: formatMoney(overdue, task.currency as CurrencyCode) }], graceDays: 1 });
        summary.promisesMade += 1;
        // Six promises in ten are kept, on the day or the day before; the rest break (always, for those who stopped paying).
        if (random.next() < 0.6 && !input.stoppedPaying.has(task.loan_id)) {
          const on = random.next() < 0.7 ? dueOn : addDays(dueOn, -1);
          input.scheduledPayments.set(on, [...(input.scheduledPayments.get(on) ?? []), { loanId: task.loan_id, currency: task.currency as CurrencyCode, what: overdue }]);
        }
      }
      // Now and then the agent asks for a visit on a long-overdue case that calls do not reach.
      if (lastAgentVisitRequest === null || addDays(lastAgentVisitRequest, 10) <= date) {
        const candidate = await db.selectFrom('collection_case').innerJoin('loan', 'loan.id', 'collection_case.loan_id').innerJoin('borrower', 'borrower.id', 'collection_case.borrower_id')
          .select('collection_case.id').where('collection_case.status', '=', 'open').where('collection_case.agent_id', '=', input.agentId).where('borrower.jurisdiction', 'in', [...session.jurisdictions])
          .where('loan.oldest_unpaid_due_date', '<=', addDays(date, -60))
          .where('collection_case.id', 'not in', db.selectFrom('field_visit').select('case_id').where('status', 'in', ['requested', 'approved', 'scheduled', 'checked-in']))
          .orderBy('collection_case.id').limit(1).executeTakeFirst();
        if (candidate) {
          await requestVisit(work, agent, candidate.id, date, {});
          lastAgentVisitRequest = date;
        }
      }
    }
    if (date.endsWith('0')) progress(`collections lived through ${date}`);
  }
  return summary;
}

async function callOutcome(db: DatabaseHandle['db'], random: Random, caseId: string, status: string) {
  const roll = random.next();
  if (roll < 0.38) return 'no-answer' as const;
  if (roll < 0.48) return 'voicemail' as const;
  if (roll < 0.51) return 'wrong-party' as const;
  if (roll < 0.66) return 'right-party-contact' as const;
  if (roll < 0.93) {
    const pending = await db.selectFrom('promise_to_pay').select('id').where('case_id', '=', caseId).where('status', '=', 'pending').executeTakeFirst();
    return status === 'open' && !pending ? ('promise' as const) : ('right-party-contact' as const);
  }
  return 'refused' as const;
}

/** What is overdue on a loan on a date: the unpaid part of every instalment due by then. */
async function overdueMinor(db: DatabaseHandle['db'], loanId: string, date: BusinessDate): Promise<bigint> {
  return (await loadInstallments(db, loanId)).filter((installment) => installment.dueDate <= date).reduce((total, installment) => total + installmentOutstanding(installment), 0n);
}

async function pay(db: DatabaseHandle['db'], ids: IdGenerator, loanId: string, currency: CurrencyCode, what: 'next-installment' | bigint, date: BusinessDate, key: string) {
  let amountMinor: bigint;
  if (what === 'next-installment') {
    const next = (await loadInstallments(db, loanId)).find((installment) => installmentOutstanding(installment) > 0n);
    amountMinor = next ? installmentOutstanding(next) : 0n;
  } else {
    amountMinor = what;
  }
  if (amountMinor <= 0n) return;
  const loan = await db.selectFrom('loan').select('status').where('id', '=', loanId).executeTakeFirst();
  if (loan?.status !== 'active') return;
  await postPayment({ db, ids }, loanId, { amount: formatMoney(amountMinor, currency), date, idempotencyKey: key, businessDate: date });
}
