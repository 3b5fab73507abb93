import { addDays, type BusinessDate } from '../shared/business-date.ts';
import type { CurrencyCode } from '../shared/currency.ts';
import { formatMoney } from '../shared/money.ts';

/** Signed into messages: the lender's name and the number borrowers call back (`LENITY_LENDER_NAME`, `LENITY_LENDER_PHONE`). */
export interface LenderSignature {
  lenderName?: string;
  lenderPhone?: string;
}

/** What a collections message says about a case on a business date. */
export interface MessageFacts {
  borrowerName: string;
  loanId: string;
  currency: CurrencyCode;
  /** What is due and unpaid on the business date; null when no instalment has fallen due yet. */
  overdueMinor: bigint | null;
  /** The outstanding balance, spoken of when nothing is overdue. */
  balanceMinor: bigint;
  oldestUnpaidDueDate: string | null;
  daysPastDue: number;
  businessDate: BusinessDate;
}

export const DEFAULT_LENDER_NAME = 'Lenity';
const UNSUBSCRIBE_URL = 'https://lenity.example/unsubscribe';
/** A field-visit notice announces the visit a week ahead, so the borrower can move it or call instead. */
const VISIT_NOTICE_DAYS = 7;

/**
 * The `{{variables}}` every collections template may use, for one case on one business date: the
 * daily run and a collector sending by hand render the same words from the same facts.
 *
 * @example messageVariables({ borrowerName: 'Jordan Avery', loanId: 'loan_1', currency: 'USD', overdueMinor: 53_875n, balanceMinor: 600_000n, oldestUnpaidDueDate: '2026-02-05', daysPastDue: 5, businessDate: '2026-02-10' }).amount // "USD 538.75"
 */
export function messageVariables(facts: MessageFacts, lender: LenderSignature = {}): Record<string, string> {
  return {
    lender: lender.lenderName ?? DEFAULT_LENDER_NAME,
    name: facts.borrowerName,
    amount: `${facts.currency} ${formatMoney(facts.overdueMinor ?? facts.balanceMinor, facts.currency)}`,
    dueDate: facts.oldestUnpaidDueDate ?? facts.businessDate,
    phone: lender.lenderPhone ?? '',
    daysPastDue: String(facts.daysPastDue),
    unsubscribeUrl: UNSUBSCRIBE_URL,
    loanReference: facts.loanId,
    asOfDate: facts.businessDate,
    visitDate: addDays(facts.businessDate, VISIT_NOTICE_DAYS),
  };
}
