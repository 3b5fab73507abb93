import { type Benchmark, measureThroughput, readOption } from './benchmark.ts';
import { parseContactRequest, type ContactRequest } from '../src/compliance/contact-request.ts';
import { evaluateContact } from '../src/compliance/evaluate-contact.ts';

const HOUR_MS = 3_600_000;

/**
 * A realistic request: a US borrower in Chicago, a manual call about debt A at 15:00 UTC, and a
 * history of earlier attempts (calls, texts, emails, one conversation) over the past weeks.
 */
export function createBenchmarkRequest(historyLength: number): ContactRequest {
  const atMs = Date.parse('2026-06-20T15:00:00Z');
  const channels = ['call', 'sms', 'call', 'email', 'call', 'voicemail'] as const;
  const outcomes = ['no-answer', 'delivered', 'no-answer', 'delivered', 'connected', 'voicemail'] as const;
  const history = Array.from({ length: historyLength }, (_, index) => ({
    // One attempt every 17 hours going back: spread over days, some within the 7-day window.
    at: new Date(atMs - (index + 1) * 17 * HOUR_MS).toISOString().replace('.000Z', 'Z'),
    channel: channels[index % channels.length],
    debtIds: [index % 5 === 0 ? 'B' : 'A'],
    to: 'borrower',
    thirdPartyId: null,
    place: index % 3 === 0 ? 'home' : 'mobile',
    outcome: index === 20 ? 'conversation' : outcomes[index % outcomes.length],
  }));
  return parseContactRequest({
    policy: 'US',
    at: new Date(atMs).toISOString().replace('.000Z', 'Z'),
    borrower: {
      timeZones: ['America/Chicago'],
      flags: [],
      inconvenient: [{ weekdays: ['sun'] }],
      optOuts: [],
      consents: [{ kind: 'autodialed-calls', at: '2025-01-01T00:00:00Z' }],
      reachable: true,
    },
    attempt: { channel: 'call', debtId: 'A', to: 'borrower', place: 'mobile', dialer: 'manual' },
    history,
  });
}

/**
 * `npm run bench -- compliance --json`: decisions per second per core of the in-process gate with a
 * realistic history, beside a reference loop that only walks the same history.
 */
export const complianceBenchmark: Benchmark = {
  description: 'The contact gate: decisions per second per core with a realistic history',
  async run(options) {
    const historyLength = Number(readOption(options.args, 'history') ?? 30);
    const durationMs = Number(readOption(options.args, 'ms') ?? 2000);
    const request = createBenchmarkRequest(historyLength);
    let sink = 0;
    // Warm-up: builds the zone's offset table and lets the JIT settle.
    for (let index = 0; index < 20_000; index++) sink += evaluateContact(request).reasons.length;
    options.progress(`evaluating with ${historyLength} earlier attempts for ${durationMs} ms…`);
    const decisions = measureThroughput(() => {
      sink += evaluateContact(request).reasons.length;
    }, durationMs);
    const reference = measureThroughput(() => {
      // The least any gate must do: look at every earlier attempt once.
      for (const entry of request.history) if (entry.atMs > request.atMs) sink++;
    }, durationMs);
    const decision = evaluateContact(request);
    return {
      benchmark: 'compliance',
      historyLength,
      decision: decision.decision,
      decisionsPerSecond: decisions.operationsPerSecond,
      referencePerSecond: reference.operationsPerSecond,
      ratio: Number((decisions.operationsPerSecond / reference.operationsPerSecond).toFixed(4)),
      goalPerSecond: 1_000_000,
      sink: sink > 0 ? 1 : 0,
    };
  },
};
