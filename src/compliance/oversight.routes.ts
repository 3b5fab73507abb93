import { ID_PARAMS, principalOf, PROBLEM_SCHEMA } from '../http/request-helpers.ts';
import { lenderTimeZone } from '../http/dependencies.ts';
import type { RouteModule } from '../http/routes.ts';
import { addOverlay, countDenialsAndWarnings, getReceipt, listOverlays, RECEIPT_DECISIONS, type ReceiptQuery, searchReceipts } from './oversight.service.ts';
import { CHANNELS, PACK_IDS } from './policy-pack.ts';
import { selectEvidenceExports } from './receipt.store.ts';

const ERRORS = { 400: PROBLEM_SCHEMA, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA, 404: PROBLEM_SCHEMA, 409: PROBLEM_SCHEMA } as const;
const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const OBJECT = { type: 'object', additionalProperties: true } as const;

const RECEIPT_QUERY = {
  type: 'object',
  properties: {
    borrowerId: { type: 'string', maxLength: 100 },
    agentId: { type: 'string', maxLength: 100, description: 'The agent (user or key id) who asked for the attempt' },
    rule: { type: 'string', maxLength: 64, description: 'A pack rule id among the reasons or warnings, e.g. "US-01"' },
    decision: { type: 'string', enum: [...RECEIPT_DECISIONS], description: 'defer: refused until a later instant (allowAfter); deny: refused without one' },
    channel: { type: 'string', enum: [...CHANNELS] },
    from: { ...DATE, description: "First day of the attempts, in the lender's time zone" },
    to: { ...DATE, description: "Last day of the attempts, inclusive, in the lender's time zone" },
    cursor: { type: 'string', maxLength: 200, description: 'The `next` of the previous page' },
    limit: { type: 'string', pattern: '^\\d{1,3}$', description: '1 to 200, default 50' },
  },
  additionalProperties: false,
} as const;

/**
 * The compliance console's reads (`compliance:read`): stored gate receipts searched, one receipt in
 * full, refusals and warnings counted per rule and channel; and the lender's policy overlays (listed
 * with `compliance:read`, added with `admin:policies`).
 */
export const oversightRoutes: RouteModule = (dependencies) => {
  const { handle } = dependencies;
  // Days asked for are the lender's days.
  const timeZone = lenderTimeZone(dependencies);
  return async (app) => {
    app.get('/compliance/receipts', {
      config: { permission: 'compliance:read' },
      schema: { summary: 'Search stored gate receipts by borrower, agent, rule, decision, channel and period, newest first, cursor-paged', tags: ['compliance'], querystring: RECEIPT_QUERY, response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => searchReceipts(handle.db, request.query as ReceiptQuery, timeZone));

    app.get('/compliance/receipts/:id', {
      config: { permission: 'compliance:read' },
      schema: { summary: "One receipt: the pack and version that decided, reasons, warnings and the gate's inputs", tags: ['compliance'], params: ID_PARAMS, response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => getReceipt(handle.db, (request.params as { id: string }).id));

    app.get('/compliance/rule-counts', {
      config: { permission: 'compliance:read' },
      schema: {
        summary: 'Refusals and warnings per rule and channel over a period (default the last 30 days)',
        tags: ['compliance'],
        querystring: { type: 'object', properties: { from: DATE, to: DATE }, additionalProperties: false },
        response: { 200: OBJECT, ...ERRORS },
      },
    }, async (request) => countDenialsAndWarnings(handle.db, dependencies.businessDate(), request.query as { from?: string; to?: string }, timeZone));

    app.get('/compliance/evidence-exports', {
      config: { permission: 'compliance:read' },
      schema: { summary: 'Evidence packs exported, newest first: who, for whom, which period, how many records', tags: ['compliance'], response: { 200: OBJECT, ...ERRORS } },
    }, async () => ({
      items: (await selectEvidenceExports(handle.db, 200)).map((row) => ({ ...row, exportedAt: row.exportedAt.toISOString() })),
    }));

    app.get('/compliance/overlays', {
      config: { permission: 'compliance:read' },
      schema: { summary: "The lender's policy overlays, newest first", tags: ['compliance'], querystring: { type: 'object', properties: { pack: { type: 'string', enum: [...PACK_IDS] } }, additionalProperties: false }, response: { 200: OBJECT, ...ERRORS } },
    }, async (request) => listOverlays(handle.db, (request.query as { pack?: string }).pack));

    app.post('/compliance/overlays', {
      config: { permission: 'admin:policies' },
      schema: {
        summary: 'Add a policy overlay for a pack; one that would loosen the law is refused naming the rule (`rule` in the problem)',
        tags: ['compliance'],
        body: OBJECT,
        response: { 201: OBJECT, ...ERRORS },
      },
    }, async (request, reply) => {
      const created = await addOverlay({ db: handle.db, ids: dependencies.ids, clock: dependencies.clock }, principalOf(request).keyId, request.body);
      return reply.status(201).send(created);
    });
  };
};
