import type { Selectable } from 'kysely';
import type { CurrencyCode } from '../shared/currency.ts';
import { formatMoney } from '../shared/money.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { daysBetween } from '../shared/business-date.ts';
import type { Allocation } from './allocation.ts';
import { installmentDue, installmentOutstanding, installmentPaid, type InstallmentState } from './loan-state.ts';
import type { LendingTables } from './lending.tables.ts';
import type { LoanRow } from './loan.store.ts';
import type { PayoffQuote } from './servicing.ts';

/** API views: money as decimal strings with the currency's digits. */
export function formatAllocation(allocation: Allocation, currency: CurrencyCode) {
  return {
    principal: formatMoney(allocation.principalMinor, currency),
    interest: formatMoney(allocation.interestMinor, currency),
    fees: formatMoney(allocation.feeMinor, currency),
    penalties: formatMoney(allocation.penaltyMinor, currency),
    overpayment: formatMoney(allocation.overpaymentMinor, currency),
  };
}

export function formatTransaction(row: Selectable<LendingTables['loan_transaction']>, currency: CurrencyCode) {
  return {
    id: row.id,
    loanId: row.loan_id,
    kind: row.kind,
    date: row.value_date,
    bookedOn: row.booked_on,
    amount: formatMoney(row.amount_minor, currency),
    allocation: formatAllocation(
      { principalMinor: row.principal_minor, interestMinor: row.interest_minor, feeMinor: row.fee_minor, penaltyMinor: row.penalty_minor, overpaymentMinor: row.overpayment_minor },
      currency,
    ),
    reversedOn: row.reversed_on,
    note: row.note,
  };
}

export function formatInstallment(installment: InstallmentState, currency: CurrencyCode) {
  const money = (value: bigint) => formatMoney(value, currency);
  return {
    number: installment.number,
    fromDate: installment.fromDate,
    dueDate: installment.dueDate,
    principal: money(installment.principalMinor),
    interest: money(installment.interestMinor),
    fees: money(installment.feeMinor - installment.feeWaivedMinor),
    penalties: money(installment.penaltyMinor - installment.penaltyWaivedMinor),
    total: money(installmentDue(installment)),
    paid: money(installmentPaid(installment)),
    outstanding: money(installmentOutstanding(installment)),
    completedOn: installment.completedOn,
  };
}

export function formatPayoffQuote(quote: PayoffQuote, currency: CurrencyCode) {
  const money = (value: bigint) => formatMoney(value, currency);
  return {
    date: quote.date,
    principal: money(quote.principalMinor),
    interest: money(quote.interestMinor),
    fees: money(quote.feeMinor),
    penalties: money(quote.penaltyMinor),
    total: money(quote.totalMinor),
  };
}

export function formatLoanSummary(loan: LoanRow, businessDate: BusinessDate) {
  const currency = loan.currency as CurrencyCode;
  const money = (value: bigint) => formatMoney(value, currency);
  const pastDueDays = loan.oldest_unpaid_due_date && loan.oldest_unpaid_due_date < businessDate
    ? daysBetween(loan.oldest_unpaid_due_date as BusinessDate, businessDate)
    : 0;
  return {
    id: loan.id,
    borrowerId: loan.borrower_id,
    productId: loan.product_id,
    currency,
    principal: money(loan.principal_minor),
    status: loan.status,
    apr: loan.apr,
    submittedOn: loan.submitted_on,
    approvedOn: loan.approved_on,
    disbursedOn: loan.disbursed_on,
    closedOn: loan.closed_on,
    writtenOffOn: loan.written_off_on,
    outstanding: {
      principal: money(loan.principal_outstanding_minor),
      interest: money(loan.interest_outstanding_minor),
      fees: money(loan.fee_outstanding_minor),
      penalties: money(loan.penalty_outstanding_minor),
      total: money(loan.principal_outstanding_minor + loan.interest_outstanding_minor + loan.fee_outstanding_minor + loan.penalty_outstanding_minor),
    },
    overpayment: money(loan.overpayment_minor),
    oldestUnpaidDueDate: loan.oldest_unpaid_due_date,
    pastDueDays,
  };
}
