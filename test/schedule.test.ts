import type { BusinessDate } from '../src/shared/business-date.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type LenityServer } from '../src/http/server.ts';
import { createApiKey } from '../src/http/auth.ts';
import { createIdGenerator } from '../src/shared/ids.ts';
import { createRandom } from '../src/shared/random.ts';
import { createTestClock } from '../src/shared/clock.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { openTestDatabase } from './support/database.ts';

const SHARED_DIRECTORY = process.env.LENITY_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const EXAMPLES_DIRECTORY = path.join(SHARED_DIRECTORY, 'contracts/examples/schedule');
const examples = readdirSync(EXAMPLES_DIRECTORY).filter((name) => name.endsWith('.json')).sort()
  .map((name) => JSON.parse(readFileSync(path.join(EXAMPLES_DIRECTORY, name), 'utf8')));

function pick(output: { installments: Record<string, unknown>[] }) {
  return output.installments.map(({ number, dueDate, principal, interest, total }) => ({ number, dueDate, principal, interest, total }));
}

describe('lenity schedule (spawned)', () => {
  it('answers both examples line by line with --jsonl, and an invalid line with its error', () => {
    const input = [...examples.map((example) => JSON.stringify(example.input)), '{"principal":"1.001","currency":"USD"}'].join('\n');
    const result = spawnSync('node', ['bin/lenity.js', 'schedule', '--jsonl'], { input, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(examples.length + 1);
    examples.forEach((example, index) => expect(pick(lines[index])).toEqual(example.expected.installments));
    expect(lines.at(-1).error.field).toBeDefined();
  });

  it('exits 2 with problem details naming the field', () => {
    const result = spawnSync('node', ['bin/lenity.js', 'schedule'], { input: JSON.stringify({ ...examples[0].input, disbursementDate: '2023-02-30' }), encoding: 'utf8' });
    expect(result.status).toBe(2);
    const problem = JSON.parse(result.stderr);
    expect([problem.code, problem.field]).toEqual(['INVALID_DATE', 'disbursementDate']);
  });
});

describe('POST /v1/schedules/preview', () => {
  let handle: DatabaseHandle;
  let app: LenityServer;
  let key: string;

  beforeAll(async () => {
    handle = await openTestDatabase();
    const clock = createTestClock('2026-03-09T10:00:00Z');
    const random = createRandom(7);
    const ids = createIdGenerator(clock, random);
    app = await buildServer({ handle, clock, ids, random, businessDate: () => '2026-03-09' as BusinessDate });
    ({ key } = await createApiKey(handle.db, ids, { name: 'agent', role: 'agent' }));
  });

  afterAll(async () => {
    await app.close();
    await handle.close();
  });

  it('returns the schedule of each example', async () => {
    for (const example of examples) {
      const response = await app.inject({ method: 'POST', url: '/v1/schedules/preview', headers: { authorization: `Bearer ${key}` }, payload: example.input });
      expect(response.statusCode).toBe(200);
      expect(pick(response.json())).toEqual(example.expected.installments);
    }
  });

  it.each([
    [{ principal: '-5.00' }, 'INVALID_AMOUNT', 'principal'],
    [{ currency: 'XYZ' }, 'UNKNOWN_CURRENCY', 'currency'],
    [{ colour: 'blue' }, 'UNKNOWN_FIELD', 'colour'],
    [{ firstRepaymentDate: '2021-01-01' }, 'INVALID_DATE', 'firstRepaymentDate'],
    [{ daysInYear: 366 }, 'VALIDATION_FAILED', 'daysInYear'],
  ])('refuses %j with %s naming %s', async (change, code, field) => {
    const response = await app.inject({ method: 'POST', url: '/v1/schedules/preview', headers: { authorization: `Bearer ${key}` }, payload: { ...examples[0].input, ...change } });
    expect(response.statusCode).toBe(400);
    expect([response.json().code, response.json().field]).toEqual([code, field]);
  });

  it('needs an API key', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/schedules/preview', payload: examples[0].input });
    expect(response.statusCode).toBe(401);
  });
});
