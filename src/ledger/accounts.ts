/**
 * The chart of accounts. Receivables are kept per loan (a journal line names its loan), so a loan's
 * balances can be proven equal to its ledger accounts.
 *
 * Normal balances: assets and expenses are debits, income and liabilities are credits.
 */
export const ACCOUNTS = {
  'settlement-cash': { kind: 'asset', name: 'Settlement cash' },
  'principal-receivable': { kind: 'asset', name: 'Principal receivable' },
  'interest-receivable': { kind: 'asset', name: 'Interest receivable' },
  'fee-receivable': { kind: 'asset', name: 'Fee receivable' },
  'penalty-receivable': { kind: 'asset', name: 'Penalty receivable' },
  'interest-income': { kind: 'income', name: 'Interest income' },
  'fee-income': { kind: 'income', name: 'Fee income' },
  'penalty-income': { kind: 'income', name: 'Penalty income' },
  'write-off-expense': { kind: 'expense', name: 'Write-off expense' },
  // A charged-off loan stays collectible: its receivables stay on the loan and this contra-asset
  // nets them to zero; what is recovered later releases it into recovery income.
  'charge-off-allowance': { kind: 'asset', name: 'Charge-off allowance (contra-asset)' },
  'recovery-income': { kind: 'income', name: 'Recovery income' },
  'overpayment-liability': { kind: 'liability', name: 'Overpayment liability' },
} as const;

export type AccountCode = keyof typeof ACCOUNTS;

export const ACCOUNT_CODES = Object.keys(ACCOUNTS) as AccountCode[];
