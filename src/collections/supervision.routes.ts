import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerDependencies } from '../http/dependencies.ts';
import { lenderTimeZone } from '../http/dependencies.ts';
import { roleHasPermission } from '../http/permissions.ts';
import { principalOf, PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { type BusinessDate, parseBusinessDate } from '../shared/business-date.ts';
import type { CaseViewer } from './case-work.service.ts';
import {
  agentActivityReport, cureRateReport, delinquencyByBucket, listOpenCases, listVisits, promiseReport, rollRateReport, rosterReport, VISIT_STATUSES,
} from './reports.service.ts';

const OBJECT = { type: 'object', additionalProperties: true } as const;
const ERRORS = { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA, 404: PROBLEM_SCHEMA } as const;
const RANGE = {
  type: 'object',
  properties: { from: { type: 'string', format: 'date', description: 'First business date (inclusive)' }, to: { type: 'string', format: 'date', description: 'Last business date (inclusive); at most 366 days after from' } },
  required: ['from', 'to'], additionalProperties: false,
} as const;

function viewerOf(request: FastifyRequest): CaseViewer {
  const principal = principalOf(request);
  return { agentId: principal.keyId, supervisor: true, unmasked: roleHasPermission(principal.role, 'borrowers:read-unmasked') };
}

function rangeOf(request: FastifyRequest): { from: BusinessDate; to: BusinessDate } {
  const query = request.query as { from: string; to: string };
  return { from: parseBusinessDate(query.from, 'from'), to: parseBusinessDate(query.to, 'to') };
}

/**
 * The supervisors' reads under `/v1/collections`: the dashboard reports (delinquency by bucket over
 * time, roll rates, cure rates, promises, agent activity), open cases with their agent, visits by
 * status and the roster with certification status. All need `collections:supervise`; none changes anything.
 */
export function registerSupervisionRoutes(app: FastifyInstance, dependencies: ServerDependencies): void {
  const { handle } = dependencies;
  const report = (route: string, summary: string, run: (range: { from: BusinessDate; to: BusinessDate }) => Promise<unknown>) => {
    app.get(route, { config: { permission: 'collections:supervise' }, schema: { summary, tags: ['collections'], querystring: RANGE, response: { 200: OBJECT, ...ERRORS } } },
      async (request) => run(rangeOf(request)));
  };
  report('/collections/reports/delinquency', 'Loans and outstanding per bucket for each closed business date, per jurisdiction and currency (the daily portfolio snapshot)',
    ({ from, to }) => delinquencyByBucket(handle.db, from, to));
  report('/collections/reports/roll-rates', 'Roll rates per month: of the loans that left a bucket, the share that moved to each bucket (from loan.bucket_changed)',
    ({ from, to }) => rollRateReport(handle.db, from, to));
  report('/collections/reports/cure-rates', 'Cure rate per monthly cohort: loans that became delinquent in the month and how many were cured by the end of the range',
    ({ from, to }) => cureRateReport(handle.db, from, to));
  report('/collections/reports/promises', 'Promises to pay made per month by outcome, with the kept rate (kept ÷ judged)',
    ({ from, to }) => promiseReport(handle.db, from, to));
  report('/collections/reports/agent-activity', 'Attempts, right-party contacts and promises per agent per business date',
    ({ from, to }) => agentActivityReport(handle.db, from, to, lenderTimeZone(dependencies)));

  app.get('/collections/cases', {
    config: { permission: 'collections:supervise' },
    schema: {
      summary: 'Open cases with their agent, most days past due first (at most 500); personal data masked unless the role may see it', tags: ['collections'],
      querystring: {
        type: 'object',
        properties: {
          assignment: { type: 'string', enum: ['all', 'unassigned', 'assigned'], default: 'all' }, agentId: { type: 'string', minLength: 1, maxLength: 200 },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 200 },
        },
        additionalProperties: false,
      },
      response: { 200: OBJECT, ...ERRORS },
    },
  }, async (request) => {
    const query = request.query as { assignment: 'all' | 'unassigned' | 'assigned'; agentId?: string; limit: number };
    const unassigned = query.assignment === 'all' ? undefined : query.assignment === 'unassigned';
    return listOpenCases(handle.db, viewerOf(request), { ...(unassigned === undefined ? {} : { unassigned }), ...(query.agentId ? { agentId: query.agentId } : {}), limit: query.limit });
  });
  app.get('/collections/visits', {
    config: { permission: 'collections:supervise' },
    schema: {
      summary: 'Field visits in a status, oldest request first (requested: waiting for a supervisor)', tags: ['collections'],
      querystring: { type: 'object', properties: { status: { type: 'string', enum: [...VISIT_STATUSES], default: 'requested' } }, additionalProperties: false },
      response: { 200: OBJECT, ...ERRORS },
    },
  }, async (request) => listVisits(handle.db, viewerOf(request), (request.query as { status: string }).status));
  app.get('/collections/roster', {
    config: { permission: 'collections:supervise' },
    schema: { summary: 'The collector roster with open cases, capacity and certification status on the current business date', tags: ['collections'], response: { 200: OBJECT, ...ERRORS } },
  }, async () => rosterReport(handle.db, dependencies.businessDate()));
}
