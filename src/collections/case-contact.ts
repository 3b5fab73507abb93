import type { Channel, Outcome, PackId } from '../compliance/policy-pack.ts';

/**
 * What a collections case asks of the contact gate, built from facts (pure: the instant is given).
 * The request is the contract's JSON (compliance-check.md), so it is what the receipt stores.
 */
export interface BorrowerContactFacts {
  timeZone: string | null;
  flags: readonly string[];
  optOuts: readonly string[];
  /** Contract form: [{ weekdays?, from?: "HH:MM", to?: "HH:MM" }] */
  inconvenient: readonly unknown[];
}

export interface PastAttempt {
  at: Date;
  channel: Channel;
  /** The agent's outcome (AGENT_OUTCOMES), null while not logged yet, or `delivered` for a message the dispatcher sent. */
  outcome: string | null;
  /** The loan the attempt was about. */
  loanId: string;
}

/** What an agent may log after a contact; some change the case or the borrower's flags. */
export const AGENT_OUTCOMES = [
  'no-answer', 'voicemail', 'right-party-contact', 'wrong-party', 'promise', 'refused', 'dispute-raised', 'hardship-requested', 'paid',
  'bankruptcy', 'attorney', 'deceased', 'cease',
] as const;
export type AgentOutcome = (typeof AGENT_OUTCOMES)[number];

/** Outcomes that mean we spoke with the borrower themself (right-party contact). */
export const RIGHT_PARTY_OUTCOMES: readonly AgentOutcome[] = [
  'right-party-contact', 'promise', 'refused', 'dispute-raised', 'hardship-requested', 'paid', 'bankruptcy', 'attorney', 'cease',
];

/** The borrower flag the gate honours for an outcome that changes how we may contact them. */
export const OUTCOME_FLAGS: Partial<Record<AgentOutcome, string>> = {
  'dispute-raised': 'dispute',
  bankruptcy: 'bankruptcy',
  attorney: 'attorney',
  // The gate has no "deceased" flag: stopping all contact with the borrower is what cease means.
  deceased: 'cease',
  cease: 'cease',
};

/**
 * The gate's outcome for a logged agent outcome: frequency rules count answered and unanswered
 * attempts differently, so an attempt not yet logged counts as unanswered (the stricter count for
 * dial limits).
 *
 * @example gateOutcomeOf('promise') // "conversation"
 */
export function gateOutcomeOf(outcome: string | null): Outcome {
  if (outcome === null || outcome === 'no-answer') return 'no-answer';
  // A message sent is no conversation: it must not hold back calls as one would (US-11).
  if (outcome === 'delivered') return 'delivered';
  if (outcome === 'voicemail') return 'voicemail';
  if (outcome === 'wrong-party') return 'connected';
  return 'conversation';
}

/**
 * The gate request for one proposed contact about a case's loan.
 *
 * @example contactRequestFor({ policy: 'CN', at: new Date('2026-03-10T13:30:00Z'), borrower, channel: 'sms', loanId: 'loan_1', history: [] })
 */
export function contactRequestFor(input: {
  policy: PackId;
  at: Date;
  borrower: BorrowerContactFacts;
  channel: Channel;
  loanId: string;
  history: readonly PastAttempt[];
  visit?: { collectors: number; approved: boolean };
}): Record<string, unknown> {
  const attempt: Record<string, unknown> = { channel: input.channel, debtId: input.loanId };
  if (input.channel === 'visit') {
    attempt.place = 'home';
    attempt.collectors = input.visit?.collectors ?? 1;
    attempt.approved = input.visit?.approved ?? false;
  }
  return {
    policy: input.policy,
    at: input.at.toISOString(),
    borrower: {
      timeZones: input.borrower.timeZone ? [input.borrower.timeZone] : [],
      flags: [...input.borrower.flags],
      inconvenient: [...input.borrower.inconvenient],
      optOuts: [...input.borrower.optOuts],
    },
    attempt,
    history: input.history.map(historyEntryOf),
  };
}

/**
 * A past attempt as an entry of the gate request's `history` (compliance-check.md).
 *
 * @example historyEntryOf({ at: new Date('2026-03-09T02:00:00Z'), channel: 'sms', outcome: 'delivered', loanId: 'A' }) // { at: '2026-03-09T02:00:00.000Z', channel: 'sms', debtIds: ['A'], outcome: 'delivered' }
 */
export function historyEntryOf(entry: PastAttempt): { at: string; channel: Channel; debtIds: string[]; outcome: Outcome } {
  return { at: entry.at.toISOString(), channel: entry.channel, debtIds: [entry.loanId], outcome: gateOutcomeOf(entry.outcome) };
}
