import type { DatabaseHandle } from '../../src/db/database.ts';
import { assignCase } from '../../src/collections/case-work.service.ts';
import { runCollections } from '../../src/collections/case.service.ts';
import { runEndOfDay } from '../../src/eod/eod.service.ts';
import { createBorrower } from '../../src/lending/borrower.service.ts';
import { approveLoan, createLoan, disburseLoan } from '../../src/lending/loan.service.ts';
import { loadInstallments } from '../../src/lending/loan.store.ts';
import { createProduct } from '../../src/lending/product.service.ts';
import { addDays, type BusinessDate } from '../../src/shared/business-date.ts';
import { endOfDayDependencies } from './eod.ts';
import { personalLoanProduct } from './fixtures.ts';
import type { TestServer } from './server.ts';

/** The business date the workbench fixtures start on (the test server's business date is Shanghai's). */
export const WORKBENCH_START = '2026-01-05' as BusinessDate;
/** 10:00 in New York (15:00 UTC): inside the US contact window, same calendar day in Shanghai. */
export const newYorkMorningOf = (date: BusinessDate) => `${date}T15:00:00Z`;
/** 21:30 in New York in winter (02:30 UTC the next day): after the US window closes at 21:00. */
export const newYorkEveningOf = (date: BusinessDate) => `${addDays(date, 1)}T02:30:00Z`;

export interface WorkbenchCase {
  caseId: string;
  loanId: string;
  borrowerId: string;
  /** The last business date end of day ran for. */
  lastDay: BusinessDate;
}

/**
 * A US borrower (New York) whose USD loan missed its first instalment and has run end of day and
 * collections until the case has call tasks (5 days past due), assigned to `agentId`. The server's
 * clock is left at 10:00 New York time on the last day.
 *
 * @example const { caseId } = await lateUsCase(handle, server, agent.id)
 */
export async function lateUsCase(handle: DatabaseHandle, server: TestServer, agentId: string, overrides: { fullName?: string; phone?: string } = {}): Promise<WorkbenchCase> {
  const { ids, clock } = server.dependencies;
  const product = await createProduct(handle.db, ids, personalLoanProduct({ name: 'US personal loan', terms: { currency: 'USD', annualRate: '18', numberOfRepayments: 12, roundingMode: 'half-even' }, principalRange: { min: '1000.00', max: '50000.00' }, rateCap: '36' }), WORKBENCH_START);
  const borrower = await createBorrower(handle.db, ids, {
    fullName: overrides.fullName ?? 'Jordan Avery', nationalId: '123-45-6789', jurisdiction: 'US', language: 'en', timeZone: 'America/New_York',
    phones: [{ number: overrides.phone ?? '+12125550147', kind: 'mobile' }], emails: [{ address: 'jordan.avery@example.com' }],
    addresses: [{ line1: '221 West 57th Street', line2: 'Apt 12B', city: 'New York', region: 'NY', postalCode: '10019', country: 'US', timeZone: 'America/New_York' }],
  });
  const dependencies = { db: handle.db, ids };
  const loan = await createLoan(dependencies, { borrowerId: borrower.id, productId: product.id, principal: '6000.00' }, WORKBENCH_START);
  await approveLoan(dependencies, loan.id, WORKBENCH_START);
  await disburseLoan(dependencies, loan.id, { businessDate: WORKBENCH_START, idempotencyKey: `disburse-${loan.id}` });
  const firstDue = (await loadInstallments(handle.db, loan.id))[0]!.dueDate as BusinessDate;
  const lastDay = addDays(firstDue, 5);
  const eod = endOfDayDependencies(handle, ids);
  for (let date = WORKBENCH_START; date <= lastDay; date = addDays(date, 1)) {
    await runEndOfDay(eod, date);
    clock.set(newYorkMorningOf(date));
    await runCollections(handle.db, ids, clock, date);
  }
  const row = await handle.db.selectFrom('collection_case').select('id').where('loan_id', '=', loan.id).executeTakeFirstOrThrow();
  await assignCase({ db: handle.db, ids, clock }, row.id, lastDay, { agentId });
  clock.set(newYorkMorningOf(lastDay));
  return { caseId: row.id, loanId: loan.id, borrowerId: borrower.id, lastDay };
}
