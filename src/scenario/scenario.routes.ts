import type { FastifyPluginAsync } from 'fastify';
import type { RouteModule } from '../http/routes.ts';
import { PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { runScenario } from './scenario.service.ts';

const MONEY = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' } as const;

/**
 * Documents the contract for OpenAPI; validation itself is the scenario parser, which names the
 * product, loan or step field of every error (`steps.3.pay.amount`).
 */
const SCENARIO_SCHEMA = {
  type: 'object',
  description: 'A scenario (see the `lenity scenario run` contract); unknown fields are refused',
  properties: {
    product: { type: 'object', description: 'schedule terms without principal and dates, plus allocation, agingGraceDays, delinquencyRanges, downPaymentPercent' },
    loan: { type: 'object', properties: { principal: { type: 'string' }, disbursementDate: { type: 'string', format: 'date' }, firstRepaymentDate: { type: ['string', 'null'] } } },
    steps: { type: 'array', maxItems: 1000, items: { type: 'object', description: 'on, and one of charge, pay, reverse, eod, pause, resume, snapshot' } },
  },
} as const;

const RESULT_SCHEMA = {
  type: 'object',
  properties: {
    currency: { type: 'string' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          step: { type: 'integer' },
          payment: { type: 'object', properties: { principal: MONEY, interest: MONEY, fees: MONEY, penalties: MONEY, overpayment: MONEY } },
          snapshot: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

/**
 * `POST /v1/scenarios/run`: runs a scenario on a fresh in-memory database and returns what the
 * servicing core did at each step; nothing is left behind.
 *
 * @example curl -H 'Authorization: Bearer …' -d @docs/scenarios/us-late-payment.json localhost:3000/v1/scenarios/run
 */
export const scenarioRoutes: RouteModule = () => {
  const plugin: FastifyPluginAsync = async (app) => {
    app.post('/scenarios/run', {
      config: { permission: 'scenarios:run' },
      schema: {
        summary: 'Run a loan scenario',
        tags: ['scenarios'],
        body: SCENARIO_SCHEMA,
        response: { 200: RESULT_SCHEMA, 400: PROBLEM_SCHEMA, 409: PROBLEM_SCHEMA, 422: PROBLEM_SCHEMA },
      },
    }, async (request) => runScenario(request.body));
  };
  return plugin;
};
