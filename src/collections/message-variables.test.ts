import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { type LenderSignature, type MessageFacts, messageVariables } from './message-variables.ts';

const LATE_US_LOAN: MessageFacts = {
  borrowerName: 'Jordan Avery', loanId: 'loan_1', currency: 'USD' as CurrencyCode, overdueMinor: 53_875n, balanceMinor: 600_000n,
  oldestUnpaidDueDate: '2026-02-05', daysPastDue: 5, businessDate: '2026-02-10' as BusinessDate,
};

describe('messageVariables', () => {
  const cases: Array<[string, MessageFacts, LenderSignature | undefined, Partial<Record<string, string>>]> = [
    ['speaks of the overdue amount in the loan\'s currency', LATE_US_LOAN, undefined,
      { name: 'Jordan Avery', amount: 'USD 538.75', dueDate: '2026-02-05', daysPastDue: '5', loanReference: 'loan_1', asOfDate: '2026-02-10' }],
    ['signs as Lenity with no call-back number by default', LATE_US_LOAN, undefined, { lender: 'Lenity', phone: '' }],
    ['signs with the configured lender name and phone', LATE_US_LOAN, { lenderName: 'Acme Credit', lenderPhone: '+1 800 555 0100' }, { lender: 'Acme Credit', phone: '+1 800 555 0100' }],
    ['speaks of the balance when nothing has fallen due yet', { ...LATE_US_LOAN, overdueMinor: null, oldestUnpaidDueDate: null, daysPastDue: 0 }, undefined,
      { amount: 'USD 6000.00', dueDate: '2026-02-10', daysPastDue: '0' }],
    ['keeps a zero overdue amount rather than the balance', { ...LATE_US_LOAN, overdueMinor: 0n }, undefined, { amount: 'USD 0.00' }],
    ['formats a currency without minor units', { ...LATE_US_LOAN, currency: 'JPY' as CurrencyCode, overdueMinor: 12_000n }, undefined, { amount: 'JPY 12000' }],
    ['announces a visit a week ahead, across a month end', { ...LATE_US_LOAN, businessDate: '2026-02-26' as BusinessDate }, undefined, { visitDate: '2026-03-05', asOfDate: '2026-02-26' }],
  ];

  it.each(cases)('%s', (_, facts, lender, expected) => {
    expect(messageVariables(facts, lender)).toMatchObject(expected);
  });

  it('gives every variable the shipped templates use', () => {
    expect(Object.keys(messageVariables(LATE_US_LOAN)).sort()).toEqual(
      ['amount', 'asOfDate', 'daysPastDue', 'dueDate', 'lender', 'loanReference', 'name', 'phone', 'unsubscribeUrl', 'visitDate'],
    );
  });
});
