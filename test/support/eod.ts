import type { DatabaseHandle } from '../../src/db/database.ts';
import type { IdGenerator } from '../../src/shared/ids.ts';
import type { EndOfDayDependencies } from '../../src/eod/eod.service.ts';

/** End-of-day dependencies for tests: every day a business day unless a calendar is given. */
export function endOfDayDependencies(handle: DatabaseHandle, ids: IdGenerator, calendar?: EndOfDayDependencies['calendar']): EndOfDayDependencies {
  return { db: handle.db, ids, kind: handle.kind, calendar: calendar ?? { timeZone: 'Asia/Shanghai', weekendDays: [], holidays: new Set(), rule: 'next' } };
}

/** Loan rows, charges, journal lines and events of the whole book, comparable between two runs. */
export async function bookFingerprint(handle: DatabaseHandle) {
  const loans = await handle.db.selectFrom('loan')
    .select(['id', 'status', 'fee_outstanding_minor', 'penalty_outstanding_minor', 'days_past_due', 'delinquent_days', 'bucket', 'non_accrual_on', 'charged_off_on', 'charged_off_minor', 'next_event_date', 'penalty_accrued_through', 'eod_through'])
    .orderBy('id').execute();
  const charges = await handle.db.selectFrom('loan_charge').select(['loan_id', 'kind', 'name', 'amount_minor', 'installment_number', 'charged_on']).orderBy('loan_id').orderBy('charged_on').orderBy('kind').orderBy('installment_number').orderBy('amount_minor').execute();
  const events = await handle.db.selectFrom('domain_event').select(['loan_id', 'kind', 'business_date', 'payload']).orderBy('loan_id').orderBy('business_date').orderBy('kind').execute();
  const lines = await handle.db.selectFrom('journal_line').select(['loan_id', 'account', (eb) => eb.fn.sum<bigint>('amount_minor').as('balance')]).groupBy(['loan_id', 'account']).orderBy('loan_id').orderBy('account').execute();
  return {
    loans,
    charges,
    events: events.map((event) => ({ ...event, payload: JSON.stringify(Object.fromEntries(Object.entries(event.payload as Record<string, unknown>).filter(([key]) => key !== 'chargeId').sort())) })),
    lines: lines.map((line) => ({ ...line, balance: String(line.balance) })),
  };
}
