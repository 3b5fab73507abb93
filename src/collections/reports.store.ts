import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import type { BusinessDate } from '../shared/business-date.ts';

/**
 * The SQL of the supervisors' reports: each one a single set-based query over the portfolio
 * snapshot, the outbox (`domain_event`), promises and contact attempts, grouped in the database.
 */

/** Bucket name a current (not delinquent) loan is counted under. */
export const CURRENT_BUCKET = 'current';

/**
 * Brings the running portfolio position up to date: the change rows committed since the last fold
 * are deleted and added to it, in one statement. Changes of transactions still open stay for the
 * next fold, and two folds never count a change twice (the second finds it deleted).
 */
export async function foldPortfolioChanges(db: Executor): Promise<void> {
  await sql`
    with folded as (delete from portfolio_change returning jurisdiction, currency, bucket, loans, outstanding_minor)
    insert into portfolio_position (jurisdiction, currency, bucket, loans, outstanding_minor)
    select jurisdiction, currency, bucket, sum(loans), sum(outstanding_minor) from folded group by 1, 2, 3
    on conflict (jurisdiction, currency, bucket) do update
      set loans = portfolio_position.loans + excluded.loans, outstanding_minor = portfolio_position.outstanding_minor + excluded.outstanding_minor`.execute(db);
}

/**
 * Writes the portfolio as it stands at the close of `businessDate`: one row per jurisdiction,
 * currency and bucket with active loans, from the running position (the day's changes folded in
 * first), so that closing a date costs what changed that day, not a read of the book. A date
 * already recorded keeps its rows.
 */
export async function insertPortfolioSnapshot(db: Executor, businessDate: BusinessDate): Promise<number> {
  await foldPortfolioChanges(db);
  const result = await sql`
    insert into portfolio_snapshot (business_date, jurisdiction, currency, bucket, loans, outstanding_minor)
    select ${businessDate}::date, jurisdiction, currency, bucket, loans::int, outstanding_minor
    from portfolio_position
    where loans > 0
    on conflict (business_date, jurisdiction, currency, bucket) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export interface PositionMismatch { jurisdiction: string; currency: string; bucket: string; positionLoans: bigint; bookLoans: bigint; positionOutstandingMinor: bigint; bookOutstandingMinor: bigint }

/**
 * Where the running position (changes folded in) differs from a count of the whole book: empty
 * when they agree. A reconciliation an operator runs now and then, not part of the daily close.
 */
export async function portfolioPositionMismatches(db: Executor): Promise<PositionMismatch[]> {
  await foldPortfolioChanges(db);
  const result = await sql<{ jurisdiction: string; currency: string; bucket: string; position_loans: string; book_loans: string; position_outstanding: string; book_outstanding: string }>`
    with book as (
      select jurisdiction, currency, coalesce(bucket, ${CURRENT_BUCKET}) as bucket, count(*) as loans,
             sum(principal_outstanding_minor + interest_outstanding_minor + fee_outstanding_minor + penalty_outstanding_minor) as outstanding_minor
        from loan where status = 'active' group by 1, 2, 3)
    select coalesce(p.jurisdiction, b.jurisdiction) as jurisdiction, coalesce(p.currency, b.currency) as currency, coalesce(p.bucket, b.bucket) as bucket,
           coalesce(p.loans, 0)::text as position_loans, coalesce(b.loans, 0)::text as book_loans,
           coalesce(p.outstanding_minor, 0)::text as position_outstanding, coalesce(b.outstanding_minor, 0)::text as book_outstanding
      from portfolio_position p full join book b using (jurisdiction, currency, bucket)
     where coalesce(p.loans, 0) <> coalesce(b.loans, 0) or coalesce(p.outstanding_minor, 0) <> coalesce(b.outstanding_minor, 0)
     order by 1, 2, 3`.execute(db);
  return result.rows.map((row) => ({
    jurisdiction: row.jurisdiction, currency: row.currency, bucket: row.bucket,
    positionLoans: BigInt(row.position_loans), bookLoans: BigInt(row.book_loans),
    positionOutstandingMinor: BigInt(row.position_outstanding), bookOutstandingMinor: BigInt(row.book_outstanding),
  }));
}

export interface SnapshotRow { business_date: string; jurisdiction: string; currency: string; bucket: string; loans: number; outstanding_minor: bigint }

export async function selectPortfolioSnapshots(db: Executor, from: BusinessDate, to: BusinessDate, limit: number): Promise<SnapshotRow[]> {
  const result = await sql<SnapshotRow>`
    select business_date::text as business_date, jurisdiction, currency, bucket, loans, outstanding_minor
    from portfolio_snapshot where business_date between ${from}::date and ${to}::date
    order by business_date, jurisdiction, currency, bucket limit ${limit}`.execute(db);
  return result.rows;
}

export interface RollRow { month: string; from_bucket: string; to_bucket: string; loans: number }

/** Loans that moved from one bucket to another per month (`loan.bucket_changed`; a cure moves to 'current'). */
export async function selectBucketMoves(db: Executor, from: BusinessDate, to: BusinessDate): Promise<RollRow[]> {
  const result = await sql<RollRow>`
    select to_char(business_date, 'YYYY-MM') as month, coalesce(payload->>'from', ${CURRENT_BUCKET}) as from_bucket,
      coalesce(payload->>'to', ${CURRENT_BUCKET}) as to_bucket, count(distinct loan_id)::int as loans
    from domain_event where kind = 'loan.bucket_changed' and business_date between ${from}::date and ${to}::date
    group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  return result.rows;
}

export interface CureRow { month: string; delinquent: number; cured: number }

/** Per month, the loans that became delinquent (`loan.delinquent`) and how many of them were cured (`loan.cured`) by `to`. */
export async function selectCureCohorts(db: Executor, from: BusinessDate, to: BusinessDate): Promise<CureRow[]> {
  const result = await sql<CureRow>`
    select to_char(delinquent.business_date, 'YYYY-MM') as month, count(distinct delinquent.loan_id)::int as delinquent, count(distinct cured.loan_id)::int as cured
    from domain_event delinquent
    left join domain_event cured on cured.loan_id = delinquent.loan_id and cured.kind = 'loan.cured'
      and cured.sequence > delinquent.sequence and cured.business_date <= ${to}::date
    where delinquent.kind = 'loan.delinquent' and delinquent.business_date between ${from}::date and ${to}::date
    group by 1 order by 1`.execute(db);
  return result.rows;
}

export interface PromiseRow { month: string; made: number; kept: number; partly_kept: number; broken: number; pending: number }

/** Promises to pay made per month, by what became of them. */
export async function selectPromiseOutcomes(db: Executor, from: BusinessDate, to: BusinessDate): Promise<PromiseRow[]> {
  const result = await sql<PromiseRow>`
    select substr(made_on, 1, 7) as month, count(*)::int as made,
      count(*) filter (where status = 'kept')::int as kept, count(*) filter (where status = 'partly-kept')::int as partly_kept,
      count(*) filter (where status = 'broken')::int as broken, count(*) filter (where status = 'pending')::int as pending
    from promise_to_pay where made_on between ${from} and ${to}
    group by 1 order by 1`.execute(db);
  return result.rows;
}

export interface AgentActivityRow { agent_id: string; display_name: string | null; day: string; attempts: number; right_party_contacts: number; promises: number }

/**
 * Per agent and business date (attempts' instants read in the lender's time zone): contact attempts,
 * right-party contacts and promises made.
 */
export async function selectAgentActivity(db: Executor, from: BusinessDate, to: BusinessDate, timeZone: string, rightPartyOutcomes: readonly string[], limit: number): Promise<AgentActivityRow[]> {
  // A day of slack each side on the instants, then exact dates in the lender's zone.
  const earliest = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000);
  const latest = new Date(Date.parse(`${to}T00:00:00Z`) + 2 * 86_400_000);
  const result = await sql<AgentActivityRow>`
    select activity.agent_id, collector_profile.display_name, activity.day,
      sum(activity.attempts)::int as attempts, sum(activity.right_party_contacts)::int as right_party_contacts, sum(activity.promises)::int as promises
    from (
      select agent_id, ((at at time zone ${timeZone})::date)::text as day, 1 as attempts,
        case when outcome in (${sql.join(rightPartyOutcomes.map((outcome) => sql`${outcome}`))}) then 1 else 0 end as right_party_contacts, 0 as promises
      from contact_attempt where agent_id is not null and at >= ${earliest} and at < ${latest}
      union all
      select made_by, made_on, 0, 0, 1 from promise_to_pay where made_by is not null and made_on between ${from} and ${to}
    ) activity
    left join collector_profile on collector_profile.agent_id = activity.agent_id
    where activity.day between ${from} and ${to}
    group by activity.agent_id, collector_profile.display_name, activity.day
    order by activity.day, activity.agent_id limit ${limit}`.execute(db);
  return result.rows;
}
