import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { complaintDeadline, isComplaintOverdue } from './complaint-deadline.ts';

const day = (text: string) => text as BusinessDate;

describe('complaint deadlines', () => {
  it.each([
    // jurisdiction, received, due: UK eight weeks, CN 15 days, US 15 weekdays (weekends skipped)
    ['UK', '2026-03-02', '2026-04-27'],
    ['UK', '2026-12-31', '2027-02-25'],
    ['CN', '2026-02-20', '2026-03-07'],
    ['CN', '2028-02-20', '2028-03-06'],
    ['US', '2026-03-06', '2026-03-27'],
    ['US', '2026-03-07', '2026-03-27'],
    ['US', '2026-03-02', '2026-03-23'],
    ['US-MA', '2026-12-24', '2027-01-14'],
    ['XX', '2026-02-20', '2026-03-07'],
  ])('%s, received %s: due %s', (jurisdiction, received, due) => {
    expect(complaintDeadline(jurisdiction, day(received))).toBe(due);
  });

  it.each([
    ['open, due today', 'open', '2026-03-20', '2026-03-20', false],
    ['open, due yesterday', 'open', '2026-03-20', '2026-03-21', true],
    ['assigned, past due', 'assigned', '2026-03-20', '2026-04-01', true],
    ['closed late', 'closed', '2026-03-20', '2026-04-01', false],
  ])('%s: overdue %s', (_name, status, dueOn, today, overdue) => {
    expect(isComplaintOverdue({ status, dueOn }, day(today))).toBe(overdue);
  });
});
