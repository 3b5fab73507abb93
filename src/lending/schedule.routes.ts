import type { FastifyPluginAsync } from 'fastify';
import type { RouteModule } from '../http/routes.ts';
import { parseScheduleTerms } from './schedule-terms.ts';
import { formatSchedule, generateSchedule } from './schedule.ts';

const MONEY = { type: 'string', pattern: '^\\d+(\\.\\d+)?$' } as const;

/**
 * Documents the contract for OpenAPI; validation itself is the terms parser, which names the field
 * of every error with the contract's codes (UNKNOWN_FIELD, INVALID_AMOUNT, INVALID_DATE…).
 */
const TERMS_SCHEMA = {
  type: 'object',
  description: 'Loan terms (see the `lenity schedule` contract); unknown fields are refused',
  properties: {
    principal: { type: 'string', description: 'decimal string, the currency digits at most' },
    currency: { type: 'string', description: 'ISO 4217 code' },
    annualRate: { type: 'string', description: 'nominal annual rate, percent' },
    interestMethod: { type: 'string', enum: ['declining-balance', 'flat'] },
    amortization: { type: 'string', enum: ['equal-installments', 'equal-principal'] },
    interestCalculation: { type: 'string', enum: ['per-period', 'daily'] },
    emi: { type: 'string', enum: ['nominal', 'actual-days'] },
    daysInYear: { description: '360 | 364 | 365 | "actual"' },
    daysInMonth: { description: '30 | "actual"' },
    repaymentEvery: { type: 'integer' },
    repaymentUnit: { type: 'string', enum: ['days', 'weeks', 'months'] },
    numberOfRepayments: { type: 'integer' },
    disbursementDate: { type: 'string', format: 'date' },
    firstRepaymentDate: { type: ['string', 'null'] },
    installmentMultipleOf: { type: ['string', 'null'] },
    roundingMode: { type: 'string', enum: ['half-even', 'half-up', 'down', 'up'] },
    graceOnPrincipalPeriods: { type: 'integer' },
    graceOnInterestPaymentPeriods: { type: 'integer' },
  },
} as const;

const INSTALLMENT_SCHEMA = {
  type: 'object',
  properties: {
    number: { type: 'integer' }, dueDate: { type: 'string' }, days: { type: 'integer' }, principal: MONEY, interest: MONEY,
    total: MONEY, balance: MONEY,
  },
} as const;

const SCHEDULE_SCHEMA = {
  type: 'object',
  properties: {
    currency: { type: 'string' },
    installments: { type: 'array', items: INSTALLMENT_SCHEMA },
    totals: { type: 'object', properties: { principal: MONEY, interest: MONEY, total: MONEY } },
    apr: { type: 'string' },
    effectiveRate: { type: 'string' },
  },
} as const;

/**
 * `POST /v1/schedules/preview`: the schedule of loan terms, without creating anything.
 *
 * @example curl -H 'Authorization: Bearer …' -d @terms.json localhost:3000/v1/schedules/preview
 */
export const scheduleRoutes: RouteModule = () => {
  const plugin: FastifyPluginAsync = async (app) => {
    app.post('/schedules/preview', {
      config: { permission: 'schedules:preview' },
      schema: { summary: 'Preview a repayment schedule', tags: ['schedules'], body: TERMS_SCHEMA, response: { 200: SCHEDULE_SCHEMA } },
    }, async (request) => {
      const terms = parseScheduleTerms(request.body);
      return formatSchedule(generateSchedule(terms), terms.currency);
    });
  };
  return plugin;
};
