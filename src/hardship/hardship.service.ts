import { holdCase, releaseCase } from '../collections/case-hold.service.ts';
import type { RequestActor } from '../collections/contact-preferences.service.ts';
import type { Executor } from '../db/transaction.ts';
import { parseDisbursedLoanTerms } from '../lending/loan-terms.ts';
import { rescheduleLoan } from '../lending/loan.service.ts';
import { loadInstallments } from '../lending/loan.store.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import type { Clock } from '../shared/clock.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { readEnum, readObject, readString } from '../shared/input.ts';
import { formatMoney, parseMoney } from '../shared/money.ts';
import { parsePlanRequest, type PlanProposal, type PlanRequest, proposePlan } from './plan.ts';

/**
 * Hardship requests: a borrower asks for a plan, the case goes to `hardship-review` and ageing
 * pauses; a supervisor approves (the loan is rescheduled through lending, the case returns to open)
 * or declines (the case returns to its status); ageing resumes either way. Each change runs in the
 * caller's transaction, so a route wraps it with its idempotency record.
 */
export interface HardshipDependencies {
  db: Executor;
  ids: IdGenerator;
  clock: Clock;
}

export const HARDSHIP_DECISIONS = ['approve', 'decline'] as const;
const MAXIMUM_TEXT_LENGTH = 2_000;
const LIST_LIMIT = 200;

interface StoredProposal {
  startsOn: string;
  installments: Array<{ fromDate: string; dueDate: string; principalMinor: string; interestMinor: string }>;
  principalOwedMinor: string;
  arrearsMinor: string;
  dueWithoutPlanMinor: string;
  firstPaymentMinor: string;
  largestPaymentMinor: string;
  totalInterestMinor: string;
  affordability: { verdict: string; disposableMinor: string; largestPaymentMinor: string };
}

function storeProposal(proposal: PlanProposal): StoredProposal {
  return {
    startsOn: proposal.startsOn,
    installments: proposal.installments.map((row) => ({ fromDate: row.fromDate, dueDate: row.dueDate, principalMinor: row.principalMinor.toString(), interestMinor: row.interestMinor.toString() })),
    principalOwedMinor: proposal.principalOwedMinor.toString(),
    arrearsMinor: proposal.arrearsMinor.toString(),
    dueWithoutPlanMinor: proposal.dueWithoutPlanMinor.toString(),
    firstPaymentMinor: proposal.firstPaymentMinor.toString(),
    largestPaymentMinor: proposal.largestPaymentMinor.toString(),
    totalInterestMinor: proposal.totalInterestMinor.toString(),
    affordability: {
      verdict: proposal.affordability.verdict, disposableMinor: proposal.affordability.disposableMinor.toString(),
      largestPaymentMinor: proposal.affordability.largestPaymentMinor.toString(),
    },
  };
}

/** A proposal as the API shows it: money as decimal strings of the loan's currency. */
function formatProposal(stored: StoredProposal, currency: CurrencyCode) {
  const money = (minor: string) => formatMoney(BigInt(minor), currency);
  return {
    startsOn: stored.startsOn,
    installments: stored.installments.map((row, index) => ({
      number: index + 1, fromDate: row.fromDate, dueDate: row.dueDate, principal: money(row.principalMinor), interest: money(row.interestMinor),
      total: formatMoney(BigInt(row.principalMinor) + BigInt(row.interestMinor), currency),
    })),
    principalOwed: money(stored.principalOwedMinor),
    arrears: money(stored.arrearsMinor),
    dueWithoutPlan: money(stored.dueWithoutPlanMinor),
    firstPayment: money(stored.firstPaymentMinor),
    largestPayment: money(stored.largestPaymentMinor),
    totalInterest: money(stored.totalInterestMinor),
    affordability: { verdict: stored.affordability.verdict, disposable: money(stored.affordability.disposableMinor), largestPayment: money(stored.affordability.largestPaymentMinor) },
  };
}

function readText(body: Record<string, unknown>, key: string): string {
  const text = readString(body, key, '(root)').trim();
  if (text.length === 0 || text.length > MAXIMUM_TEXT_LENGTH) throw validationError(key, `must hold 1 to ${MAXIMUM_TEXT_LENGTH} characters`);
  return text;
}

async function activeLoan(db: Executor, loanId: string) {
  const loan = await db.selectFrom('loan').selectAll().where('id', '=', loanId).executeTakeFirst();
  if (!loan) throw new LenityError('NOT_FOUND', `Loan ${loanId} does not exist`);
  if (loan.status !== 'active') throw new LenityError('INVALID_STATE', `Loan ${loanId} is ${loan.status}; a hardship plan is for an active loan`);
  return loan;
}

async function proposalFor(db: Executor, loanId: string, businessDate: BusinessDate, money: { incomeMinor: bigint; expensesMinor: bigint }, plan: PlanRequest) {
  const loan = await activeLoan(db, loanId);
  const terms = parseDisbursedLoanTerms(loan);
  const installments = await loadInstallments(db, loanId);
  return { loan, proposal: proposePlan({ terms: terms.schedule, installments, businessDate, ...money }, plan) };
}

function readRequestBody(json: unknown, currency: CurrencyCode) {
  const body = readObject(json, '(root)', ['reason', 'income', 'expenses', 'plan']);
  return {
    reason: readText(body, 'reason'),
    incomeMinor: parseMoney(body.income, currency, { field: 'income', allowZero: true }),
    expensesMinor: parseMoney(body.expenses, currency, { field: 'expenses', allowZero: true }),
    plan: parsePlanRequest(body.plan),
  };
}

/**
 * What a plan would do to the loan today, without asking for it: the new schedule and the
 * affordability verdict.
 *
 * @example await previewHardshipPlan(db, 'loan_1', '2026-03-10', { reason: 'Lost my job', income: '4000.00', expenses: '3000.00', plan: { kind: 'extension', months: 6 } })
 */
export async function previewHardshipPlan(db: Executor, loanId: string, businessDate: BusinessDate, json: unknown) {
  const loan = await activeLoan(db, loanId);
  const currency = loan.currency as CurrencyCode;
  const input = readRequestBody(json, currency);
  const { proposal } = await proposalFor(db, loanId, businessDate, input, input.plan);
  return { loanId, currency, plan: input.plan, proposal: formatProposal(storeProposal(proposal), currency) };
}

type RequestRow = Awaited<ReturnType<typeof loadRequest>>;

async function loadRequest(db: Executor, requestId: string) {
  const row = await db.selectFrom('hardship_request').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Hardship request ${requestId} does not exist`);
  return row;
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function formatRequest(row: RequestRow) {
  const currency = row.currency as CurrencyCode;
  return {
    id: row.id, borrowerId: row.borrower_id, loanId: row.loan_id, caseId: row.case_id, status: row.status, reason: row.reason, currency,
    income: formatMoney(BigInt(row.income_minor), currency), expenses: formatMoney(BigInt(row.expenses_minor), currency),
    plan: parseJson<PlanRequest>(row.plan), proposal: formatProposal(parseJson<StoredProposal>(row.proposal), currency),
    requestedBy: row.requested_by, requestedOn: row.requested_on, ageingPaused: row.ageing_paused,
    decidedBy: row.decided_by, decidedOn: row.decided_on, decisionReason: row.decision_reason, rescheduleId: row.reschedule_id,
  };
}

/**
 * A borrower (or staff on their behalf) asks for a hardship plan on an active loan: the proposal
 * is computed and kept, the loan's case goes to `hardship-review` and its ageing pauses.
 *
 * @example await requestHardship(dependencies, { keyId: 'key_1', role: 'borrower' }, 'loan_1', '2026-03-10', { reason: 'Lost my job', income: '4000.00', expenses: '3000.00', plan: { kind: 'deferral', months: 3 } })
 */
export async function requestHardship(dependencies: HardshipDependencies, actor: RequestActor, loanId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids } = dependencies;
  const loan = await activeLoan(db, loanId);
  const input = readRequestBody(json, loan.currency as CurrencyCode);
  const open = await db.selectFrom('hardship_request').select('id').where('loan_id', '=', loanId).where('status', '=', 'requested').executeTakeFirst();
  if (open) throw new LenityError('INVALID_STATE', `Loan ${loanId} already has a hardship request under review (${open.id})`);
  const { proposal } = await proposalFor(db, loanId, businessDate, input, input.plan);
  const id = ids('hdp');
  const hold = await holdCase(dependencies, loanId, 'hardship-review', businessDate, id, `Hardship request ${id}`);
  await db.insertInto('hardship_request').values({
    id, borrower_id: loan.borrower_id, loan_id: loanId, case_id: hold.caseId, status: 'requested', reason: input.reason, currency: loan.currency,
    income_minor: input.incomeMinor, expenses_minor: input.expensesMinor, plan: JSON.stringify(input.plan), proposal: JSON.stringify(storeProposal(proposal)),
    requested_by: actor.keyId, requested_on: businessDate, ageing_paused: hold.ageingPaused,
    decided_by: null, decided_on: null, decision_reason: null, reschedule_id: null,
  }).execute();
  return { status: 201, body: formatRequest(await loadRequest(db, id)) };
}

/**
 * A supervisor decides a request under review, with a reason. Approval recomputes the plan on the
 * decision date (payments may have come in since the request), reschedules the loan through
 * `rescheduleLoan` (one balanced journal entry for the change in interest) and returns the case to
 * `open`; a decline returns the case to the status it had. Ageing resumes either way.
 *
 * @example await decideHardship(dependencies, supervisor, 'hdp_1', '2026-03-12', { decision: 'approve', reason: 'Income verified; the plan is affordable' })
 */
export async function decideHardship(dependencies: HardshipDependencies, actor: RequestActor, requestId: string, businessDate: BusinessDate, json: unknown) {
  const { db, ids, clock } = dependencies;
  const body = readObject(json, '(root)', ['decision', 'reason']);
  const decision = readEnum(body, 'decision', '(root)', HARDSHIP_DECISIONS);
  const reason = readText(body, 'reason');
  const row = await loadRequest(db, requestId);
  if (row.status !== 'requested') throw new LenityError('INVALID_STATE', `Hardship request ${requestId} was already ${row.status}`);
  if (decision === 'decline') {
    await db.updateTable('hardship_request').set({ status: 'declined', decided_by: actor.keyId, decided_on: businessDate, decision_reason: reason }).where('id', '=', requestId).execute();
    await releaseCase({ db, ids, clock }, row.loan_id, requestId, businessDate);
    return { status: 200, body: formatRequest(await loadRequest(db, requestId)) };
  }
  const { proposal } = await proposalFor(db, row.loan_id, businessDate, { incomeMinor: BigInt(row.income_minor), expensesMinor: BigInt(row.expenses_minor) }, parseJson<PlanRequest>(row.plan));
  const rescheduled = await rescheduleLoan({ db, ids }, row.loan_id, {
    installments: proposal.installments, source: `hardship:${requestId}`, idempotencyKey: `hardship:${requestId}`, businessDate, note: `Hardship plan ${requestId}: ${reason}`.slice(0, 500),
  });
  await db.updateTable('hardship_request').set({
    status: 'approved', decided_by: actor.keyId, decided_on: businessDate, decision_reason: reason, reschedule_id: rescheduled.body.transactionId,
    proposal: JSON.stringify(storeProposal(proposal)),
  }).where('id', '=', requestId).execute();
  await releaseCase({ db, ids, clock }, row.loan_id, requestId, businessDate, 'open');
  return { status: 200, body: formatRequest(await loadRequest(db, requestId)) };
}

/** One request. @example (await getHardshipRequest(db, 'hdp_1')).status // "requested" */
export async function getHardshipRequest(db: Executor, requestId: string) {
  return formatRequest(await loadRequest(db, requestId));
}

/**
 * Requests, newest first, of a loan or a borrower, or every one with a status (at most 200).
 *
 * @example await listHardshipRequests(db, { status: 'requested' })
 */
export async function listHardshipRequests(db: Executor, filter: { loanId?: string; borrowerId?: string; status?: string }) {
  let query = db.selectFrom('hardship_request').selectAll().orderBy('id', 'desc').limit(LIST_LIMIT);
  if (filter.loanId) query = query.where('loan_id', '=', filter.loanId);
  if (filter.borrowerId) query = query.where('borrower_id', '=', filter.borrowerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.execute()).map(formatRequest);
}
