import { Readable } from 'node:stream';
import { lenderTimeZone } from '../http/dependencies.ts';
import { principalOf, PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import type { RouteModule } from '../http/routes.ts';
import { listCertifications } from './certification-report.service.ts';
import { EVIDENCE_FORMATS, type EvidenceRequest, exportEvidencePack } from './evidence.service.ts';

const ERRORS = { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA } as const;
const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
/**
 * What compliance officers read across collections: the evidence pack for a regulator (a CSV or
 * JSON download, audited) and collectors' certifications.
 */
export const evidenceRoutes: RouteModule = (dependencies) => {
  const { handle } = dependencies;
  return async (app) => {
    app.get('/compliance/evidence-pack', {
      config: { permission: 'compliance:read' },
      schema: {
        summary: 'Download the evidence pack for a borrower or a period (receipts, contact attempts, messages, complaints, unmasking log) as CSV or JSON; the export is recorded',
        tags: ['compliance'],
        querystring: {
          type: 'object',
          properties: { borrowerId: { type: 'string', maxLength: 100 }, from: DATE, to: DATE, format: { type: 'string', enum: [...EVIDENCE_FORMATS], description: 'Default json' } },
          additionalProperties: false,
        },
        response: ERRORS,
      },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const pack = await exportEvidencePack({ db: handle.db, ids: dependencies.ids, clock: dependencies.clock, timeZone: lenderTimeZone(dependencies) }, { keyId: principal.keyId, role: principal.role }, request.query as EvidenceRequest);
      void reply.header('content-type', pack.mediaType);
      void reply.header('content-disposition', `attachment; filename="${pack.fileName}"`);
      void reply.header('cache-control', 'no-store');
      return reply.send(Readable.from(pack.lines));
    });

    app.get('/collections/certifications', {
      config: { permission: 'compliance:read' },
      schema: { summary: "Every collector's training records per jurisdiction and channel, flagged expired or expiring within 30 days", tags: ['collections'], response: { 200: { type: 'object', additionalProperties: true }, ...ERRORS } },
    }, async () => listCertifications(handle.db, dependencies.businessDate()));
  };
};
