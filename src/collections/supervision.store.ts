import type { Executor } from '../db/transaction.ts';

/** The SQL of what supervisors list: open cases with their agent, and field visits by status. */

export interface CaseListFilter {
  /** Only cases without an agent (true), only assigned cases (false), or both (undefined). */
  unassigned?: boolean;
  agentId?: string;
  limit: number;
}

export async function selectOpenCases(db: Executor, filter: CaseListFilter) {
  let query = db.selectFrom('collection_case')
    .innerJoin('loan', 'loan.id', 'collection_case.loan_id')
    .innerJoin('borrower', 'borrower.id', 'collection_case.borrower_id')
    .leftJoin('collector_profile', 'collector_profile.agent_id', 'collection_case.agent_id')
    .select([
      'collection_case.id', 'collection_case.loan_id', 'collection_case.borrower_id', 'collection_case.status', 'collection_case.agent_id', 'collection_case.opened_on',
      'collection_case.last_right_party_contact_on', 'collector_profile.display_name as agent_name', 'loan.currency', 'loan.days_past_due', 'loan.bucket',
      'loan.principal_outstanding_minor', 'loan.interest_outstanding_minor', 'loan.fee_outstanding_minor', 'loan.penalty_outstanding_minor',
      'borrower.full_name', 'borrower.phones', 'borrower.addresses', 'borrower.jurisdiction', 'borrower.language',
    ])
    .where('collection_case.closed_on', 'is', null);
  if (filter.unassigned === true) query = query.where('collection_case.agent_id', 'is', null);
  if (filter.unassigned === false) query = query.where('collection_case.agent_id', 'is not', null);
  if (filter.agentId !== undefined) query = query.where('collection_case.agent_id', '=', filter.agentId);
  return query.orderBy('loan.days_past_due', 'desc').orderBy('collection_case.id').limit(filter.limit).execute();
}

export async function selectVisits(db: Executor, status: string, limit: number) {
  return db.selectFrom('field_visit')
    .innerJoin('collection_case', 'collection_case.id', 'field_visit.case_id')
    .innerJoin('loan', 'loan.id', 'collection_case.loan_id')
    .innerJoin('borrower', 'borrower.id', 'field_visit.borrower_id')
    .select([
      'field_visit.id', 'field_visit.case_id', 'field_visit.status', 'field_visit.requested_by', 'field_visit.requested_on', 'field_visit.approved_by',
      'field_visit.collectors', 'field_visit.slot', 'field_visit.report', 'collection_case.loan_id', 'collection_case.agent_id', 'collection_case.last_right_party_contact_on',
      'loan.days_past_due', 'loan.currency', 'loan.principal_outstanding_minor', 'loan.interest_outstanding_minor', 'loan.fee_outstanding_minor', 'loan.penalty_outstanding_minor',
      'borrower.full_name', 'borrower.phones', 'borrower.addresses', 'borrower.jurisdiction',
    ])
    .where('field_visit.status', '=', status)
    .orderBy('field_visit.requested_on').orderBy('field_visit.id').limit(limit).execute();
}
