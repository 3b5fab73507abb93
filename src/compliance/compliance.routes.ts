import { Type } from 'typebox';
import type { RouteModule } from '../http/routes.ts';
import { parseContactRequest } from './contact-request.ts';
import { evaluateContact } from './evaluate-contact.ts';
import { REASON_CODES } from './policy-pack.ts';

const ReasonSchema = Type.Object({
  code: Type.String({ description: `One of ${REASON_CODES.join(', ')} (warnings have their own codes)` }),
  rule: Type.String({ description: 'The pack rule id, e.g. "US-01"' }),
  message: Type.String(),
});

const DecisionSchema = Type.Object({
  decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  reasons: Type.Array(ReasonSchema),
  warnings: Type.Array(ReasonSchema),
  allowAfter: Type.Union([Type.String({ description: 'RFC 3339 UTC, when every reason is time-based' }), Type.Null()]),
  policy: Type.String({ description: 'The pack and version that decided, e.g. "US@2026.11"' }),
});

/**
 * `POST /v1/compliance/evaluate`: the contact gate over HTTP (compliance-check.md). The body is read
 * by `parseContactRequest`, so errors name the field exactly as the CLI does.
 */
export const complianceRoutes: RouteModule = () => async (app) => {
  app.post(
    '/compliance/evaluate',
    {
      config: { permission: 'compliance:evaluate' },
      schema: {
        summary: 'Decide whether a proposed contact attempt is allowed',
        tags: ['compliance'],
        body: Type.Object({}, { additionalProperties: true, description: 'A contact request as in compliance-check.md' }),
        response: { 200: DecisionSchema },
      },
    },
    async (request) => evaluateContact(parseContactRequest(request.body)),
  );
};
