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
 * Writes the portfolio as it stands at the close of `businessDate`: one row per jurisdiction,
 * currency and bucket (the loan's own jurisdiction, so the book is read once without joining every
 * borrower). A date already recorded keeps its rows (one INSERT … SELECT, conflict ignored).
 */
export async function insertPortfolioSnapshot(db: Executor, businessDate: BusinessDate): Promise<number> {
  const result = await sql`
    insert into portfolio_snapshot (business_date, jurisdiction, currency, bucket, loans, outstanding_minor)
    select ${businessDate}::date, loan.jurisdiction, loan.currency, coalesce(loan.bucket, ${CURRENT_BUCKET}), count(*)::int,
      sum(loan.principal_outstanding_minor + loan.interest_outstanding_minor + loan.fee_outstanding_minor + loan.penalty_outstanding_minor)::bigint
    from loan
    where loan.status = 'active'
    group by 2, 3, 4
    on conflict (business_date, jurisdiction, currency, bucket) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
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
