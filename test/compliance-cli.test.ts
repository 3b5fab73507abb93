import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SHARED_DIR = process.env.LENITY_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const EXAMPLES_DIR = path.join(SHARED_DIR, 'contracts/examples/compliance');
const BIN = path.resolve(process.cwd(), 'bin/lenity.js');

function runCheck(stdin: string, args: string[] = []) {
  return spawnSync(process.execPath, [BIN, 'compliance', 'check', ...args], { input: stdin, encoding: 'utf8' });
}

const examples = readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json')).sort();

describe('lenity compliance check', () => {
  it('has public examples to check', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('decides %s as the contract expects', (name) => {
    const example = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, name), 'utf8'));
    const result = runCheck(JSON.stringify(example.input));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision.decision).toBe(example.expected.decision);
    expect(decision.reasons.map((reason: { code: string }) => reason.code).sort()).toEqual([...example.expected.codes].sort());
    expect(decision.allowAfter).toBe(example.expected.allowAfter ?? null);
    expect(decision.policy).toMatch(new RegExp(`^${example.input.policy}@\\d{4}\\.\\d+$`));
    for (const reason of decision.reasons) expect(reason.rule).toMatch(/^[A-Z]+(-[A-Z0-9]+)+$/);
  });

  it('exits 2 with problem details naming the field for invalid input', () => {
    const result = runCheck(JSON.stringify({ policy: 'US', at: '2026-03-09T14:30:00Z', attempt: { channel: 'fax', debtId: 'A' } }));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const problem = JSON.parse(result.stderr);
    expect(problem).toMatchObject({ code: 'VALIDATION_FAILED', field: 'attempt.channel', status: 400 });
  });

  it('reports an unknown field as UNKNOWN_FIELD', () => {
    const result = runCheck(JSON.stringify({ policy: 'US', at: '2026-03-09T14:30:00Z', attempt: { channel: 'call', debtId: 'A', tone: 'firm' } }));
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stderr)).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'attempt.tone' });
  });

  it('refuses input that is not JSON', () => {
    const result = runCheck('{not json');
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stderr).code).toBe('VALIDATION_FAILED');
  });

  it('with --jsonl answers every line in order and goes on after an invalid one', () => {
    const lines = examples.map((name) => JSON.stringify(JSON.parse(readFileSync(path.join(EXAMPLES_DIR, name), 'utf8')).input));
    const input = [lines[0], '{"policy":"XX"}', ...lines.slice(1)].join('\n');
    const result = runCheck(input, ['--jsonl']);
    expect(result.status).toBe(0);
    const outputs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(outputs).toHaveLength(examples.length + 1);
    expect(outputs[1].error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'policy' });
    const decisions = [outputs[0], ...outputs.slice(2)];
    decisions.forEach((decision, index) => {
      const example = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, examples[index]!), 'utf8'));
      expect(decision.decision).toBe(example.expected.decision);
    });
  });
});
