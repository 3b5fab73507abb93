import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContactRequest } from './contact-request.ts';
import { evaluateContact } from './evaluate-contact.ts';

const TIME_BASED = new Set(['OUTSIDE_HOURS', 'STATED_INCONVENIENT', 'CALL_FREQUENCY', 'AFTER_CONVERSATION', 'DAILY_LIMIT']);
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const SPAN_MS = 365 * 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const zoneSets = fc.constantFrom<string[]>([], ['America/Chicago'], ['America/New_York', 'America/Los_Angeles'], ['Pacific/Honolulu'], ['Asia/Shanghai'], ['Europe/London'], ['Australia/Lord_Howe']);
const inconvenient = fc.array(
  fc.oneof(
    fc.record({ weekdays: fc.subarray(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { minLength: 1, maxLength: 3 }) }),
    fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 95 })).map(([from, length]) => {
      const to = (from + length) % 96;
      const format = (quarter: number) => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
      return { from: format(from), to: format(to === from ? (to + 1) % 96 : to) };
    }),
  ),
  { maxLength: 2 },
);

const requests = fc
  .record({
    policy: fc.constantFrom('US', 'US-MA', 'CN', 'UK'),
    atMs: fc.integer({ min: START_MS, max: START_MS + SPAN_MS }),
    zones: zoneSets,
    inconvenient,
    channel: fc.constantFrom('call', 'voicemail', 'sms', 'email', 'letter'),
    place: fc.constantFrom('mobile', 'home', 'work'),
    history: fc.array(
      fc.record({
        offsetMs: fc.integer({ min: -20 * 86_400_000, max: 0 }),
        channel: fc.constantFrom('call', 'voicemail', 'sms'),
        debt: fc.constantFrom('A', 'B'),
        place: fc.constantFrom('mobile', 'home', 'work'),
        outcome: fc.constantFrom('no-answer', 'voicemail', 'connected', 'conversation', 'delivered'),
      }),
      { maxLength: 30 },
    ),
  })
  .map((value) => ({
    policy: value.policy,
    at: iso(value.atMs),
    borrower: { timeZones: value.zones, inconvenient: value.inconvenient },
    attempt: { channel: value.channel, debtId: 'A', place: value.place },
    history: value.history.map((entry) => ({ at: iso(value.atMs + entry.offsetMs), channel: entry.channel, debtIds: [entry.debt], place: entry.place, outcome: entry.outcome })),
  }));

describe('allowAfter properties', () => {
  it('allowAfter is never before the attempt, and only when every reason is time-based', () => {
    fc.assert(
      fc.property(requests, (input) => {
        const decision = evaluateContact(parseContactRequest(input));
        if (decision.allowAfter === null) return;
        expect(decision.decision).toBe('deny');
        expect(Date.parse(decision.allowAfter)).toBeGreaterThanOrEqual(Date.parse(input.at));
        for (const reason of decision.reasons) expect(TIME_BASED.has(reason.code) || reason.rule === 'MA-02').toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('evaluating again at allowAfter never denies for a time-based reason', () => {
    fc.assert(
      fc.property(requests, (input) => {
        const decision = evaluateContact(parseContactRequest(input));
        if (decision.allowAfter === null) return;
        const again = evaluateContact(parseContactRequest({ ...input, at: decision.allowAfter }));
        expect(again.reasons.filter((reason) => TIME_BASED.has(reason.code))).toEqual([]);
        expect(again.decision).toBe('allow');
      }),
      { numRuns: 400 },
    );
  });

  it('allowAfter is the earliest: one second earlier is still refused', () => {
    fc.assert(
      fc.property(requests, (input) => {
        const decision = evaluateContact(parseContactRequest(input));
        if (decision.allowAfter === null) return;
        const earlierMs = Date.parse(decision.allowAfter) - 1000;
        if (earlierMs < Date.parse(input.at)) return;
        expect(evaluateContact(parseContactRequest({ ...input, at: iso(earlierMs) })).decision).toBe('deny');
      }),
      { numRuns: 300 },
    );
  });
});
