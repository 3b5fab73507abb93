import { PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { lenderTimeZone } from '../http/dependencies.ts';
import type { RouteModule } from '../http/routes.ts';
import { type PersonalDataAccessQuery, searchPersonalDataAccess } from './personal-data-access.service.ts';

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/** `GET /v1/personal-data-access`: the unmasking audit for compliance officers (`compliance:read`). */
export const personalDataAccessRoutes: RouteModule = (dependencies) => async (app) => {
  app.get('/personal-data-access', {
    config: { permission: 'compliance:read' },
    schema: {
      summary: 'Every unmasked view of personal data (who, whose, when, why), by borrower, user and period, newest first',
      tags: ['borrowers'],
      querystring: {
        type: 'object',
        properties: {
          borrowerId: { type: 'string', maxLength: 100 }, userId: { type: 'string', maxLength: 100 }, from: DATE, to: DATE,
          cursor: { type: 'string', maxLength: 20 }, limit: { type: 'string', pattern: '^\\d{1,3}$' },
        },
        additionalProperties: false,
      },
      response: { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA },
    },
  }, async (request) => searchPersonalDataAccess(dependencies.handle.db, request.query as PersonalDataAccessQuery, lenderTimeZone(dependencies)));
};
