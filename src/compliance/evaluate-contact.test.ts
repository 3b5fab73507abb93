import { describe, expect, it } from 'vitest';
import { parseContactRequest } from './contact-request.ts';
import { evaluateContact } from './evaluate-contact.ts';

type Json = Record<string, unknown>;

interface Row {
  name: string;
  policy?: string;
  at: string;
  zones?: string[];
  borrower?: Json;
  attempt?: Json;
  history?: Json[];
  decision: 'allow' | 'deny';
  codes?: string[];
  rules?: string[];
  allowAfter?: string | null;
  warnings?: string[];
}

const CHICAGO = ['America/Chicago'];

function call(at: string, extra: Json = {}): Json {
  return { at, channel: 'call', debtIds: ['A'], to: 'borrower', thirdPartyId: null, place: 'mobile', outcome: 'no-answer', ...extra };
}

function run(row: Row) {
  const request = parseContactRequest({
    policy: row.policy ?? 'US',
    at: row.at,
    borrower: { timeZones: row.zones ?? CHICAGO, ...(row.borrower ?? {}) },
    attempt: { channel: 'call', debtId: 'A', ...(row.attempt ?? {}) },
    history: row.history ?? [],
  });
  return evaluateContact(request);
}

function check(rows: Row[]) {
  it.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const decision = run(row);
    expect(decision.decision).toBe(row.decision);
    expect(decision.reasons.map((reason) => reason.code)).toEqual(row.codes ?? []);
    if (row.rules) expect(decision.reasons.map((reason) => reason.rule)).toEqual(row.rules);
    if (row.allowAfter !== undefined) expect(decision.allowAfter).toBe(row.allowAfter);
    if (row.decision === 'allow') expect(decision.allowAfter).toBeNull();
    if (row.warnings) expect(decision.warnings.map((warning) => warning.rule)).toEqual(row.warnings);
    for (const reason of decision.reasons) expect(reason.message.length).toBeGreaterThan(20);
  });
}

describe('US-01 hours [08:00, 21:00) borrower-local, DST-correct', () => {
  check([
    { name: 'one second before 08:00 CDT is refused until 08:00', at: '2026-03-10T12:59:59Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], rules: ['US-01'], allowAfter: '2026-03-10T13:00:00Z' },
    { name: '08:00 CDT exactly is allowed', at: '2026-03-10T13:00:00Z', decision: 'allow' },
    { name: '20:59:59 is allowed', at: '2026-03-11T01:59:59Z', decision: 'allow' },
    { name: '21:00 exactly is refused until 08:00 next day', at: '2026-03-11T02:00:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-11T13:00:00Z' },
    { name: 'the night of the March change (01:30 CST) waits for 08:00 CDT', at: '2026-03-08T07:30:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-08T13:00:00Z' },
    { name: 'the day before the March change 08:00 is still CST', at: '2026-03-07T13:30:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-07T14:00:00Z' },
    { name: 'the November change: 06:30 CST waits for 08:00 CST', at: '2026-11-01T12:30:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-11-01T14:00:00Z' },
    { name: 'the day before the November change 08:00 is CDT', at: '2026-10-31T13:00:00Z', decision: 'allow' },
    { name: 'letters are not bound by hours', at: '2026-03-10T08:00:00Z', attempt: { channel: 'letter' }, decision: 'allow' },
    { name: 'emails are bound by hours', at: '2026-03-10T08:00:00Z', attempt: { channel: 'email' }, decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-10T13:00:00Z' },
    { name: 'visits are bound by hours', at: '2026-03-10T08:00:00Z', attempt: { channel: 'visit', approved: true, place: 'home' }, decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-10T13:00:00Z' },
  ]);
});

describe('US-02 unknown or conflicting zones: every candidate must allow', () => {
  check([
    { name: 'unknown zone at 08:00 Chicago waits for 08:00 Honolulu', at: '2026-03-10T13:00:00Z', zones: [], decision: 'deny', codes: ['OUTSIDE_HOURS'], rules: ['US-01'], allowAfter: '2026-03-10T18:00:00Z' },
    { name: 'unknown zone at 20:59 New York is allowed', at: '2026-03-11T00:59:00Z', zones: [], decision: 'allow' },
    { name: 'unknown zone at 21:00 New York waits for next 08:00 Honolulu', at: '2026-03-11T01:00:00Z', zones: [], decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-11T18:00:00Z' },
    { name: 'address in New York, phone in Los Angeles: waits for 08:00 Pacific', at: '2026-06-01T12:30:00Z', zones: ['America/New_York', 'America/Los_Angeles'], decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-06-01T15:00:00Z' },
    { name: 'Phoenix keeps standard time in summer', at: '2026-06-01T14:59:00Z', zones: ['America/Phoenix'], decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-06-01T15:00:00Z' },
    { name: 'Anchorage in summer is UTC-8', at: '2026-06-01T16:00:00Z', zones: ['America/Anchorage'], decision: 'allow' },
  ]);
});

describe('US-03 stated inconvenient times bind', () => {
  check([
    { name: 'mornings until 14:00 are refused until 14:00', at: '2026-03-10T15:00:00Z', borrower: { inconvenient: [{ from: '00:00', to: '14:00' }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], rules: ['US-03'], allowAfter: '2026-03-10T19:00:00Z' },
    { name: '14:00 exactly is allowed', at: '2026-03-10T19:00:00Z', borrower: { inconvenient: [{ from: '00:00', to: '14:00' }] }, decision: 'allow' },
    { name: 'Sundays are refused until Monday 08:00', at: '2026-03-08T15:00:00Z', borrower: { inconvenient: [{ weekdays: ['sun'] }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], allowAfter: '2026-03-09T13:00:00Z' },
    { name: 'a range across midnight refuses 08:30 until 09:00', at: '2026-03-10T13:30:00Z', borrower: { inconvenient: [{ from: '20:00', to: '09:00' }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], allowAfter: '2026-03-10T14:00:00Z' },
    { name: 'a range across midnight allows 19:30', at: '2026-03-11T00:30:00Z', borrower: { inconvenient: [{ from: '20:00', to: '09:00' }] }, decision: 'allow' },
    { name: 'a range across midnight slides to 09:00 next day', at: '2026-03-11T01:30:00Z', borrower: { inconvenient: [{ from: '20:00', to: '09:00' }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], allowAfter: '2026-03-11T14:00:00Z' },
    { name: 'Monday lunch is refused on a Monday', at: '2026-03-09T17:30:00Z', borrower: { inconvenient: [{ weekdays: ['mon'], from: '12:00', to: '13:00' }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], allowAfter: '2026-03-09T18:00:00Z' },
    { name: 'Monday lunch does not bind on a Tuesday', at: '2026-03-10T17:30:00Z', borrower: { inconvenient: [{ weekdays: ['mon'], from: '12:00', to: '13:00' }] }, decision: 'allow' },
    { name: 'weekends and evenings together slide across the weekend', at: '2026-03-07T15:00:00Z', borrower: { inconvenient: [{ weekdays: ['sat', 'sun'] }, { from: '00:00', to: '10:00' }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], allowAfter: '2026-03-09T15:00:00Z' },
    { name: 'every day inconvenient: no time-based allowAfter exists', at: '2026-03-10T15:00:00Z', borrower: { inconvenient: [{ weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], allowAfter: null },
  ]);
});

describe('standing rules (US-04, US-05, US-08, US-09, US-21, US-23, US-26)', () => {
  check([
    { name: 'US-04 attorney: the borrower is not contacted', at: '2026-03-10T15:00:00Z', borrower: { flags: ['attorney'] }, decision: 'deny', codes: ['ATTORNEY_REPRESENTED'], rules: ['US-04'], allowAfter: null },
    { name: 'US-04 attorney: the attorney may be', at: '2026-03-10T15:00:00Z', borrower: { flags: ['attorney'] }, attempt: { to: 'attorney' }, decision: 'allow' },
    { name: 'US-04 attorney: third parties are not contacted either', at: '2026-03-10T15:00:00Z', borrower: { flags: ['attorney'], reachable: false }, attempt: { to: 'third-party', thirdPartyId: 'n1', disclosesDebt: false }, decision: 'deny', codes: ['ATTORNEY_REPRESENTED'] },
    { name: 'US-05 employer forbids: no call at work', at: '2026-03-10T15:00:00Z', borrower: { flags: ['employer-forbids-work-contact'] }, attempt: { place: 'work' }, decision: 'deny', codes: ['WORKPLACE'], rules: ['US-05'] },
    { name: 'US-05 employer forbids: the mobile is fine', at: '2026-03-10T15:00:00Z', borrower: { flags: ['employer-forbids-work-contact'] }, decision: 'allow' },
    { name: 'US-08 cease stops letters too', at: '2026-03-10T15:00:00Z', borrower: { flags: ['cease'] }, attempt: { channel: 'letter' }, decision: 'deny', codes: ['CEASE_COMMUNICATION'], rules: ['US-08'] },
    { name: 'US-08 cease with outside hours lists both, no allowAfter', at: '2026-03-10T03:00:00Z', borrower: { flags: ['cease'] }, decision: 'deny', codes: ['CEASE_COMMUNICATION', 'OUTSIDE_HOURS'], allowAfter: null },
    { name: 'US-09 SMS opt-out', at: '2026-03-10T15:00:00Z', borrower: { optOuts: ['sms'] }, attempt: { channel: 'sms' }, decision: 'deny', codes: ['CHANNEL_OPT_OUT'], rules: ['US-09'] },
    { name: 'US-09 a call opt-out covers voicemails', at: '2026-03-10T15:00:00Z', borrower: { optOuts: ['call'] }, attempt: { channel: 'voicemail' }, decision: 'deny', codes: ['CHANNEL_OPT_OUT'] },
    { name: 'US-09 an SMS opt-out leaves email open', at: '2026-03-10T15:00:00Z', borrower: { optOuts: ['sms'] }, attempt: { channel: 'email' }, decision: 'allow' },
    { name: 'US-21 dispute pending', at: '2026-03-10T15:00:00Z', borrower: { flags: ['dispute'] }, decision: 'deny', codes: ['DISPUTE_PENDING'], rules: ['US-21'] },
    { name: 'US-23 bankruptcy stay', at: '2026-03-10T15:00:00Z', borrower: { flags: ['bankruptcy'] }, attempt: { channel: 'email' }, decision: 'deny', codes: ['BANKRUPTCY_STAY'], rules: ['US-23'] },
    { name: 'every standing code at once', at: '2026-03-10T15:00:00Z', borrower: { flags: ['bankruptcy', 'cease', 'dispute', 'attorney'], optOuts: ['call'] }, decision: 'deny', codes: ['ATTORNEY_REPRESENTED', 'BANKRUPTCY_STAY', 'CEASE_COMMUNICATION', 'CHANNEL_OPT_OUT', 'DISPUTE_PENDING'], allowAfter: null },
  ]);
});

const SEVEN_CALLS = ['01', '02', '03', '04', '05', '06', '07'].map((day) => call(`2026-06-${day}T15:00:00Z`));

describe('US-10 at most 7 call attempts about a debt in 7 local days', () => {
  check([
    { name: 'the 8th call is refused until the oldest day leaves the window and hours open', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS, decision: 'deny', codes: ['CALL_FREQUENCY'], rules: ['US-10'], allowAfter: '2026-06-08T13:00:00Z' },
    { name: 'the 7th call is allowed', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS.slice(1), decision: 'allow' },
    { name: 'on day 8 the window holds 6 calls', at: '2026-06-08T13:00:00Z', history: SEVEN_CALLS, decision: 'allow' },
    { name: 'voicemails count as calls', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS.map((entry, index) => (index % 2 ? { ...entry, channel: 'voicemail', outcome: 'voicemail' } : entry)), decision: 'deny', codes: ['CALL_FREQUENCY'] },
    { name: 'calls about another debt do not count', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS.map((entry) => ({ ...entry, debtIds: ['B'] })), decision: 'allow' },
    { name: 'texts do not count', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS.map((entry) => ({ ...entry, channel: 'sms', outcome: 'delivered' })), decision: 'allow' },
    { name: 'a late-evening call counts on its local day (23:30 CDT June 1)', at: '2026-06-08T13:00:00Z', history: [call('2026-06-02T04:30:00Z'), ...SEVEN_CALLS.slice(1), call('2026-06-08T12:59:00Z', { place: 'home' })], decision: 'deny', codes: ['CALL_FREQUENCY'], allowAfter: '2026-06-09T13:00:00Z' },
    { name: 'history without debt ids counts for every debt', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS.map(({ debtIds: _debtIds, ...entry }) => entry), decision: 'deny', codes: ['CALL_FREQUENCY'] },
    { name: 'calls to every number count together', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS.map((entry, index) => ({ ...entry, place: index % 2 ? 'home' : 'mobile' })), decision: 'deny', codes: ['CALL_FREQUENCY'] },
  ]);
});

const CONVERSATION = call('2026-06-01T15:00:00Z', { outcome: 'conversation' });

describe('US-11 no call for 7 days after a conversation, the conversation day being day 1', () => {
  check([
    { name: 'day 7 is refused until day 8 at 08:00', at: '2026-06-07T20:00:00Z', history: [CONVERSATION], decision: 'deny', codes: ['AFTER_CONVERSATION'], rules: ['US-11'], allowAfter: '2026-06-08T13:00:00Z' },
    { name: 'day 8 at 08:00 is allowed', at: '2026-06-08T13:00:00Z', history: [CONVERSATION], decision: 'allow' },
    { name: 'the conversation day itself is refused', at: '2026-06-01T20:00:00Z', history: [CONVERSATION], decision: 'deny', codes: ['AFTER_CONVERSATION'], allowAfter: '2026-06-08T13:00:00Z' },
    { name: 'a conversation about another debt does not bar calls', at: '2026-06-03T15:00:00Z', history: [{ ...CONVERSATION, debtIds: ['B'] }], decision: 'allow' },
    { name: 'a connected call without a conversation does not bar calls', at: '2026-06-03T15:00:00Z', history: [{ ...CONVERSATION, outcome: 'connected' }], decision: 'allow' },
    { name: 'texts are not calls', at: '2026-06-03T15:00:00Z', history: [CONVERSATION], attempt: { channel: 'sms' }, decision: 'allow' },
    { name: 'a conversation late on June 1 local (04:30Z June 2) still makes June 8 day 8', at: '2026-06-08T13:00:00Z', history: [call('2026-06-02T04:30:00Z', { outcome: 'conversation' })], decision: 'allow' },
  ]);
});

const CALL_REQUEST = { kind: 'call-request', at: '2026-06-02T12:00:00Z', from: '2026-06-03T00:00:00Z', until: '2026-06-04T00:00:00Z' };

describe('US-12 calls the borrower asked for', () => {
  check([
    { name: 'a requested call is not refused after a conversation', at: '2026-06-03T15:00:00Z', history: [CONVERSATION], borrower: { consents: [CALL_REQUEST] }, decision: 'allow' },
    { name: 'outside the requested window the conversation still bars calls', at: '2026-06-04T15:00:00Z', history: [CONVERSATION], borrower: { consents: [CALL_REQUEST] }, decision: 'deny', codes: ['AFTER_CONVERSATION'], allowAfter: '2026-06-08T13:00:00Z' },
    { name: 'before the window the next allowed instant is its start (19:00 CDT, within hours)', at: '2026-06-02T15:00:00Z', history: [CONVERSATION], borrower: { consents: [CALL_REQUEST] }, decision: 'deny', codes: ['AFTER_CONVERSATION'], allowAfter: '2026-06-03T00:00:00Z' },
    { name: 'a requested call is not refused as the 8th', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS, borrower: { consents: [{ kind: 'call-request', at: '2026-06-07T19:00:00Z' }] }, decision: 'allow' },
    { name: 'requested calls do not count toward the 7', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS, borrower: { consents: [{ kind: 'call-request', at: '2026-06-03T14:00:00Z', until: '2026-06-03T16:00:00Z' }] }, decision: 'allow' },
    { name: 'a consent given after the call does not exempt it', at: '2026-06-07T20:00:00Z', history: SEVEN_CALLS, borrower: { consents: [{ kind: 'call-request', at: '2026-06-08T00:00:00Z', from: '2026-06-07T00:00:00Z' }] }, decision: 'deny', codes: ['CALL_FREQUENCY'] },
  ]);
});

describe('US-13 warnings never deny', () => {
  check([
    { name: 'two unanswered calls to one number within 5 minutes', at: '2026-06-03T15:04:00Z', history: [call('2026-06-03T15:00:00Z')], decision: 'allow', warnings: ['US-13'] },
    { name: 'five minutes later is no longer a rapid redial', at: '2026-06-03T15:05:00Z', history: [call('2026-06-03T15:00:00Z')], decision: 'allow', warnings: [] },
    { name: 'a fourth call in a local day', at: '2026-06-03T20:00:00Z', history: [call('2026-06-03T14:00:00Z'), call('2026-06-03T16:00:00Z'), call('2026-06-03T18:00:00Z')], decision: 'allow', warnings: ['US-13'] },
    { name: 'a third call on a Sunday', at: '2026-06-07T20:00:00Z', history: [call('2026-06-07T14:00:00Z'), call('2026-06-07T16:00:00Z')], decision: 'allow', warnings: ['US-13'] },
    { name: 'a second call on a Tuesday is not a pattern', at: '2026-06-02T20:00:00Z', history: [call('2026-06-02T14:00:00Z')], decision: 'allow', warnings: [] },
  ]);
});

describe('US-17, US-18 third parties', () => {
  const thirdParty = { to: 'third-party', thirdPartyId: 'neighbour-1' };
  check([
    { name: 'a third party never hears about the debt', at: '2026-03-10T15:00:00Z', attempt: thirdParty, decision: 'deny', codes: ['THIRD_PARTY_DISCLOSURE'], rules: ['US-17'], allowAfter: null },
    { name: 'a location contact without the debt is allowed once', at: '2026-03-10T15:00:00Z', attempt: { ...thirdParty, disclosesDebt: false }, decision: 'allow' },
    { name: 'a second contact with the same person is refused', at: '2026-03-10T15:00:00Z', attempt: { ...thirdParty, disclosesDebt: false }, history: [call('2026-03-01T15:00:00Z', { to: 'third-party', thirdPartyId: 'neighbour-1', outcome: 'connected' })], decision: 'deny', codes: ['THIRD_PARTY_LIMIT'], rules: ['US-18'] },
    { name: 'another person may be contacted', at: '2026-03-10T15:00:00Z', attempt: { ...thirdParty, disclosesDebt: false }, history: [call('2026-03-01T15:00:00Z', { to: 'third-party', thirdPartyId: 'neighbour-2' })], decision: 'allow' },
    { name: 'disclosing to a repeated person lists both codes', at: '2026-03-10T15:00:00Z', attempt: thirdParty, history: [call('2026-03-01T15:00:00Z', { to: 'third-party', thirdPartyId: 'neighbour-1' })], decision: 'deny', codes: ['THIRD_PARTY_DISCLOSURE', 'THIRD_PARTY_LIMIT'] },
    { name: 'the attorney may hear about the debt', at: '2026-03-10T15:00:00Z', attempt: { to: 'attorney' }, decision: 'allow' },
  ]);
});

describe('US-25 autodialed and prerecorded calls need consent', () => {
  check([
    { name: 'autodialed call to a mobile without consent', at: '2026-03-10T15:00:00Z', attempt: { dialer: 'autodialed' }, decision: 'deny', codes: ['CONSENT_REQUIRED'], rules: ['US-25'], allowAfter: null },
    { name: 'autodialed call to a mobile with consent', at: '2026-03-10T15:00:00Z', attempt: { dialer: 'autodialed' }, borrower: { consents: [{ kind: 'autodialed-calls', at: '2025-01-01T00:00:00Z' }] }, decision: 'allow' },
    { name: 'consent given after the call does not count', at: '2026-03-10T15:00:00Z', attempt: { dialer: 'autodialed' }, borrower: { consents: [{ kind: 'autodialed-calls', at: '2026-03-11T00:00:00Z' }] }, decision: 'deny', codes: ['CONSENT_REQUIRED'] },
    { name: 'prerecorded call to a home line without consent', at: '2026-03-10T15:00:00Z', attempt: { dialer: 'prerecorded', place: 'home' }, decision: 'deny', codes: ['CONSENT_REQUIRED'] },
    { name: 'autodialed call to a home line needs none', at: '2026-03-10T15:00:00Z', attempt: { dialer: 'autodialed', place: 'home' }, decision: 'allow' },
    { name: 'prerecorded-calls consent covers a prerecorded call', at: '2026-03-10T15:00:00Z', attempt: { dialer: 'prerecorded' }, borrower: { consents: [{ kind: 'prerecorded-calls', at: '2025-01-01T00:00:00Z' }] }, decision: 'allow' },
    { name: 'revoked by opting out of calls', at: '2026-03-10T15:00:00Z', attempt: { dialer: 'autodialed' }, borrower: { optOuts: ['call'], consents: [{ kind: 'autodialed-calls', at: '2025-01-01T00:00:00Z' }] }, decision: 'deny', codes: ['CHANNEL_OPT_OUT'] },
  ]);
});

describe('visits: approval on record everywhere', () => {
  check([
    { name: 'US visit without approval', at: '2026-03-10T15:00:00Z', attempt: { channel: 'visit', place: 'home' }, decision: 'deny', codes: ['VISIT_REQUIREMENTS'], rules: ['FLOOR-VISIT'], allowAfter: null },
    { name: 'US approved visit', at: '2026-03-10T15:00:00Z', attempt: { channel: 'visit', place: 'home', approved: true }, decision: 'allow' },
    { name: 'CN approved visit with two collectors', policy: 'CN', zones: ['Asia/Shanghai'], at: '2026-05-12T02:00:00Z', attempt: { channel: 'visit', place: 'home', approved: true, collectors: 2 }, decision: 'allow' },
    { name: 'CN unapproved visit with one collector', policy: 'CN', zones: ['Asia/Shanghai'], at: '2026-05-12T02:00:00Z', attempt: { channel: 'visit', place: 'home', collectors: 1 }, decision: 'deny', codes: ['VISIT_REQUIREMENTS'], rules: ['CN-09'] },
    { name: 'UK approved visit after a letter', policy: 'UK', zones: ['Europe/London'], at: '2026-05-12T10:00:00Z', attempt: { channel: 'visit', place: 'home', approved: true }, history: [{ at: '2026-05-01T10:00:00Z', channel: 'letter', debtIds: ['A'], outcome: 'delivered' }], decision: 'allow' },
    { name: 'UK visit without notice', policy: 'UK', zones: ['Europe/London'], at: '2026-05-12T10:00:00Z', attempt: { channel: 'visit', place: 'home', approved: true }, decision: 'deny', codes: ['VISIT_REQUIREMENTS'], rules: ['UK-03'] },
    { name: 'UK visit to a vulnerable customer', policy: 'UK', zones: ['Europe/London'], at: '2026-05-12T10:00:00Z', borrower: { flags: ['vulnerable'] }, attempt: { channel: 'visit', place: 'home', approved: true }, history: [{ at: '2026-05-01T10:00:00Z', channel: 'letter', outcome: 'delivered' }], decision: 'deny', codes: ['VULNERABLE'] },
  ]);
});

describe('US-MA adds MA-01 and MA-02', () => {
  const ma = { policy: 'US-MA', zones: ['America/New_York'] };
  check([
    { ...ma, name: 'a third call in 7 days is refused', at: '2026-06-05T15:00:00Z', history: [call('2026-06-01T15:00:00Z'), call('2026-06-03T15:00:00Z')], decision: 'deny', codes: ['CALL_FREQUENCY'], rules: ['MA-01'], allowAfter: '2026-06-08T12:00:00Z' },
    { ...ma, name: 'a second call is allowed', at: '2026-06-05T15:00:00Z', history: [call('2026-06-01T15:00:00Z')], decision: 'allow' },
    { ...ma, name: 'texts count with calls', at: '2026-06-05T15:00:00Z', history: [call('2026-06-01T15:00:00Z', { channel: 'sms', outcome: 'delivered' }), call('2026-06-03T15:00:00Z')], attempt: { channel: 'sms' }, decision: 'deny', codes: ['CALL_FREQUENCY'] },
    { ...ma, name: 'work numbers: two per 30 days', at: '2026-06-25T15:00:00Z', history: [call('2026-06-01T15:00:00Z', { place: 'work' }), call('2026-06-10T15:00:00Z', { place: 'work' })], attempt: { place: 'work' }, decision: 'deny', codes: ['CALL_FREQUENCY'], allowAfter: '2026-07-01T12:00:00Z' },
    { ...ma, name: 'a second home visit within 30 days', at: '2026-06-20T15:00:00Z', history: [{ at: '2026-06-01T15:00:00Z', channel: 'visit', place: 'home', outcome: 'connected' }], attempt: { channel: 'visit', place: 'home', approved: true }, decision: 'deny', codes: ['VISIT_REQUIREMENTS'], rules: ['MA-02'], allowAfter: '2026-07-01T12:00:00Z' },
    { ...ma, name: 'a workplace visit without the borrower asking', at: '2026-06-20T15:00:00Z', attempt: { channel: 'visit', place: 'work', approved: true }, decision: 'deny', codes: ['WORKPLACE'], rules: ['MA-02'] },
    { ...ma, name: 'a workplace visit the borrower asked for', at: '2026-06-20T15:00:00Z', borrower: { consents: [{ kind: 'workplace-visit', at: '2026-06-19T15:00:00Z' }] }, attempt: { channel: 'visit', place: 'work', approved: true }, decision: 'allow' },
    { ...ma, name: 'US rules still apply in Massachusetts', at: '2026-06-20T03:00:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], rules: ['US-01'], allowAfter: '2026-06-20T12:00:00Z' },
  ]);
});

describe('CN pack', () => {
  const cn = { policy: 'CN', zones: ['Asia/Shanghai'] };
  const connected = (at: string, debt = 'A') => call(at, { outcome: 'connected', debtIds: [debt] });
  check([
    { ...cn, name: 'CN-01 21:59:59 is allowed', at: '2026-05-12T13:59:59Z', decision: 'allow' },
    { ...cn, name: 'CN-01 22:00 is refused until 08:00', at: '2026-05-12T14:00:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], rules: ['CN-01'], allowAfter: '2026-05-13T00:00:00Z' },
    { ...cn, name: 'CN-01 07:59:59 is refused', at: '2026-05-12T23:59:59Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-05-13T00:00:00Z' },
    { ...cn, name: 'CN-01 SMS at night', at: '2026-05-12T15:00:00Z', attempt: { channel: 'sms' }, decision: 'deny', codes: ['OUTSIDE_HOURS'] },
    { ...cn, name: 'CN-01 unknown zone means Asia/Shanghai', at: '2026-05-12T14:00:00Z', zones: [], decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-05-13T00:00:00Z' },
    { ...cn, name: 'CN-02 a fourth connected call in a day, across debts', at: '2026-05-12T08:00:00Z', history: [connected('2026-05-12T01:00:00Z'), connected('2026-05-12T02:00:00Z', 'B'), connected('2026-05-12T03:00:00Z', 'C')], decision: 'deny', codes: ['DAILY_LIMIT'], rules: ['CN-02'], allowAfter: '2026-05-13T00:00:00Z' },
    { ...cn, name: 'CN-02 a third connected call is allowed', at: '2026-05-12T08:00:00Z', history: [connected('2026-05-12T01:00:00Z'), connected('2026-05-12T02:00:00Z')], decision: 'allow' },
    { ...cn, name: 'CN-02 yesterday does not count (local day starts 16:00Z)', at: '2026-05-12T08:00:00Z', history: [connected('2026-05-11T15:59:00Z'), connected('2026-05-12T02:00:00Z'), connected('2026-05-12T03:00:00Z')], decision: 'allow' },
    { ...cn, name: 'CN-04 a seventh unanswered dial to one number', at: '2026-05-12T08:00:00Z', history: [1, 2, 3, 4, 5, 6].map((hour) => call(`2026-05-12T0${hour}:00:00Z`)), decision: 'deny', codes: ['DAILY_LIMIT'], rules: ['CN-04'], allowAfter: '2026-05-13T00:00:00Z' },
    { ...cn, name: 'CN-04 another number is allowed', at: '2026-05-12T08:00:00Z', history: [1, 2, 3, 4, 5, 6].map((hour) => call(`2026-05-12T0${hour}:00:00Z`)), attempt: { place: 'home' }, decision: 'allow' },
    { ...cn, name: 'CN-05 an earlier round within 7 days warns', at: '2026-05-12T08:00:00Z', history: [call('2026-05-09T08:00:00Z', { channel: 'sms', outcome: 'delivered' })], decision: 'allow', warnings: ['CN-05'] },
    { ...cn, name: 'CN-05 a round 8 days ago does not warn', at: '2026-05-12T08:00:00Z', history: [call('2026-05-04T08:00:00Z')], decision: 'allow', warnings: [] },
    { ...cn, name: 'CN-07 a contact when the borrower is unreachable, without the debt', at: '2026-05-12T02:00:00Z', borrower: { reachable: false }, attempt: { to: 'third-party', thirdPartyId: 'c1', disclosesDebt: false }, decision: 'allow' },
    { ...cn, name: 'CN-07 never again after a refusal', at: '2026-05-12T02:00:00Z', borrower: { reachable: false }, attempt: { to: 'third-party', thirdPartyId: 'c1', disclosesDebt: false }, history: [call('2026-05-01T02:00:00Z', { to: 'third-party', thirdPartyId: 'c1', outcome: 'refused-contact' })], decision: 'deny', codes: ['THIRD_PARTY_LIMIT'], rules: ['CN-07'] },
    { ...cn, name: 'CN-07 a contact who did not refuse may be reached again', at: '2026-05-12T02:00:00Z', borrower: { reachable: false }, attempt: { to: 'third-party', thirdPartyId: 'c1', disclosesDebt: false }, history: [call('2026-05-01T02:00:00Z', { to: 'third-party', thirdPartyId: 'c1', outcome: 'connected' })], decision: 'allow' },
    { ...cn, name: 'CN floor: cease is honoured', at: '2026-05-12T02:00:00Z', borrower: { flags: ['cease'] }, decision: 'deny', codes: ['CEASE_COMMUNICATION'], rules: ['FLOOR-CEASE'] },
    { ...cn, name: 'CN floor: opt-outs are honoured', at: '2026-05-12T02:00:00Z', borrower: { optOuts: ['sms'] }, attempt: { channel: 'sms' }, decision: 'deny', codes: ['CHANNEL_OPT_OUT'] },
  ]);
});

describe('UK pack', () => {
  const uk = { policy: 'UK', zones: ['Europe/London'] };
  check([
    { ...uk, name: 'UK-01 20:59 BST is allowed', at: '2026-06-01T19:59:00Z', decision: 'allow' },
    { ...uk, name: 'UK-01 21:00 BST is refused until 08:00 BST', at: '2026-06-01T20:00:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], rules: ['UK-01'], allowAfter: '2026-06-02T07:00:00Z' },
    { ...uk, name: 'UK-01 before the March change 07:30 GMT is refused', at: '2026-03-28T07:30:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-28T08:00:00Z' },
    { ...uk, name: 'UK-01 after the March change 07:30Z is 08:30 BST', at: '2026-03-29T07:30:00Z', decision: 'allow' },
    { ...uk, name: 'UK-01 the October change: 07:30Z is 07:30 GMT', at: '2026-10-25T07:30:00Z', decision: 'deny', codes: ['OUTSIDE_HOURS'], allowAfter: '2026-10-25T08:00:00Z' },
    { ...uk, name: 'UK-01 stated preferences bind', at: '2026-06-01T10:00:00Z', borrower: { inconvenient: [{ from: '09:00', to: '17:00' }] }, decision: 'deny', codes: ['STATED_INCONVENIENT'], rules: ['UK-01'], allowAfter: '2026-06-01T16:00:00Z' },
    { ...uk, name: 'UK-02 no disclosure to third parties', at: '2026-06-01T10:00:00Z', attempt: { to: 'third-party', thirdPartyId: 'p1' }, decision: 'deny', codes: ['THIRD_PARTY_DISCLOSURE'], rules: ['UK-02'] },
    { ...uk, name: 'UK-05 lacking capacity suspends recovery', at: '2026-06-01T10:00:00Z', borrower: { flags: ['lacks-capacity'] }, attempt: { channel: 'letter' }, decision: 'deny', codes: ['VULNERABLE'], rules: ['UK-05'], allowAfter: null },
    { ...uk, name: 'UK-05 vulnerable and outside hours: no allowAfter', at: '2026-06-01T22:00:00Z', borrower: { flags: ['vulnerable'] }, decision: 'deny', codes: ['OUTSIDE_HOURS', 'VULNERABLE'], allowAfter: null },
  ]);
});

describe('decisions carry the pack and version', () => {
  it('names the policy that decided', () => {
    expect(run({ name: '', at: '2026-03-10T15:00:00Z', decision: 'allow' }).policy).toBe('US@2026.11');
    expect(run({ name: '', policy: 'US-MA', at: '2026-03-10T15:00:00Z', decision: 'allow' }).policy).toBe('US-MA@2026.11');
  });
});
