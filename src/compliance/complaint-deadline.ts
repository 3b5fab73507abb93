import { addDays, type BusinessDate, weekdayOf } from '../shared/business-date.ts';

/**
 * How long a lender has to answer a complaint with a final response, per jurisdiction, as data.
 * Days are counted from the day after the complaint is received. Business days are Monday to
 * Friday (public holidays are not subtracted, so the deadline errs early: in the borrower's favour).
 */
export interface ComplaintDeadlineRule {
  days: number;
  unit: 'calendar-days' | 'business-days';
  source: string;
}

export const COMPLAINT_DEADLINES: Readonly<Record<string, ComplaintDeadlineRule>> = {
  UK: { days: 56, unit: 'calendar-days', source: 'FCA DISP 1.6.2R: a final response within eight weeks of receipt' },
  CN: { days: 15, unit: 'calendar-days', source: '银行保险机构消费投诉处理管理办法 (2020) art. 20: a decision within 15 days of receipt' },
  US: { days: 15, unit: 'business-days', source: 'CFPB company response to a consumer complaint: 15 days (business days, as the lender\'s policy)' },
  'US-MA': { days: 15, unit: 'business-days', source: 'As US; Massachusetts adds no shorter complaint deadline' },
};

/** The rule of a jurisdiction; one without a rule of its own gets the shortest, CN's 15 days. */
export function complaintDeadlineRule(jurisdiction: string): ComplaintDeadlineRule {
  return COMPLAINT_DEADLINES[jurisdiction] ?? COMPLAINT_DEADLINES.CN!;
}

/**
 * The last date a final response is due for a complaint received on `receivedOn`.
 *
 * @example complaintDeadline('US', '2026-03-06') // "2026-03-27" (a Friday; 15 weekdays later)
 */
export function complaintDeadline(jurisdiction: string, receivedOn: BusinessDate): BusinessDate {
  const rule = complaintDeadlineRule(jurisdiction);
  if (rule.unit === 'calendar-days') return addDays(receivedOn, rule.days);
  let date = receivedOn;
  for (let counted = 0; counted < rule.days;) {
    date = addDays(date, 1);
    const weekday = weekdayOf(date);
    if (weekday !== 'sat' && weekday !== 'sun') counted++;
  }
  return date;
}

/**
 * A complaint is overdue once its due date has passed without it being closed.
 *
 * @example isComplaintOverdue({ status: 'open', dueOn: '2026-03-20' }, '2026-03-21') // true
 */
export function isComplaintOverdue(complaint: { status: string; dueOn: string }, today: BusinessDate): boolean {
  return complaint.status !== 'closed' && today > complaint.dueOn;
}
