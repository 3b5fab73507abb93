import type { Executor } from '../db/transaction.ts';
import { addDays, type BusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { validationError } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { selectTrainings } from './certification.store.ts';
import { RIGHT_PARTY_OUTCOMES } from './case-contact.ts';
import { borrowerView, type CaseViewer } from './case-work.service.ts';
import { certificationOf, cureRate, promiseKeptRate, rollRates } from './reports.ts';
import {
  insertPortfolioSnapshot, selectAgentActivity, selectBucketMoves, selectCureCohorts, selectPortfolioSnapshots, selectPromiseOutcomes,
} from './reports.store.ts';
import { listCollectorProfiles } from './roster.service.ts';
import { selectOpenCases, selectVisits } from './supervision.store.ts';

/**
 * What supervisors watch: delinquency by bucket over time (from the daily portfolio snapshot), roll
 * and cure rates (from the outbox), promise kept rates and agent activity; and what they steer: open
 * cases with their agent, visits waiting for approval, the roster with certification status.
 * Money is reported per currency, never summed across currencies.
 */
const MAXIMUM_REPORT_DAYS = 366;
const MAXIMUM_SNAPSHOT_ROWS = 20_000;
const MAXIMUM_ACTIVITY_ROWS = 20_000;
const MAXIMUM_LISTED = 500;
/** Training records read for the roster at most (a few per collector). */
const MAXIMUM_TRAINING_RECORDS = 20_000;
export const VISIT_STATUSES = ['requested', 'approved', 'scheduled', 'checked-in', 'completed', 'rejected'] as const;

/** Checks a report's date range: `to` not before `from`, at most 366 days. */
export function assertReportRange(from: BusinessDate, to: BusinessDate): void {
  if (to < from) throw validationError('to', 'must not be before from');
  if (addDays(from, MAXIMUM_REPORT_DAYS) <= to) throw validationError('to', `a report covers at most ${MAXIMUM_REPORT_DAYS} days`);
}

/**
 * Records the portfolio snapshot of a closing business date (the end-of-day run calls it when the
 * date closes, in the same transaction); a date recorded before keeps its first rows.
 *
 * @example await recordPortfolioSnapshot(transaction, '2026-03-09') // rows written: 0 when already recorded
 */
export async function recordPortfolioSnapshot(db: Executor, businessDate: BusinessDate): Promise<number> {
  return insertPortfolioSnapshot(db, businessDate);
}

const money = (minor: bigint, currency: string) => formatMoney(BigInt(minor), currency as CurrencyCode);

/**
 * Loans and outstanding per bucket for each business date in the range, per jurisdiction and currency.
 *
 * @example (await delinquencyByBucket(db, '2026-03-01', '2026-03-31')).items[0] // { businessDate: '2026-03-02', jurisdiction: 'CN', currency: 'CNY', bucket: 'current', loans: 120, outstanding: '512000.00' }
 */
export async function delinquencyByBucket(db: Executor, from: BusinessDate, to: BusinessDate) {
  assertReportRange(from, to);
  const rows = await selectPortfolioSnapshots(db, from, to, MAXIMUM_SNAPSHOT_ROWS);
  return {
    from, to,
    items: rows.map((row) => ({ businessDate: row.business_date, jurisdiction: row.jurisdiction, currency: row.currency, bucket: row.bucket, loans: row.loans, outstanding: money(row.outstanding_minor, row.currency) })),
  };
}

/**
 * Roll rates per month: of the loans that left a bucket, the share that moved to each bucket.
 *
 * @example (await rollRateReport(db, '2026-01-01', '2026-03-31')).items[0] // { month: '2026-02', from: 'R1', to: 'R2', loans: 3, leftBucket: 4, share: '0.7500' }
 */
export async function rollRateReport(db: Executor, from: BusinessDate, to: BusinessDate) {
  assertReportRange(from, to);
  const moves = await selectBucketMoves(db, from, to);
  const rates = rollRates(moves.map((row) => ({ month: row.month, fromBucket: row.from_bucket, toBucket: row.to_bucket, loans: row.loans })));
  return { from, to, items: rates.map((rate) => ({ month: rate.month, from: rate.fromBucket, to: rate.toBucket, loans: rate.loans, leftBucket: rate.leftBucket, share: rate.share })) };
}

/**
 * Cure rate per monthly cohort: loans that became delinquent in the month and how many were cured by `to`.
 *
 * @example (await cureRateReport(db, '2026-01-01', '2026-03-31')).items[0] // { month: '2026-01', delinquent: 10, cured: 4, cureRate: '0.4000' }
 */
export async function cureRateReport(db: Executor, from: BusinessDate, to: BusinessDate) {
  assertReportRange(from, to);
  const cohorts = await selectCureCohorts(db, from, to);
  return { from, to, items: cohorts.map((cohort) => ({ month: cohort.month, delinquent: cohort.delinquent, cured: cohort.cured, cureRate: cureRate(cohort) })) };
}

/**
 * Promises made per month and what became of them, with the kept rate (kept ÷ judged).
 *
 * @example (await promiseReport(db, '2026-01-01', '2026-03-31')).items[0] // { month: '2026-02', made: 12, kept: 6, partlyKept: 1, broken: 3, pending: 2, keptRate: '0.6000' }
 */
export async function promiseReport(db: Executor, from: BusinessDate, to: BusinessDate) {
  assertReportRange(from, to);
  const rows = await selectPromiseOutcomes(db, from, to);
  return {
    from, to,
    items: rows.map((row) => {
      const outcomes = { kept: row.kept, partlyKept: row.partly_kept, broken: row.broken };
      return { month: row.month, made: row.made, ...outcomes, pending: row.pending, keptRate: promiseKeptRate(outcomes) };
    }),
  };
}

/**
 * Attempts, right-party contacts and promises per agent per business date (in the lender's time zone).
 *
 * @example (await agentActivityReport(db, '2026-03-01', '2026-03-07', 'Asia/Shanghai')).items[0] // { agentId: 'usr_1', agentName: '张敏', date: '2026-03-02', attempts: 14, rightPartyContacts: 5, promises: 2 }
 */
export async function agentActivityReport(db: Executor, from: BusinessDate, to: BusinessDate, timeZone: string) {
  assertReportRange(from, to);
  const rows = await selectAgentActivity(db, from, to, timeZone, RIGHT_PARTY_OUTCOMES, MAXIMUM_ACTIVITY_ROWS);
  return {
    from, to,
    items: rows.map((row) => ({ agentId: row.agent_id, agentName: row.display_name, date: row.day, attempts: row.attempts, rightPartyContacts: row.right_party_contacts, promises: row.promises })),
  };
}

function outstandingOf(row: { principal_outstanding_minor: bigint; interest_outstanding_minor: bigint; fee_outstanding_minor: bigint; penalty_outstanding_minor: bigint; currency: string }) {
  return money(BigInt(row.principal_outstanding_minor) + BigInt(row.interest_outstanding_minor) + BigInt(row.fee_outstanding_minor) + BigInt(row.penalty_outstanding_minor), row.currency);
}

/**
 * Open cases with their agent, most days past due first; personal data masked as the viewer's role requires.
 *
 * @example (await listOpenCases(db, supervisor, { unassigned: true })).items[0].agentId // null
 */
export async function listOpenCases(db: Executor, viewer: CaseViewer, filter: { unassigned?: boolean; agentId?: string; limit?: number }) {
  const limit = Math.min(filter.limit ?? 200, MAXIMUM_LISTED);
  const rows = await selectOpenCases(db, { ...filter, limit });
  return {
    items: rows.map((row) => ({
      id: row.id, loanId: row.loan_id, borrowerId: row.borrower_id, borrower: borrowerView(viewer, row), jurisdiction: row.jurisdiction, language: row.language,
      status: row.status, agentId: row.agent_id, agentName: row.agent_name, openedOn: row.opened_on, lastRightPartyContactOn: row.last_right_party_contact_on,
      daysPastDue: row.days_past_due, bucket: row.bucket, currency: row.currency, outstanding: outstandingOf(row),
    })),
  };
}

/**
 * Field visits in a status (the requested ones wait for a supervisor), oldest request first.
 *
 * @example (await listVisits(db, supervisor, 'requested')).items[0] // { id: 'visit_1', caseId: 'case_1', daysPastDue: 75, borrower: { name: '王**', … }, … }
 */
export async function listVisits(db: Executor, viewer: CaseViewer, status: string) {
  if (!(VISIT_STATUSES as readonly string[]).includes(status)) throw validationError('status', `must be one of ${VISIT_STATUSES.join(', ')}`);
  const rows = await selectVisits(db, status, MAXIMUM_LISTED);
  return {
    items: rows.map((row) => ({
      id: row.id, caseId: row.case_id, status: row.status, requestedBy: row.requested_by, requestedOn: row.requested_on, approvedBy: row.approved_by,
      collectors: typeof row.collectors === 'string' ? (JSON.parse(row.collectors) as string[]) : row.collectors, slot: row.slot?.toISOString() ?? null, report: row.report,
      loanId: row.loan_id, agentId: row.agent_id, lastRightPartyContactOn: row.last_right_party_contact_on, daysPastDue: row.days_past_due,
      jurisdiction: row.jurisdiction, currency: row.currency, outstanding: outstandingOf(row), borrower: borrowerView(viewer, row),
    })),
  };
}

/**
 * The collector roster with each collector's open cases, capacity and certification status on `businessDate`.
 *
 * @example (await rosterReport(db, '2026-03-02')).items[0].certification // { status: 'certified', jurisdictions: ['CN'], channels: ['call', 'sms'], certifiedUntil: '2027-01-02' }
 */
export async function rosterReport(db: Executor, businessDate: BusinessDate) {
  const profiles = await listCollectorProfiles(db);
  const trainings = await selectTrainings(db, profiles.map((profile) => profile.agentId), MAXIMUM_TRAINING_RECORDS);
  const byAgent = new Map<string, typeof trainings>();
  for (const training of trainings) byAgent.set(training.agentId, [...(byAgent.get(training.agentId) ?? []), training]);
  return {
    businessDate,
    items: profiles.map((profile) => ({
      ...profile,
      certification: certificationOf((byAgent.get(profile.agentId) ?? []).map((record) => ({ ...record, revoked: record.revokedAt !== null })), businessDate),
    })),
  };
}
