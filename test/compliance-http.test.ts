import type { BusinessDate } from '../src/shared/business-date.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, DATABASE_KIND } from './support/database.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { buildServer, type LenityServer } from '../src/http/server.ts';
import { createApiKey } from '../src/http/auth.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { createRandom } from '../src/shared/random.ts';
import { createIdGenerator } from '../src/shared/ids.ts';

const SHARED_DIR = process.env.LENITY_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const EXAMPLES_DIR = path.join(SHARED_DIR, 'contracts/examples/compliance');

describe(`POST /v1/compliance/evaluate (${DATABASE_KIND})`, () => {
  let handle: DatabaseHandle;
  let app: LenityServer;
  let agentKey: string;
  let borrowerKey: string;

  beforeAll(async () => {
    handle = await openTestDatabase();
    const clock = createTestClock('2026-03-09T14:30:00Z');
    const random = createRandom(7);
    const ids = createIdGenerator(clock, random);
    app = await buildServer({ handle, clock, ids, random, businessDate: () => '2026-03-09' as BusinessDate });
    agentKey = (await createApiKey(handle.db, ids, { name: 'agent', role: 'agent' })).key;
    borrowerKey = (await createApiKey(handle.db, ids, { name: 'borrower', role: 'borrower', borrowerId: 'brw_1' })).key;
  });
  afterAll(async () => {
    await app.close();
    await handle.close();
  });

  const post = (body: unknown, key: string | null = agentKey) =>
    app.inject({ method: 'POST', url: '/v1/compliance/evaluate', payload: body as object, headers: key ? { authorization: `Bearer ${key}` } : {} });

  it.each(readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json')))('decides %s as the contract expects', async (name) => {
    const example = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, name), 'utf8'));
    const response = await post(example.input);
    expect(response.statusCode).toBe(200);
    const decision = response.json();
    expect(decision.decision).toBe(example.expected.decision);
    expect(decision.reasons.map((reason: { code: string }) => reason.code).sort()).toEqual([...example.expected.codes].sort());
    expect(decision.allowAfter).toBe(example.expected.allowAfter ?? null);
  });

  it('answers 400 with problem details naming the field', async () => {
    const response = await post({ policy: 'US', at: '2026-03-09T14:30:00', attempt: { channel: 'call', debtId: 'A' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'at' });
  });

  it('answers 400 UNKNOWN_FIELD for a field outside the contract', async () => {
    const response = await post({ policy: 'US', at: '2026-03-09T14:30:00Z', attempt: { channel: 'call', debtId: 'A' }, borrower: { mood: 'calm' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'borrower.mood' });
  });

  it('needs an API key and the compliance:evaluate permission', async () => {
    const body = { policy: 'US', at: '2026-03-09T14:30:00Z', attempt: { channel: 'call', debtId: 'A' } };
    expect((await post(body, null)).statusCode).toBe(401);
    expect((await post(body, borrowerKey)).statusCode).toBe(403);
  });
});
