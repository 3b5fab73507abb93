import { type Insertable, sql } from 'kysely';
import { evaluateForReceipt, storedOverlays } from '../compliance/receipt.service.ts';
import { insertReceipts, type NewReceipt } from '../compliance/receipt.store.ts';
import type { Channel } from '../compliance/policy-pack.ts';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { addDays, type BusinessDate, daysBetween } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { MessageLanguage } from './channels/message-channel.ts';
import { type BorrowerContactFacts, contactRequestFor } from './case-contact.ts';
import { loadStrategyBook } from './strategy.service.ts';
import { assignOpenCases } from './roster.service.ts';
import { newMessage } from './dispatch.service.ts';
import { insertMessages, type NewMessageRow } from './dispatch.store.ts';
import { loadContactFacts } from './contact-history.store.ts';
import { type LenderSignature, messageVariables } from './message-variables.ts';
import { judgePromise, type PromiseInstalment } from './promise.ts';
import { armFor, type CaseFacts, dueRungs, type Strategy } from './strategy.ts';
import { approveTemplate, renderTemplate } from './templates.ts';
import { loadApprovedTemplates, type StoredTemplate } from './template.service.ts';

/** The outbox consumer name of the collections run. */
export const COLLECTIONS_CONSUMER = 'collections';
/** Cases loaded and worked per transaction. */
const CASE_PAGE_SIZE = 500;
/** Outbox events read per transaction. */
const EVENT_PAGE_SIZE = 1000;
/** How far back contact attempts count for the gate's frequency windows (its longest window is 30 days). */
const HISTORY_DAYS = 31;

/** Signed into messages: the lender's name and the number borrowers call back. */
export type CollectionsOptions = LenderSignature;

export interface CollectionsSummary {
  businessDate: BusinessDate;
  eventsRead: number;
  casesOpened: number;
  casesClosed: number;
  promisesJudged: number;
  promisesBroken: number;
  casesWorked: number;
  messagesQueued: number;
  messagesDeferred: number;
  contactsDenied: number;
  callTasks: number;
  visitsRequested: number;
  /** Unassigned open cases given to a collector from the roster. */
  casesAssigned: number;
}

interface OpenCaseRow {
  id: string;
  borrower_id: string;
  loan_id: string;
  agent_id: string | null;
  opened_on: string;
  promise_broken_on: string | null;
  last_right_party_contact_on: string | null;
  strategy_id: string;
  strategy_version: number;
  currency: string;
  product_id: string;
  days_past_due: number;
  principal_outstanding_minor: bigint;
  interest_outstanding_minor: bigint;
  fee_outstanding_minor: bigint;
  penalty_outstanding_minor: bigint;
  oldest_unpaid_due_date: string | null;
  full_name: string;
  phones: unknown;
  emails: unknown;
  addresses: unknown;
  time_zone: string | null;
  language: string;
  jurisdiction: string;
}

/**
 * The daily collections run for a business date, after end of day:
 * 1. reads new outbox events in order from its stored cursor: `loan.delinquent` opens a case (one
 *    open case per loan), `loan.cured` and `loan.charged_off` close it; a loan that is closed (paid)
 *    closes its case;
 * 2. judges pending promises from the loan's real payments; a broken one is the case's
 *    `promise-broken` strategy event;
 * 3. for every open case (loaded a page at a time with one query per table), asks the strategy for
 *    the rungs due today and turns each into a task: a message queued for the dispatcher (at the
 *    gate's `allowAfter` when refused for a time reason, dropped with its receipt otherwise), a
 *    call task for the case's agent, or a field visit in `requested` status (a supervisor approves);
 *    a page's receipts, tasks, messages and rung runs are stored set-based, a statement per table;
 * 4. gives unassigned open cases to collectors from the roster (`assignOpenCases`).
 * Every proposed contact is judged by the gate and its receipt stored. Running the same date again
 * proposes nothing new (rung runs and message keys are unique per case, rung and date).
 *
 * @example const summary = await runCollections(db, ids, clock, '2026-03-10')
 */
export async function runCollections(db: Executor, ids: IdGenerator, clock: Clock, businessDate: BusinessDate, options: CollectionsOptions = {}): Promise<CollectionsSummary> {
  const summary: CollectionsSummary = {
    businessDate, eventsRead: 0, casesOpened: 0, casesClosed: 0, promisesJudged: 0, promisesBroken: 0, casesWorked: 0,
    messagesQueued: 0, messagesDeferred: 0, contactsDenied: 0, callTasks: 0, visitsRequested: 0, casesAssigned: 0,
  };
  const strategies = await loadStrategyBook(db, clock);
  const templates = await loadApprovedTemplates(db, clock);
  await consumeEvents(db, ids, clock, strategies, summary);
  await closePaidCases(db, clock, businessDate, summary);
  await judgePromises(db, businessDate, summary);
  await workOpenCases(db, ids, clock, strategies, templates, businessDate, options, summary);
  // Last, so the call tasks made today move with the cases to their collectors.
  summary.casesAssigned = await assignOpenCases(db, clock, businessDate);
  return summary;
}

type StrategyBook = Awaited<ReturnType<typeof loadStrategyBook>>;

async function consumeEvents(db: Executor, ids: IdGenerator, clock: Clock, strategies: StrategyBook, summary: CollectionsSummary): Promise<void> {
  for (;;) {
    const done = await inTransaction(db, async (transaction) => {
      const cursor = await transaction.selectFrom('event_cursor').select('last_sequence').where('consumer', '=', COLLECTIONS_CONSUMER).forUpdate().executeTakeFirst();
      const after = cursor ? BigInt(cursor.last_sequence) : 0n;
      // The outbox is read directly (end of day sits above collections and may not be imported).
      const events = (await transaction.selectFrom('domain_event').select(['sequence', 'kind', 'loan_id', 'borrower_id', 'business_date'])
        .where('sequence', '>', after).orderBy('sequence').limit(EVENT_PAGE_SIZE).execute())
        .map((row) => ({ sequence: String(row.sequence), kind: row.kind, loanId: row.loan_id, borrowerId: row.borrower_id, businessDate: row.business_date }));
      const lastSequence = events.at(-1)?.sequence ?? null;
      if (lastSequence === null) return true;
      summary.eventsRead += events.length;
      // A page is reduced to each loan's last case-relevant event: events are in order, so the last
      // one says whether the loan is delinquent now (open a case) or cured / charged off (close it).
      const last = new Map<string, { kind: string; businessDate: string; borrowerId: string }>();
      for (const event of events) {
        if (!event.loanId || !event.borrowerId) continue;
        if (event.kind === 'loan.delinquent' || event.kind === 'loan.cured' || event.kind === 'loan.charged_off') {
          last.set(event.loanId, { kind: event.kind, businessDate: event.businessDate, borrowerId: event.borrowerId });
        }
      }
      const toOpen = [...last].filter(([, event]) => event.kind === 'loan.delinquent');
      const now = clock.now();
      if (toOpen.length > 0) {
        const borrowers = await transaction.selectFrom('borrower').select(['id', 'jurisdiction']).where('id', 'in', [...new Set(toOpen.map(([, event]) => event.borrowerId))]).execute();
        const jurisdictionOf = new Map(borrowers.map((row) => [row.id, row.jurisdiction]));
        const rows = toOpen.map(([loanId, event]) => {
          const strategy = strategies.active(jurisdictionOf.get(event.borrowerId) ?? 'CN');
          const id = ids('case');
          return {
            id, borrower_id: event.borrowerId, loan_id: loanId, status: 'open', strategy_id: strategy.id, strategy_version: strategy.version,
            arm: armFor(strategy, id)?.name ?? null, agent_id: null, opened_on: event.businessDate, closed_on: null, promise_broken_on: null,
            last_right_party_contact_on: null, updated_at: now,
          };
        });
        const inserted = await transaction.insertInto('collection_case').values(rows)
          .onConflict((conflict) => conflict.column('loan_id').where('closed_on', 'is', null).doNothing()).returning('id').execute();
        summary.casesOpened += inserted.length;
      }
      for (const [kind, status] of [['loan.cured', 'closed-cured'], ['loan.charged_off', 'closed-charged-off']] as const) {
        const entries = [...last].filter(([, event]) => event.kind === kind);
        for (const closedOn of new Set(entries.map(([, event]) => event.businessDate))) {
          const loanIds = entries.filter(([, event]) => event.businessDate === closedOn).map(([loanId]) => loanId);
          const result = await transaction.updateTable('collection_case').set({ status, closed_on: closedOn, updated_at: now })
            .where('loan_id', 'in', loanIds).where('closed_on', 'is', null).executeTakeFirst();
          summary.casesClosed += Number(result.numUpdatedRows);
        }
      }
      await transaction.insertInto('event_cursor').values({ consumer: COLLECTIONS_CONSUMER, last_sequence: BigInt(lastSequence) })
        .onConflict((conflict) => conflict.column('consumer').doUpdateSet({ last_sequence: BigInt(lastSequence) })).execute();
      return events.length < EVENT_PAGE_SIZE;
    });
    if (done) return;
  }
}

async function closePaidCases(db: Executor, clock: Clock, businessDate: BusinessDate, summary: CollectionsSummary): Promise<void> {
  const result = await db.updateTable('collection_case').set({ status: 'closed-paid', closed_on: businessDate, updated_at: clock.now() })
    .where('closed_on', 'is', null)
    .where('loan_id', 'in', (query) => query.selectFrom('loan').select('id').where('status', 'in', ['closed', 'written-off']))
    .executeTakeFirst();
  summary.casesClosed += Number(result.numUpdatedRows);
}

/** Reads a stored promise's instalments (amounts are decimal strings of minor units in JSON). */
export function storedInstalments(json: unknown): PromiseInstalment[] {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as Array<{ dueOn: string; amountMinor: string }>;
  return list.map((item) => ({ dueOn: item.dueOn as BusinessDate, amountMinor: BigInt(item.amountMinor) }));
}

async function judgePromises(db: Executor, businessDate: BusinessDate, summary: CollectionsSummary): Promise<void> {
  const promises = await db.selectFrom('promise_to_pay').selectAll().where('status', '=', 'pending').where('made_on', '<=', businessDate).execute();
  if (promises.length === 0) return;
  const payments = await db.selectFrom('loan_transaction').select(['loan_id', 'value_date', 'amount_minor'])
    .where('loan_id', 'in', [...new Set(promises.map((promise) => promise.loan_id))]).where('kind', '=', 'payment').where('reversed_on', 'is', null).execute();
  const verdicts = new Map<string, string[]>();
  const brokenCases: string[] = [];
  const keptCases: string[] = [];
  for (const promise of promises) {
    // Only payments made since the promise count towards it.
    const facts = payments.filter((payment) => payment.loan_id === promise.loan_id && payment.value_date >= promise.made_on)
      .map((payment) => ({ paidOn: payment.value_date as BusinessDate, amountMinor: BigInt(payment.amount_minor) }));
    const judgement = judgePromise({ id: promise.id, instalments: storedInstalments(promise.instalments), toleranceMinor: BigInt(promise.tolerance_minor), graceDays: promise.grace_days }, facts, businessDate);
    if (judgement.verdict === 'pending') continue;
    verdicts.set(judgement.verdict, [...(verdicts.get(judgement.verdict) ?? []), promise.id]);
    if (judgement.verdict === 'kept') keptCases.push(promise.case_id);
    else brokenCases.push(promise.case_id);
  }
  await inTransaction(db, async (transaction) => {
    for (const [verdict, promiseIds] of verdicts) {
      await transaction.updateTable('promise_to_pay').set({ status: verdict, judged_on: businessDate }).where('id', 'in', promiseIds).execute();
      summary.promisesJudged += promiseIds.length;
    }
    if (brokenCases.length > 0) {
      summary.promisesBroken += brokenCases.length;
      await transaction.updateTable('collection_case').set({ promise_broken_on: businessDate }).where('id', 'in', brokenCases).execute();
      await transaction.updateTable('collection_case').set({ status: 'open' }).where('id', 'in', brokenCases).where('status', '=', 'promised').execute();
    }
    if (keptCases.length > 0) await transaction.updateTable('collection_case').set({ status: 'open' }).where('id', 'in', keptCases).where('status', '=', 'promised').execute();
  });
}

/**
 * Days past due on a date, from the oldest unpaid due date: the loan row's own count is only as
 * fresh as the last day end of day touched the loan (it touches loans on their event dates only).
 *
 * @example daysPastDueOn('2026-02-05', '2026-02-10') // 5
 */
export function daysPastDueOn(oldestUnpaidDueDate: string | null, businessDate: BusinessDate): number {
  if (oldestUnpaidDueDate === null || oldestUnpaidDueDate >= businessDate) return 0;
  return daysBetween(oldestUnpaidDueDate as BusinessDate, businessDate);
}

/** A payment is missed the day after its due date passed unpaid. @example missedOn('2026-02-05') // "2026-02-06" */
export function missedOn(dueDate: string | null): BusinessDate | null {
  return dueDate === null ? null : addDays(dueDate as BusinessDate, 1);
}

/** The approved template for a purpose in the borrower's language, else in English; null when none is approved. */
function approvedTemplate(templates: Map<string, StoredTemplate>, purpose: string, language: string): StoredTemplate | null {
  return templates.get(`${purpose}.${language}`) ?? templates.get(`${purpose}.en`) ?? null;
}

/** A field of the first entry of a stored list (the borrower's first phone's `number`, first e-mail's `address`): where messages go. */
export function firstOf(json: unknown, key: string): string | null {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as Array<Record<string, unknown>> | null;
  const value = Array.isArray(list) && list.length > 0 ? list[0]![key] : null;
  return typeof value === 'string' ? value : null;
}

function addressOf(json: unknown): string | null {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as unknown[] | null;
  if (!Array.isArray(list) || list.length === 0) return null;
  const first = list[0];
  if (typeof first === 'string') return first;
  return Object.values(first as Record<string, unknown>).filter((value) => typeof value === 'string').join(', ') || null;
}

/** What one page of the collections run writes, gathered to be stored set-based. */
interface PageWrites {
  receipts: NewReceipt[];
  visits: Insertable<Database['field_visit']>[];
  callTasks: Insertable<Database['call_task']>[];
  messages: NewMessageRow[];
  rungRuns: Insertable<Database['collection_rung_run']>[];
}

function emptyPageWrites(): PageWrites {
  return { receipts: [], visits: [], callTasks: [], messages: [], rungRuns: [] };
}

// Rows per INSERT, far below PostgreSQL's 65,535 parameters per statement for these tables.
const ROWS_PER_STATEMENT = 1_000;

/**
 * Stores a page's writes, receipts first (the rest name them). A task, message or rung run that a
 * rerun of the same date would write again is skipped by its unique key, as before.
 */
async function storePageWrites(db: Executor, writes: PageWrites): Promise<void> {
  await insertReceipts(db, writes.receipts);
  for (let start = 0; start < writes.visits.length; start += ROWS_PER_STATEMENT) {
    await db.insertInto('field_visit').values(writes.visits.slice(start, start + ROWS_PER_STATEMENT)).execute();
  }
  for (let start = 0; start < writes.callTasks.length; start += ROWS_PER_STATEMENT) {
    await db.insertInto('call_task').values(writes.callTasks.slice(start, start + ROWS_PER_STATEMENT))
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing()).execute();
  }
  await insertMessages(db, writes.messages);
  for (let start = 0; start < writes.rungRuns.length; start += ROWS_PER_STATEMENT) {
    await db.insertInto('collection_rung_run').values(writes.rungRuns.slice(start, start + ROWS_PER_STATEMENT))
      .onConflict((conflict) => conflict.columns(['case_id', 'rung_id', 'run_on']).doNothing()).execute();
  }
}

async function workOpenCases(db: Executor, ids: IdGenerator, clock: Clock, strategies: StrategyBook, templates: Map<string, StoredTemplate>, businessDate: BusinessDate, options: CollectionsOptions, summary: CollectionsSummary): Promise<void> {
  let afterId = '';
  for (;;) {
    const cases: OpenCaseRow[] = await db.selectFrom('collection_case')
      .innerJoin('loan', 'loan.id', 'collection_case.loan_id')
      .innerJoin('borrower', 'borrower.id', 'collection_case.borrower_id')
      .select([
        'collection_case.id', 'collection_case.borrower_id', 'collection_case.loan_id', 'collection_case.agent_id', 'collection_case.opened_on',
        'collection_case.promise_broken_on', 'collection_case.last_right_party_contact_on', 'collection_case.strategy_id', 'collection_case.strategy_version', 'loan.currency', 'loan.product_id',
        'loan.days_past_due', 'loan.principal_outstanding_minor', 'loan.interest_outstanding_minor', 'loan.fee_outstanding_minor', 'loan.penalty_outstanding_minor',
        'loan.oldest_unpaid_due_date', 'borrower.full_name', 'borrower.phones', 'borrower.emails', 'borrower.addresses', 'borrower.time_zone', 'borrower.language',
        'borrower.jurisdiction',
      ])
      .where('collection_case.status', '=', 'open').where('collection_case.id', '>', afterId).orderBy('collection_case.id').limit(CASE_PAGE_SIZE).execute() as OpenCaseRow[];
    if (cases.length === 0) return;
    afterId = cases.at(-1)!.id;
    const caseIds = cases.map((row) => row.id);
    const now = clock.now();
    const rungsRunOf = new Map<string, Array<{ rungId: string; on: BusinessDate }>>();
    for (const run of await db.selectFrom('collection_rung_run').select(['case_id', 'rung_id', 'run_on']).where('case_id', 'in', caseIds).execute()) {
      const list = rungsRunOf.get(run.case_id);
      const entry = { rungId: run.rung_id, on: run.run_on as BusinessDate };
      if (list) list.push(entry);
      else rungsRunOf.set(run.case_id, [entry]);
    }
    const { flags, history } = await loadContactFacts(db, [...new Set(cases.map((row) => row.borrower_id))], new Date(now.getTime() - HISTORY_DAYS * 86_400_000));
    // What is overdue (the amount reminders speak of), and the latest due date that passed unpaid
    // (the day after it, a payment was missed), per loan in one query.
    const overdueRows = await db.selectFrom('installment').select([
      'loan_id',
      sql<string>`sum(principal_minor + interest_minor + fee_minor + penalty_minor - principal_paid_minor - interest_paid_minor - fee_paid_minor - penalty_paid_minor - fee_waived_minor - penalty_waived_minor)`.as('overdue'),
      sql<string | null>`max(case when completed_on is null and due_date < ${businessDate} then due_date end)`.as('missed_due_date'),
    ]).where('loan_id', 'in', cases.map((row) => row.loan_id)).where('due_date', '<=', businessDate).groupBy('loan_id').execute();
    const overdueOf = new Map(overdueRows.map((overdueRow) => [overdueRow.loan_id, BigInt(overdueRow.overdue)]));
    const missedDueDateOf = new Map(overdueRows.map((overdueRow) => [overdueRow.loan_id, overdueRow.missed_due_date]));
    const activeVisits = new Set((await db.selectFrom('field_visit').select('case_id').where('case_id', 'in', caseIds)
      .where('status', 'in', ['requested', 'approved', 'scheduled', 'checked-in']).execute()).map((row) => row.case_id));
    // Strategy versions are read before the transaction (PGlite has one connection).
    const strategyOf = new Map<string, Strategy>();
    for (const row of cases) strategyOf.set(row.id, await strategies.version(row.strategy_id, row.strategy_version, row.jurisdiction));
    await inTransaction(db, async (transaction) => {
      const overlayFor = storedOverlays(transaction);
      // The page's writes are gathered and stored set-based at its end, in this transaction: a
      // statement per table, not a round trip per rung.
      const writes = emptyPageWrites();
      for (const row of cases) {
        summary.casesWorked += 1;
        // A case keeps the strategy version it was opened with, whatever was activated since.
        const strategy = strategyOf.get(row.id)!;
        const balanceMinor = BigInt(row.principal_outstanding_minor) + BigInt(row.interest_outstanding_minor) + BigInt(row.fee_outstanding_minor) + BigInt(row.penalty_outstanding_minor);
        const daysPastDue = daysPastDueOn(row.oldest_unpaid_due_date, businessDate);
        const facts: CaseFacts = {
          caseId: row.id, dpd: daysPastDue, balanceMinor, product: row.product_id, riskScore: 0, jurisdiction: strategy.jurisdiction,
          language: row.language as MessageLanguage, promiseBrokenOn: row.promise_broken_on as BusinessDate | null,
          paymentMissedOn: missedOn(missedDueDateOf.get(row.loan_id) ?? null),
          lastRightPartyContactOn: row.last_right_party_contact_on as BusinessDate | null, openedOn: row.opened_on as BusinessDate,
          rungsRun: rungsRunOf.get(row.id) ?? [],
        };
        const borrower: BorrowerContactFacts = { timeZone: row.time_zone, ...(flags.get(row.borrower_id) ?? { flags: [], optOuts: [], inconvenient: [] }) };
        const pastAttempts = history.get(row.borrower_id) ?? [];
        const variables = messageVariables({
          borrowerName: row.full_name, loanId: row.loan_id, currency: row.currency as CurrencyCode, overdueMinor: overdueOf.get(row.loan_id) ?? null, balanceMinor,
          oldestUnpaidDueDate: row.oldest_unpaid_due_date, daysPastDue, businessDate,
        }, options);
        for (const due of dueRungs(strategy, facts, businessDate)) {
          const key = `case:${row.id}:${due.rungId}:${businessDate}`;
          let outcome = 'skipped';
          let receiptId: string | null = null;
          if (due.action === 'field-visit-request') {
            if (!activeVisits.has(row.id)) {
              writes.visits.push({
                id: ids('visit'), case_id: row.id, borrower_id: row.borrower_id, status: 'requested', requested_by: 'strategy', requested_on: businessDate,
                approved_by: null, collectors: JSON.stringify([]), slot: null, check_in_location: null, checked_in_at: null, receipt_id: null, outcome: null,
                report: null, payment_id: null, updated_at: now,
              });
              activeVisits.add(row.id);
              summary.visitsRequested += 1;
              outcome = 'visit-requested';
            }
          } else {
            const channel: Channel = due.action === 'call-task' ? 'call' : due.action;
            const to = channel === 'email' ? firstOf(row.emails, 'address') : channel === 'letter' ? addressOf(row.addresses) ?? row.full_name : firstOf(row.phones, 'number');
            if (to !== null) {
              const request = contactRequestFor({ policy: strategy.jurisdiction, at: now, borrower, channel, loanId: row.loan_id, history: pastAttempts });
              const { receipt, decision } = evaluateForReceipt(ids, { borrowerId: row.borrower_id, request, overlay: await overlayFor(strategy.jurisdiction) });
              writes.receipts.push(receipt);
              receiptId = receipt.id;
              if (decision.decision === 'deny' && decision.allowAfter === null) {
                summary.contactsDenied += 1;
                outcome = 'denied';
              } else if (channel === 'call') {
                const template = approveTemplate(approvedTemplate(templates, 'call-script', row.language)!, strategy.jurisdiction);
                writes.callTasks.push({
                  id: ids('task'), borrower_id: row.borrower_id, idempotency_key: key, phone: to, script: renderTemplate(template, strategy.jurisdiction, variables).body,
                  language: template.language, status: 'open', agent_id: row.agent_id, outcome: null, outcome_note: null, created_at: now, completed_at: null, case_id: row.id,
                });
                summary.callTasks += 1;
                outcome = 'call-task';
              } else {
                // Only an approved version is ever rendered (the templates were read approved); without one the rung is skipped (its run says so).
                const found = approvedTemplate(templates, due.template ?? 'dpd-1', row.language);
                if (found) {
                  const rendered = renderTemplate(approveTemplate(found, strategy.jurisdiction), strategy.jurisdiction, variables);
                  const { at: _at, ...withoutInstant } = request;
                  writes.messages.push(newMessage({ clock, ids }, {
                    borrowerId: row.borrower_id, channel, to, subject: rendered.subject, body: rendered.body, language: found.language, idempotencyKey: key,
                    contactRequest: withoutInstant, notBefore: decision.allowAfter === null ? now : new Date(decision.allowAfter), template: { id: found.id, version: found.version },
                  }));
                  if (decision.decision === 'allow') summary.messagesQueued += 1;
                  else summary.messagesDeferred += 1;
                  outcome = decision.decision === 'allow' ? 'queued' : 'deferred';
                }
              }
            }
          }
          writes.rungRuns.push({ case_id: row.id, borrower_id: row.borrower_id, rung_id: due.rungId, run_on: businessDate, outcome, receipt_id: receiptId });
        }
      }
      await storePageWrites(transaction, writes);
    });
    if (cases.length < CASE_PAGE_SIZE) return;
  }
}
