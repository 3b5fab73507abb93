import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import type { DatabaseKind } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { type BusinessDate, addDays } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { LenityError, assert } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { formatMoney } from '../shared/money.ts';
import { ledgerPosition, outstandingBalances, positionChangeEntry } from '../lending/loan-state.ts';
import { loanStateFromRows } from '../lending/loan.store.ts';
import { parseProduct } from '../lending/product.ts';
import { applyCharge, cloneLoanState } from '../lending/servicing.ts';
import { recordPortfolioSnapshot } from '../collections/reports.service.ts';
import { type DailyRules, decideDailyEvents } from '../delinquency/daily-events.ts';
import { type BusinessCalendar, adjustDueEventDate, businessDaysBetween, isBusinessDay } from './business-calendar.ts';
import { type ChunkScope, type ChunkWrite, type DueCursor, type DueLoanRow, LATE_FEE_NAME, PENALTY_INTEREST_NAME, cursorAfter, loadDueChunk, loadProductTerms, writeChunk } from './eod.store.ts';

/** Loans per chunk: one transaction, four reads and a handful of set-based writes. */
export const DEFAULT_CHUNK_SIZE = 1000;
/** Partitions of a date's work; workers claim them one at a time. */
export const DEFAULT_PARTITIONS = 8;
/** Most chunks one partition may take on one date (a guard against a loan whose event never moves). */
const MAX_CHUNKS_PER_PARTITION = 1_000_000;

export interface EndOfDayDependencies {
  db: Executor;
  ids: IdGenerator;
  kind: DatabaseKind;
  calendar: BusinessCalendar;
}

export interface EndOfDayOptions {
  chunkSize?: number;
  partitions?: number;
  /** Partitions this process works at once (PostgreSQL only; default `defaultConcurrency`). */
  concurrency?: number;
  /** A name for this worker in the progress records. */
  worker?: string;
  /** Test hook: wait this long after each committed chunk. */
  chunkDelayMs?: number;
  onChunk?: (progress: { businessDate: BusinessDate; partition: number; loans: number }) => void;
}

export interface DateOutcome {
  businessDate: BusinessDate;
  loansTouched: number;
  chunks: number;
  alreadyFinished: boolean;
}

// Daily rules by product terms snapshot. A snapshot is named by the digest of its content, so a
// name always means the same rules and the cache never goes stale.
const rulesByProduct = new Map<string, DailyRules>();
const RULES_CACHE_LIMIT = 1000;

/** Daily rules from a product terms snapshot (JSON text). */
function dailyRulesFromTerms(productTerms: string): DailyRules {
  const product = parseProduct(JSON.parse(productTerms));
  return {
    lateFee: product.lateFee,
    penaltyAnnualRatePercent: product.penaltyAnnualRatePercent,
    daysInYear: product.terms.daysInYear,
    agingGraceDays: product.agingGraceDays,
    ranges: product.delinquencyRanges,
    nonAccrualDays: product.nonAccrualDays,
    chargeOffDays: product.chargeOffDays,
    roundingMode: product.terms.roundingMode,
  };
}

/**
 * The daily rules of every product terms snapshot the chunk's loans were sold under, reading from
 * the database only the snapshots this process has not parsed before.
 */
async function dailyRulesOf(db: Executor, loans: readonly DueLoanRow[]): Promise<Map<string, DailyRules>> {
  const rules = new Map<string, DailyRules>();
  const unknown = new Set<string>();
  for (const loan of loans) {
    const key = loan.product_terms_key;
    assert(key !== null, `loan ${loan.id} has no product terms`);
    if (rules.has(key)) continue;
    const cached = rulesByProduct.get(key);
    if (cached) rules.set(key, cached);
    else unknown.add(key);
  }
  if (unknown.size > 0) {
    const terms = await loadProductTerms(db, [...unknown]);
    if (rulesByProduct.size + terms.size > RULES_CACHE_LIMIT) rulesByProduct.clear();
    for (const key of unknown) {
      const text = terms.get(key);
      assert(text !== undefined, `product terms snapshot ${key} is missing`);
      const parsed = dailyRulesFromTerms(text);
      rulesByProduct.set(key, parsed);
      rules.set(key, parsed);
    }
  }
  return rules;
}

/**
 * Processes one chunk of due loans in one transaction: load (two queries), decide per loan with
 * the pure daily rules, write back set-based with the progress record. Returns the loans touched
 * (0 when the scope has nothing left for the date) and where the next chunk of the scope starts.
 */
export async function processChunk(
  dependencies: EndOfDayDependencies,
  businessDate: BusinessDate,
  scope: ChunkScope,
  options: { chunkSize: number; progress: ChunkWrite['progress']; cursor?: DueCursor | null },
): Promise<{ loans: number; cursor: DueCursor | null }> {
  const { ids, calendar } = dependencies;
  return inTransaction(dependencies.db, async (transaction) => {
    // The day's events are a small share of the book, but the planner's statistics on
    // next_event_date lag behind a column that every run moves: without this it reads the whole
    // loan table (and, in the ledger's balance trigger, the whole journal) for each chunk.
    await sql`SET LOCAL enable_seqscan = off`.execute(transaction);
    await sql`SET LOCAL enable_bitmapscan = off`.execute(transaction);
    // A chunk's statements each run once over a thousand loans: compiling them to machine code (the
    // planner's cost estimate for the per-loan subqueries crosses the JIT threshold) took longer
    // than running them, about 200 ms a chunk.
    await sql`SET LOCAL jit = off`.execute(transaction);
    const chunk = await loadDueChunk(transaction, businessDate, scope, options.chunkSize, options.cursor ?? null);
    if (chunk.loans.length === 0) return { loans: 0, cursor: options.cursor ?? null };
    const rulesByKey = await dailyRulesOf(transaction, chunk.loans);
    const write: ChunkWrite = { businessDate, loans: [], installments: [], charges: [], entries: [], events: [], progress: options.progress };
    // A chunk's loans share a few hundred due dates: each is moved off a non-business day once.
    const dueEventDates = new Map<BusinessDate, BusinessDate>();
    const dueEventDate = (date: BusinessDate) => {
      let eventDate = dueEventDates.get(date);
      if (eventDate === undefined) {
        eventDate = adjustDueEventDate(calendar, date);
        dueEventDates.set(date, eventDate);
      }
      return eventDate;
    };
    for (const loan of chunk.loans) {
      const rules = rulesByKey.get(loan.product_terms_key!)!;
      const installments = chunk.installments.get(loan.id) ?? [];
      const currency = loan.currency as CurrencyCode;
      const money = (value: bigint) => formatMoney(value, currency);
      const decision = decideDailyEvents({
        businessDate,
        status: loan.status === 'charged-off' ? 'charged-off' : 'active',
        disbursedOn: loan.disbursed_on as BusinessDate,
        installments,
        lateFees: chunk.lateFees.get(loan.id) ?? [],
        pauses: chunk.pauses.get(loan.id) ?? [],
        previous: {
          delinquentDays: loan.delinquent_days, bucket: loan.bucket, nonAccrualOn: loan.non_accrual_on as BusinessDate | null,
          penaltyAccruedThrough: loan.penalty_accrued_through as BusinessDate | null, eodThrough: loan.eod_through as BusinessDate | null,
        },
        dueEventDate,
      }, rules);
      const charged = decision.lateFees.length > 0 || decision.penalty !== null;
      const before = loanStateFromRows(loan, installments);
      // Only a charge changes the state; a loan without one (most of them) is not copied.
      const after = charged ? cloneLoanState(before) : before;
      const event = (kind: string, payload: Record<string, unknown>) => write.events.push({ id: ids('evt'), kind, borrowerId: loan.borrower_id, loanId: loan.id, payload });
      for (const due of decision.dueInstallments) event('loan.due', { installmentNumber: due.number, dueDate: due.dueDate, amount: money(due.amountMinor), currency });
      for (const fee of decision.lateFees) {
        const chargeId = ids('chg');
        applyCharge(after, { kind: 'fee', amountMinor: fee.amountMinor, waivedMinor: 0n, installmentNumber: fee.installmentNumber });
        write.charges.push({ id: chargeId, loanId: loan.id, borrowerId: loan.borrower_id, kind: 'fee', name: LATE_FEE_NAME, amountMinor: fee.amountMinor, installmentNumber: fee.installmentNumber });
        event('fee.assessed', { chargeId, installmentNumber: fee.installmentNumber, amount: money(fee.amountMinor), overdue: money(fee.overdueMinor), currency });
      }
      if (decision.penalty) {
        applyCharge(after, { kind: 'penalty', amountMinor: decision.penalty.amountMinor, waivedMinor: 0n, installmentNumber: decision.penalty.installmentNumber });
        write.charges.push({ id: ids('chg'), loanId: loan.id, borrowerId: loan.borrower_id, kind: 'penalty', name: PENALTY_INTEREST_NAME, amountMinor: decision.penalty.amountMinor, installmentNumber: decision.penalty.installmentNumber });
      }
      const { ageing } = decision;
      const classification = { delinquentDays: ageing.delinquentDays, daysPastDue: ageing.pastDueDays, cause: 'end-of-day' };
      if (decision.delinquent) event('loan.delinquent', { ...classification, bucket: ageing.bucket });
      if (decision.bucketChanged) event('loan.bucket_changed', { ...classification, ...decision.bucketChanged });
      if (decision.cured) event('loan.cured', { ...classification, from: loan.bucket });
      const balances = outstandingBalances(after.installments);
      let chargedOffMinor = loan.charged_off_minor;
      if (decision.chargeOff) {
        chargedOffMinor = balances.totalMinor;
        event('loan.charged_off', { ...classification, amount: money(chargedOffMinor), currency });
      }
      if (charged || decision.chargeOff) {
        const positionBefore = ledgerPosition({ disbursedMinor: loan.disbursed_minor, chargedOffMinor: loan.charged_off_minor, ...before });
        const positionAfter = ledgerPosition({ disbursedMinor: loan.disbursed_minor, chargedOffMinor, ...after });
        write.entries.push({
          context: { loanId: loan.id, borrowerId: loan.borrower_id, currency: loan.currency, businessDate, kind: decision.chargeOff ? 'charge-off' : 'end-of-day' },
          entry: positionChangeEntry(`End of day ${businessDate} for loan ${loan.id}${decision.chargeOff ? ' (charge-off)' : ''}`, positionBefore, positionAfter),
        });
        const previous = new Map(before.installments.map((installment) => [installment.number, installment]));
        for (const installment of after.installments) {
          const old = previous.get(installment.number)!;
          if (old.feeMinor !== installment.feeMinor || old.penaltyMinor !== installment.penaltyMinor || old.completedOn !== installment.completedOn) {
            write.installments.push({ loanId: loan.id, number: installment.number, feeMinor: installment.feeMinor, penaltyMinor: installment.penaltyMinor, completedOn: installment.completedOn });
          }
        }
      }
      assert(decision.nextEventDate === null || decision.nextEventDate > businessDate, `loan ${loan.id}: next event must come after ${businessDate}`);
      write.loans.push({
        id: loan.id,
        status: decision.chargeOff ? 'charged-off' : loan.status,
        feeOutstandingMinor: balances.feeMinor - after.writtenOff.feeMinor,
        penaltyOutstandingMinor: balances.penaltyMinor - after.writtenOff.penaltyMinor,
        daysPastDue: ageing.pastDueDays,
        delinquentDays: ageing.delinquentDays,
        bucket: ageing.bucket,
        nonAccrualOn: decision.nonAccrualOn,
        chargedOffOn: decision.chargeOff ? businessDate : loan.charged_off_on,
        chargedOffMinor,
        penaltyAccruedThrough: decision.penaltyAccruedThrough,
        lastTransactionDate: charged && (loan.last_transaction_date === null || loan.last_transaction_date < businessDate) ? businessDate : loan.last_transaction_date,
        nextEventDate: decision.nextEventDate,
      });
    }
    await writeChunk(transaction, ids, write);
    return { loans: chunk.loans.length, cursor: cursorAfter(chunk.loans) };
  });
}

async function processScope(dependencies: EndOfDayDependencies, businessDate: BusinessDate, scope: ChunkScope, options: EndOfDayOptions, partition: number): Promise<{ loans: number; chunks: number }> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const worker = options.worker ?? `pid-${process.pid}`;
  let loans = 0;
  let chunks = 0;
  // Each chunk starts where the one before it ended in the due-loan index: a loan finished by an
  // earlier chunk leaves a dead entry behind, which a scan from the start would visit again.
  let cursor: DueCursor | null = null;
  for (; chunks < MAX_CHUNKS_PER_PARTITION; chunks++) {
    const result = await processChunk(dependencies, businessDate, scope, { chunkSize, progress: 'loanIds' in scope ? null : { partition, worker }, cursor });
    const touched = result.loans;
    cursor = result.cursor;
    if (touched === 0) break;
    loans += touched;
    options.onChunk?.({ businessDate, partition, loans: touched });
    if (options.chunkDelayMs) {
      // Test hook (LENITY_EOD_CHUNK_DELAY_MS): say that a chunk committed, then slow down.
      process.stderr.write(`eod chunk committed: ${businessDate} partition ${partition} loans ${touched}\n`);
      await new Promise((resolve) => setTimeout(resolve, options.chunkDelayMs));
    }
    // A short chunk took every loan due in the scope: asking again would only read an empty range.
    // (A loan a payment moves back into the date meanwhile is picked up by the next run, which
    // catches up every day since the loan's last run.)
    if (touched < chunkSize) {
      chunks++;
      break;
    }
  }
  return { loans, chunks };
}

/**
 * Claims one unfinished partition of the date and works it to the end. On PostgreSQL the claim is
 * a row lock held by an open transaction (`FOR UPDATE SKIP LOCKED`): a worker that dies releases
 * it with its connection and another worker takes the partition over. The embedded database has a
 * single process, so a partition left running there belongs to a process that is gone.
 * Returns null when no partition is left to claim.
 */
async function workOnePartition(dependencies: EndOfDayDependencies, businessDate: BusinessDate, partitions: number, options: EndOfDayOptions): Promise<{ loans: number; chunks: number } | null> {
  const worker = options.worker ?? `pid-${process.pid}`;
  const { db } = dependencies;
  if (dependencies.kind === 'postgres') {
    return db.transaction().execute(async (claim) => {
      const claimed = await sql<{ partition_number: number }>`
        SELECT partition_number FROM eod_partition WHERE business_date = ${businessDate}::date AND status <> 'finished'
         ORDER BY partition_number LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(claim);
      const row = claimed.rows[0];
      if (!row) return null;
      const partition = row.partition_number;
      const result = await processScope(dependencies, businessDate, { partition, partitions }, options, partition);
      await claim.updateTable('eod_partition').set({ status: 'finished', claimed_by: worker, claimed_at: new Date(), finished_at: new Date() })
        .where('business_date', '=', businessDate).where('partition_number', '=', partition).execute();
      return result;
    });
  }
  const claimed = await sql<{ partition_number: number }>`
    UPDATE eod_partition SET status = 'running', claimed_by = ${worker}, claimed_at = now()
     WHERE (business_date, partition_number) = (
       SELECT business_date, partition_number FROM eod_partition WHERE business_date = ${businessDate}::date AND status = 'pending'
        ORDER BY partition_number LIMIT 1)
     RETURNING partition_number`.execute(db);
  const row = claimed.rows[0];
  if (!row) return null;
  const result = await processScope(dependencies, businessDate, { partition: row.partition_number, partitions }, options, row.partition_number);
  await db.updateTable('eod_partition').set({ status: 'finished', finished_at: new Date() })
    .where('business_date', '=', businessDate).where('partition_number', '=', row.partition_number).execute();
  return result;
}

/**
 * Opens (or reopens after a crash) the run of a date: its row and its partitions. Returns false
 * when the date is already finished.
 */
export async function openRun(dependencies: EndOfDayDependencies, businessDate: BusinessDate, partitions = DEFAULT_PARTITIONS): Promise<{ open: boolean; partitions: number }> {
  return inTransaction(dependencies.db, async (transaction) => {
    await transaction.insertInto('eod_run').values({ business_date: businessDate, status: 'running', partitions }).onConflict((conflict) => conflict.column('business_date').doNothing()).execute();
    const run = await transaction.selectFrom('eod_run').selectAll().where('business_date', '=', businessDate).forUpdate().executeTakeFirstOrThrow();
    if (run.status === 'finished') return { open: false, partitions: run.partitions };
    await transaction
      .insertInto('eod_partition')
      .values(Array.from({ length: run.partitions }, (_, partition) => ({ business_date: businessDate, partition_number: partition, status: 'pending' })))
      .onConflict((conflict) => conflict.columns(['business_date', 'partition_number']).doNothing())
      .execute();
    // The embedded database serves one process: whatever was left running died with it.
    if (dependencies.kind === 'pglite') {
      await transaction.updateTable('eod_partition').set({ status: 'pending' }).where('business_date', '=', businessDate).where('status', '=', 'running').execute();
    }
    return { open: true, partitions: run.partitions };
  });
}

/**
 * Works partitions of an open date until none is left to claim. On PostgreSQL several partitions
 * are worked at once over the connection pool (`concurrency`), so that the database and this
 * process are both busy; the embedded database has one connection and works them in turn.
 */
export async function workDate(dependencies: EndOfDayDependencies, businessDate: BusinessDate, options: EndOfDayOptions = {}): Promise<{ loans: number; chunks: number }> {
  const run = await dependencies.db.selectFrom('eod_run').select(['partitions', 'status']).where('business_date', '=', businessDate).executeTakeFirst();
  if (!run) throw new LenityError('INVALID_STATE', `End of day for ${businessDate} has not been opened`);
  const concurrency = Math.max(1, Math.min(run.partitions, options.concurrency ?? defaultConcurrency(dependencies.kind)));
  let loans = 0;
  let chunks = 0;
  let claims = 0;
  const worker = async () => {
    while (claims++ <= run.partitions) {
      const result = await workOnePartition(dependencies, businessDate, run.partitions, options);
      if (!result) return;
      loans += result.loans;
      chunks += result.chunks;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { loans, chunks };
}

/** Partitions one process works at once: one on the embedded database, a few on a server (each holds two pooled connections). */
export function defaultConcurrency(kind: DatabaseKind): number {
  return kind === 'pglite' ? 1 : Math.min(4, Math.max(2, availableParallelism()));
}

/**
 * Closes the date when every partition is finished; false when some are still being worked (by
 * another process) or were left by a crashed worker.
 */
export async function closeRunIfDone(db: Executor, businessDate: BusinessDate): Promise<boolean> {
  const open = await db.selectFrom('eod_partition').select(sql<number>`count(*)::int`.as('count')).where('business_date', '=', businessDate).where('status', '<>', 'finished').executeTakeFirstOrThrow();
  if (Number(open.count) > 0) return false;
  await inTransaction(db, async (transaction) => {
    const closed = await transaction.updateTable('eod_run').set({ status: 'finished', finished_at: new Date() }).where('business_date', '=', businessDate).where('status', '=', 'running').executeTakeFirst();
    // The process that closes the date records its portfolio once; the snapshot is idempotent per date as well.
    if (Number(closed.numUpdatedRows) === 1) await recordPortfolioSnapshot(transaction, businessDate);
  });
  return true;
}

/** The last finished date, or null when end of day never ran. */
export async function lastFinishedDate(db: Executor): Promise<BusinessDate | null> {
  const row = await db.selectFrom('eod_run').select(sql<string | null>`max(business_date)::text`.as('date')).where('status', '=', 'finished').executeTakeFirst();
  return (row?.date ?? null) as BusinessDate | null;
}

/**
 * Checks that `businessDate` may run now: a business day, not finished, not in the future, and no
 * earlier business date skipped since the last finished run.
 */
export async function assertDateMayRun(dependencies: EndOfDayDependencies, businessDate: BusinessDate, today: BusinessDate | null): Promise<void> {
  if (!isBusinessDay(dependencies.calendar, businessDate)) throw new LenityError('INVALID_STATE', `${businessDate} is not a business day in the lender's calendar`, { field: 'date' });
  if (today !== null && businessDate >= today) throw new LenityError('INVALID_STATE', `End of day for ${businessDate} can run only after that day is over (today is ${today})`, { field: 'date' });
  const finished = await dependencies.db.selectFrom('eod_run').select('status').where('business_date', '=', businessDate).executeTakeFirst();
  if (finished?.status === 'finished') throw new LenityError('INVALID_STATE', `End of day for ${businessDate} already ran; a date never runs twice`, { field: 'date' });
  const last = await lastFinishedDate(dependencies.db);
  if (last !== null) {
    if (businessDate < last) throw new LenityError('INVALID_STATE', `End of day already ran for ${last}; ${businessDate} is before it`, { field: 'date' });
    const missed = businessDaysBetween(dependencies.calendar, last, businessDate).filter((date) => date < businessDate);
    if (missed.length > 0) {
      throw new LenityError('INVALID_STATE', `End of day has not run for ${missed[0]}${missed.length > 1 ? ` and ${missed.length - 1} more business days` : ''}; run \`lenity eod --until ${businessDate}\` to catch up in order`, { field: 'date' });
    }
  }
}

/** Partitions by default: one on the embedded database (a single process works it), several on a server. */
export function defaultPartitions(kind: DatabaseKind): number {
  return kind === 'pglite' ? 1 : DEFAULT_PARTITIONS;
}

/** Longest a worker waits for other workers to finish a date before moving to the next one. */
const MAX_WAIT_FOR_DATE_MS = 6 * 3_600_000;

/**
 * A worker process's share of a catch-up: for each date in order, open it (idempotent), work
 * partitions until none is left to claim, then wait until every partition of the date is finished
 * by whoever claimed it, so that no worker starts a date before the previous one is complete.
 *
 * @example await workDates(dependencies, ['2026-03-09', '2026-03-10'], { partitions: 8, worker: 'worker-1' })
 */
export async function workDates(dependencies: EndOfDayDependencies, dates: readonly BusinessDate[], options: EndOfDayOptions = {}): Promise<number> {
  let loans = 0;
  for (const date of dates) {
    const { open } = await openRun(dependencies, date, options.partitions ?? defaultPartitions(dependencies.kind));
    if (!open) continue;
    loans += (await workDate(dependencies, date, options)).loans;
    const started = Date.now();
    while (!(await closeRunIfDone(dependencies.db, date))) {
      if (Date.now() - started > MAX_WAIT_FOR_DATE_MS) throw new LenityError('CONFLICT', `End of day for ${date} is still being worked after ${MAX_WAIT_FOR_DATE_MS / 3_600_000} hours`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return loans;
}

/**
 * Runs end of day for one date in this process (opening it, working every partition, closing it).
 * A date already finished is refused; a crashed run of the date resumes where it stopped.
 *
 * @example await runEndOfDay(dependencies, '2026-03-09', { today: '2026-03-10' })
 */
export async function runEndOfDay(dependencies: EndOfDayDependencies, businessDate: BusinessDate, options: EndOfDayOptions & { today?: BusinessDate | null } = {}): Promise<DateOutcome> {
  await assertDateMayRun(dependencies, businessDate, options.today ?? null);
  const { open } = await openRun(dependencies, businessDate, options.partitions ?? defaultPartitions(dependencies.kind));
  if (!open) return { businessDate, loansTouched: 0, chunks: 0, alreadyFinished: true };
  const result = await workDate(dependencies, businessDate, options);
  const closed = await closeRunIfDone(dependencies.db, businessDate);
  if (!closed) throw new LenityError('CONFLICT', `End of day for ${businessDate} still has partitions being worked by another process; rerun to finish it`);
  return { businessDate, loansTouched: result.loans, chunks: result.chunks, alreadyFinished: false };
}

/**
 * The business dates `--until` would run, in order: after the last finished date (or, the first
 * time, from the earliest pending loan event) through `until`.
 */
export async function datesToCatchUp(dependencies: EndOfDayDependencies, until: BusinessDate): Promise<BusinessDate[]> {
  const last = await lastFinishedDate(dependencies.db);
  if (last !== null) return businessDaysBetween(dependencies.calendar, last, until);
  const earliest = await dependencies.db.selectFrom('loan').select(sql<string | null>`min(next_event_date)::text`.as('date')).where('status', '=', 'active').executeTakeFirst();
  const start = (earliest?.date ?? until) as BusinessDate;
  const from = start < until ? start : until;
  return businessDaysBetween(dependencies.calendar, addDays(from, -1), until);
}

/**
 * Runs every missed business date through `until`, in order (`lenity eod --until`).
 *
 * @example await runEndOfDayUntil(dependencies, '2026-03-09')
 */
export async function runEndOfDayUntil(dependencies: EndOfDayDependencies, until: BusinessDate, options: EndOfDayOptions & { today?: BusinessDate | null } = {}): Promise<DateOutcome[]> {
  const outcomes: DateOutcome[] = [];
  for (const date of await datesToCatchUp(dependencies, until)) outcomes.push(await runEndOfDay(dependencies, date, options));
  return outcomes;
}

/**
 * End of day for named loans only, without run bookkeeping: every business date after each loan
 * was last looked at through `until` (the scenario runner's `eod` step).
 */
export async function runEndOfDayForLoans(dependencies: EndOfDayDependencies, loanIds: readonly string[], from: BusinessDate, until: BusinessDate): Promise<number> {
  let touched = 0;
  for (const date of businessDaysBetween(dependencies.calendar, addDays(from, -1), until)) {
    touched += (await processScope(dependencies, date, { loanIds }, {}, 0)).loans;
  }
  return touched;
}
