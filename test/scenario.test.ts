import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScenarioRunner, runScenario, type ScenarioRunner } from '../src/scenario/scenario.service.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { openTestDatabase } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { FINERACT_SCENARIOS } from './scenario-fineract.ts';

// Starting an in-memory database takes seconds on a busy machine; scenarios share one runner.
const SLOW = 300_000;

interface ScenarioExample {
  input: Record<string, unknown>;
  expected: { results: Array<Record<string, unknown>> };
}

const sharedDirectory = process.env.LENITY_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const examplesDirectory = path.join(sharedDirectory, 'contracts/examples/scenario');
const docsDirectory = path.resolve(process.cwd(), 'docs/scenarios');

function readExamples(directory: string): Array<{ name: string; example: ScenarioExample }> {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, example: JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as ScenarioExample }));
}

/** Compares only the fields the expectation gives, so examples stay short. */
function expectResults(actual: { results: Array<Record<string, unknown>> }, expected: ScenarioExample['expected']): void {
  for (const want of expected.results) {
    const got = actual.results.find((result) => result.step === want.step && Object.keys(want).every((key) => key in result));
    expect(got, `result of step ${String(want.step)}`).toBeDefined();
    expect(got).toMatchObject(want);
  }
}

function runCli(args: string[], input: string) {
  return spawnSync(process.execPath, ['bin/lenity.js', ...args], { input, encoding: 'utf8', cwd: process.cwd(), timeout: SLOW });
}

describe('lenity scenario run (spawned)', () => {
  const examples = readExamples(examplesDirectory);

  it('runs the public examples as a --jsonl batch on one database', { timeout: SLOW }, () => {
    const result = runCli(['scenario', 'run', '--jsonl'], examples.map(({ example }) => JSON.stringify(example.input)).join('\n'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(examples.length);
    examples.forEach(({ example }, index) => expectResults(lines[index], example.expected));
  });

  it('runs one scenario from standard input', { timeout: SLOW }, () => {
    const { example } = examples.find(({ name }) => name.startsWith('overdue-payment-fee-first'))!;
    const result = runCli(['scenario', 'run'], JSON.stringify(example.input));
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.currency).toBe('EUR');
    expectResults(output, example.expected);
  });

  it('exits 2 with problem details naming the step and field', { timeout: SLOW }, () => {
    const input = structuredClone(examples[0]!.example.input) as { steps: Array<Record<string, unknown>> };
    input.steps.push({ on: '2023-12-01', pay: { amount: '12.345' } });
    const result = runCli(['scenario', 'run'], JSON.stringify(input));
    expect(result.status).toBe(2);
    const problem = JSON.parse(result.stderr);
    expect(problem.code).toBe('INVALID_AMOUNT');
    expect(problem.field).toBe(`steps.${input.steps.length}.pay.amount`);
  });
});

describe('scenarios', () => {
  let runner: ScenarioRunner;
  beforeAll(() => {
    runner = createScenarioRunner();
  });
  afterAll(async () => runner.close());

  describe('derived from Fineract acceptance features', () => {
    for (const scenario of FINERACT_SCENARIOS) {
      it(`${scenario.name} (${scenario.source.split(':')[0]})`, { timeout: SLOW }, async () => {
        expectResults(await runner.run(scenario.input), scenario.expected);
      });
    }
  });

  describe('documentation in docs/scenarios', () => {
    const documented = readExamples(docsDirectory);
    it('has a dozen worked scenarios, each explained beside its JSON', () => {
      expect(documented.length).toBeGreaterThanOrEqual(12);
      for (const { name } of documented) expect(readdirSync(docsDirectory)).toContain(name.replace(/\.json$/, '.md'));
    });
    for (const { name, example } of documented) {
      it(name, { timeout: SLOW }, async () => {
        expectResults(await runner.run(example.input), example.expected);
      });
    }
  });

  describe('refusals', () => {
    const base = FINERACT_SCENARIOS[0]!.input as { product: Record<string, unknown>; loan: Record<string, unknown>; steps: unknown[] };
    const cases: Array<[string, (input: typeof base) => void, string]> = [
      ['an amount with too many digits', (input) => input.steps.push({ on: '2023-10-06', pay: { amount: '1.001' } }), 'steps.7.pay.amount'],
      ['a step going backwards', (input) => input.steps.push({ on: '2023-10-03', snapshot: true }), 'steps.7.on'],
      ['a payment dated after its business date', (input) => input.steps.push({ on: '2023-10-06', pay: { amount: '1.00', date: '2023-10-07' } }), 'steps.7.pay.date'],
      ['a reversal of a pay step that does not exist', (input) => input.steps.push({ on: '2023-10-06', reverse: { payment: 1 } }), 'steps.7.reverse.payment'],
      ['a step with two kinds', (input) => input.steps.push({ on: '2023-10-06', eod: true, snapshot: true }), 'steps.7'],
      ['an unknown product field', (input) => (input.product.lateFee = '5.00'), 'product.lateFee'],
      ['a bad product rate', (input) => (input.product.annualRate = 'twelve'), 'product.annualRate'],
      ['a bad delinquency range', (input) => (input.product.delinquencyRanges = [{ code: 'A', minDays: 0 }]), 'product.delinquencyRanges.0.minDays'],
      ['a loan without principal', (input) => delete input.loan.principal, 'loan.principal'],
    ];
    for (const [name, change, field] of cases) {
      it(`refuses ${name}, naming ${field}`, async () => {
        const input = structuredClone(base);
        change(input);
        await expect(runScenario(input)).rejects.toMatchObject({ details: { field } });
      });
    }

    it('refuses a step the loan cannot take, naming the step', { timeout: SLOW }, async () => {
      const input = {
        ...FINERACT_SCENARIOS[0]!.input,
        steps: [
          { on: '2023-10-02', pay: { amount: '1000.00' } },
          { on: '2023-10-03', pay: { amount: '10.00' } },
        ],
      };
      await expect(runner.run(input)).rejects.toMatchObject({ code: 'INVALID_STATE', details: { field: 'steps.2.pay', step: 2 } });
    });

    it('refuses reversing a reversed payment', { timeout: SLOW }, async () => {
      const input = {
        ...FINERACT_SCENARIOS[0]!.input,
        steps: [
          { on: '2023-10-02', pay: { amount: '100.00' } },
          { on: '2023-10-03', reverse: { payment: 1 } },
          { on: '2023-10-04', reverse: { payment: 1 } },
        ],
      };
      await expect(runner.run(input)).rejects.toMatchObject({ code: 'INVALID_STATE', details: { field: 'steps.3.reverse', step: 3 } });
    });
  });
});

describe('POST /v1/scenarios/run', () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle);
  }, SLOW);
  afterAll(async () => {
    await server.app.close();
    await handle.close();
  });

  it('runs a scenario for a role with scenarios:run', { timeout: SLOW }, async () => {
    const scenario = FINERACT_SCENARIOS.find((candidate) => candidate.source.startsWith('LoanChargeOff'))!;
    const response = await server.app.inject({ method: 'POST', url: '/v1/scenarios/run', headers: await server.headersFor('supervisor'), payload: scenario.input });
    expect(response.statusCode).toBe(200);
    expectResults(response.json(), scenario.expected);
  });

  it('answers an invalid scenario with 400 problem details naming the step and field', { timeout: SLOW }, async () => {
    const input = structuredClone(FINERACT_SCENARIOS[0]!.input) as { steps: unknown[] };
    input.steps.splice(2, 0, { on: '2023-10-04', pay: { amount: '-5.00' } });
    const response = await server.app.inject({ method: 'POST', url: '/v1/scenarios/run', headers: await server.headersFor('integration'), payload: input });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'INVALID_AMOUNT', field: 'steps.3.pay.amount' });
  });

  it('refuses a role without scenarios:run', { timeout: SLOW }, async () => {
    const response = await server.app.inject({ method: 'POST', url: '/v1/scenarios/run', headers: await server.headersFor('agent'), payload: FINERACT_SCENARIOS[0]!.input });
    expect(response.statusCode).toBe(403);
  });
});
