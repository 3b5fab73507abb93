import { HARDSHIP_DECISIONS } from './hardship.service.ts';
import { PLAN_KINDS } from './plan.ts';

/** OpenAPI schemas of hardship requests. Money is a decimal string in the loan's currency. */

const MONEY = { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'Decimal amount in the loan\'s currency, e.g. "1234.50"' } as const;

export const PLAN = {
  type: 'object',
  description: 'deferral: nothing due for `months` months (at most 6); extension: `months` more installments (at most 24); reduced-payments: interest only for `months` installments (at most 12), the term growing by as many',
  properties: { kind: { type: 'string', enum: [...PLAN_KINDS] }, months: { type: 'integer', minimum: 1, maximum: 24 } },
  required: ['kind', 'months'],
  additionalProperties: false,
} as const;

export const HARDSHIP_REQUEST_BODY = {
  type: 'object',
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: 2000, description: 'Why the borrower cannot pay as agreed' },
    income: { ...MONEY, description: 'Monthly income, for the affordability check' },
    expenses: { ...MONEY, description: 'Monthly essential expenses, for the affordability check' },
    plan: PLAN,
  },
  required: ['reason', 'income', 'expenses', 'plan'],
  additionalProperties: false,
} as const;

export const HARDSHIP_DECISION_BODY = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: [...HARDSHIP_DECISIONS] },
    reason: { type: 'string', minLength: 1, maxLength: 2000, description: 'Told to the borrower' },
  },
  required: ['decision', 'reason'],
  additionalProperties: false,
} as const;

export const PROPOSAL = {
  type: 'object',
  description: 'The schedule the plan gives the loan from `startsOn`, and the affordability verdict',
  properties: {
    startsOn: { type: 'string', format: 'date' },
    installments: {
      type: 'array',
      items: {
        type: 'object',
        properties: { number: { type: 'integer' }, fromDate: { type: 'string', format: 'date' }, dueDate: { type: 'string', format: 'date' }, principal: MONEY, interest: MONEY, total: MONEY },
      },
    },
    principalOwed: { ...MONEY, description: 'Unchanged by any plan' },
    arrears: { ...MONEY, description: 'Interest already due, fees and penalties: owed with the first payment' },
    dueWithoutPlan: { ...MONEY, description: 'What is overdue plus the next installment, without a plan' },
    firstPayment: MONEY,
    largestPayment: MONEY,
    totalInterest: MONEY,
    affordability: {
      type: 'object',
      properties: { verdict: { type: 'string', enum: ['affordable', 'unaffordable'] }, disposable: { ...MONEY, description: 'Income less expenses' }, largestPayment: MONEY },
    },
  },
} as const;

export const PREVIEW = {
  type: 'object',
  properties: { loanId: { type: 'string' }, currency: { type: 'string' }, plan: PLAN, proposal: PROPOSAL },
} as const;

export const HARDSHIP_REQUEST = {
  type: 'object',
  properties: {
    id: { type: 'string' }, borrowerId: { type: 'string' }, loanId: { type: 'string' }, caseId: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['requested', 'approved', 'declined'] }, reason: { type: 'string' }, currency: { type: 'string' },
    income: MONEY, expenses: MONEY, plan: PLAN, proposal: PROPOSAL, requestedBy: { type: 'string' }, requestedOn: { type: 'string', format: 'date' },
    ageingPaused: { type: 'boolean' }, decidedBy: { type: ['string', 'null'] }, decidedOn: { type: ['string', 'null'] }, decisionReason: { type: ['string', 'null'] },
    rescheduleId: { type: ['string', 'null'], description: 'The loan transaction of the reschedule an approval made' },
  },
} as const;
