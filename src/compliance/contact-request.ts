import { validationError } from '../shared/errors.ts';
import { fieldPath, type JsonObject, readArray, readBoolean, readEnum, readInteger, readObject, readOptionalString, readString } from '../shared/input.ts';
import { parseInstant, WEEKDAY_NAMES, zoneOffsets } from './local-time.ts';
import {
  BORROWER_FLAGS,
  type BorrowerFlag,
  type Channel,
  CHANNELS,
  CONSENT_KINDS,
  type ConsentKind,
  type Dialer,
  DIALERS,
  type Outcome,
  OUTCOMES,
  PACK_IDS,
  type PackId,
  parseMinuteOfDay,
  type Place,
  PLACES,
  type Recipient,
  RECIPIENTS,
} from './policy-pack.ts';

/**
 * The contact gate's input (compliance-check.md), parsed: instants are epoch milliseconds, defaults
 * are filled in, every value is checked. The evaluator trusts this shape and checks nothing again.
 */
export interface ContactRequest {
  policy: PackId;
  atMs: number;
  borrower: BorrowerFacts;
  attempt: ProposedAttempt;
  history: HistoryEntry[];
}

export interface BorrowerFacts {
  /** IANA zones the borrower may be in; empty = unknown (the pack's default set applies). */
  timeZones: string[];
  flags: BorrowerFlag[];
  inconvenient: InconvenientTime[];
  optOuts: Channel[];
  consents: Consent[];
  reachable: boolean;
}

/**
 * A time the borrower said is inconvenient: whole weekdays, a daily local range [from, to), or a range
 * on given weekdays. A range whose end is before its start runs across midnight.
 */
export interface InconvenientTime {
  /** Weekday indexes, Monday = 0; null = every day. */
  weekdays: number[] | null;
  /** Minutes since local midnight; null = the whole day. */
  fromMinute: number | null;
  toMinute: number | null;
}

export interface Consent {
  kind: ConsentKind;
  /** When the consent was given. */
  atMs: number;
  /** The window it covers: [fromMs, untilMs); null = from when given / without end. */
  fromMs: number | null;
  untilMs: number | null;
}

export interface ProposedAttempt {
  channel: Channel;
  debtId: string;
  to: Recipient;
  thirdPartyId: string | null;
  place: Place;
  dialer: Dialer;
  disclosesDebt: boolean;
  collectors: number;
  approved: boolean;
}

export interface HistoryEntry {
  atMs: number;
  channel: Channel;
  /** The debts the attempt was about; null when not stated (then it counts for every debt). */
  debtIds: string[] | null;
  to: Recipient;
  thirdPartyId: string | null;
  place: Place;
  outcome: Outcome;
}

// Limits on input sizes: a request is one attempt, not a data dump.
const MAXIMUM_TIME_ZONES = 20;
const MAXIMUM_INCONVENIENT = 100;
const MAXIMUM_CONSENTS = 200;
const MAXIMUM_HISTORY = 10_000;
const MAXIMUM_DEBTS_PER_ENTRY = 100;
const MAXIMUM_COLLECTORS = 20;
const MAXIMUM_IDENTIFIER_LENGTH = 200;

const REQUEST_KEYS = ['policy', 'at', 'borrower', 'attempt', 'history'] as const;
const BORROWER_KEYS = ['timeZones', 'flags', 'inconvenient', 'optOuts', 'consents', 'reachable'] as const;
const INCONVENIENT_KEYS = ['weekdays', 'from', 'to'] as const;
const CONSENT_KEYS = ['kind', 'at', 'from', 'until'] as const;
const ATTEMPT_KEYS = ['channel', 'debtId', 'to', 'thirdPartyId', 'place', 'dialer', 'disclosesDebt', 'collectors', 'approved'] as const;
const HISTORY_KEYS = ['at', 'channel', 'debtIds', 'to', 'thirdPartyId', 'place', 'outcome'] as const;

/**
 * Parses the contract's JSON input. Unknown fields are UNKNOWN_FIELD errors and bad values
 * VALIDATION_FAILED errors, each naming the field (e.g. `attempt.channel`, `history.3.at`).
 *
 * @example
 * const request = parseContactRequest({ policy: 'US', at: '2026-03-09T14:30:00Z', attempt: { channel: 'call', debtId: 'A' } });
 * request.borrower.reachable // true
 */
export function parseContactRequest(json: unknown): ContactRequest {
  const root = readObject(json, '', REQUEST_KEYS);
  const policy = readEnum(root, 'policy', '', PACK_IDS);
  const atMs = readInstant(root, 'at', '');
  const borrower = parseBorrower(root.borrower, 'borrower');
  const attempt = parseAttempt(root.attempt, 'attempt');
  const historyItems = readArray(root, 'history', '', []);
  if (historyItems.length > MAXIMUM_HISTORY) throw validationError('history', `must hold at most ${MAXIMUM_HISTORY} attempts`);
  const history = historyItems.map((item, index) => parseHistoryEntry(item, fieldPath('history', index)));
  return { policy, atMs, borrower, attempt, history };
}

function parseBorrower(value: unknown, field: string): BorrowerFacts {
  if (value === undefined) return { timeZones: [], flags: [], inconvenient: [], optOuts: [], consents: [], reachable: true };
  const object = readObject(value, field, BORROWER_KEYS);
  const timeZones = readLimitedArray(object, 'timeZones', field, MAXIMUM_TIME_ZONES).map((item, index) => {
    const itemField = fieldPath(fieldPath(field, 'timeZones'), index);
    if (typeof item !== 'string' || zoneOffsets(item) === null) throw validationError(itemField, `must be an IANA time zone such as "America/Chicago"`);
    return item;
  });
  const flags = readEnumList(object, 'flags', field, BORROWER_FLAGS);
  const inconvenient = readLimitedArray(object, 'inconvenient', field, MAXIMUM_INCONVENIENT).map((item, index) =>
    parseInconvenient(item, fieldPath(fieldPath(field, 'inconvenient'), index)),
  );
  const optOuts = readEnumList(object, 'optOuts', field, CHANNELS);
  const consents = readLimitedArray(object, 'consents', field, MAXIMUM_CONSENTS).map((item, index) =>
    parseConsent(item, fieldPath(fieldPath(field, 'consents'), index)),
  );
  const reachable = readBoolean(object, 'reachable', field, true);
  return { timeZones, flags, inconvenient, optOuts, consents, reachable };
}

function parseInconvenient(value: unknown, field: string): InconvenientTime {
  const object = readObject(value, field, INCONVENIENT_KEYS);
  let weekdays: number[] | null = null;
  if (object.weekdays !== undefined) {
    const names = readEnumList(object, 'weekdays', field, WEEKDAY_NAMES);
    if (names.length === 0) throw validationError(fieldPath(field, 'weekdays'), 'must name at least one day, "mon".."sun"');
    weekdays = names.map((name) => WEEKDAY_NAMES.indexOf(name));
  }
  const hasFrom = object.from !== undefined;
  const hasTo = object.to !== undefined;
  if (hasFrom !== hasTo) throw validationError(fieldPath(field, hasFrom ? 'to' : 'from'), 'is required with a time range (both "from" and "to", "HH:MM")');
  if (!hasFrom && weekdays === null) throw validationError(field, 'must give "weekdays", a "from"/"to" range, or both');
  let fromMinute: number | null = null;
  let toMinute: number | null = null;
  if (hasFrom) {
    fromMinute = readMinute(object, 'from', field, false);
    toMinute = readMinute(object, 'to', field, true);
    if (fromMinute === toMinute) throw validationError(fieldPath(field, 'to'), 'must differ from "from" (use "weekdays" for whole days)');
  }
  return { weekdays, fromMinute, toMinute };
}

function readMinute(object: JsonObject, key: string, parent: string, allowEndOfDay: boolean): number {
  const value = object[key];
  const minute = typeof value === 'string' ? parseMinuteOfDay(value, allowEndOfDay) : null;
  if (minute === null) throw validationError(fieldPath(parent, key), `must be a local time "HH:MM"${allowEndOfDay ? ' (up to "24:00")' : ''}`);
  return minute;
}

function parseConsent(value: unknown, field: string): Consent {
  const object = readObject(value, field, CONSENT_KEYS);
  const kind = readEnum(object, 'kind', field, CONSENT_KINDS);
  const atMs = readInstant(object, 'at', field);
  const fromMs = object.from === undefined || object.from === null ? null : readInstant(object, 'from', field);
  const untilMs = object.until === undefined || object.until === null ? null : readInstant(object, 'until', field);
  if (fromMs !== null && untilMs !== null && untilMs <= fromMs) throw validationError(fieldPath(field, 'until'), 'must be after "from"');
  return { kind, atMs, fromMs, untilMs };
}

function parseAttempt(value: unknown, field: string): ProposedAttempt {
  if (value === undefined) throw validationError(field, 'is required');
  const object = readObject(value, field, ATTEMPT_KEYS);
  const channel = readEnum(object, 'channel', field, CHANNELS);
  const debtId = readIdentifier(object, 'debtId', field);
  const to = readEnum(object, 'to', field, RECIPIENTS, 'borrower');
  const thirdPartyId = readOptionalIdentifier(object, 'thirdPartyId', field);
  if (to === 'third-party' && thirdPartyId === null) {
    // Without an id, "each person once" and "never after a refusal" cannot be checked.
    throw validationError(fieldPath(field, 'thirdPartyId'), 'is required when "to" is "third-party"');
  }
  const place = readEnum(object, 'place', field, PLACES, 'mobile');
  const dialer = readEnum(object, 'dialer', field, DIALERS, 'manual');
  const disclosesDebt = readBoolean(object, 'disclosesDebt', field, true);
  const collectors = readInteger(object, 'collectors', field, { min: 1, max: MAXIMUM_COLLECTORS, fallback: 1 });
  const approved = readBoolean(object, 'approved', field, false);
  return { channel, debtId, to, thirdPartyId, place, dialer, disclosesDebt, collectors, approved };
}

function parseHistoryEntry(value: unknown, field: string): HistoryEntry {
  const object = readObject(value, field, HISTORY_KEYS);
  const atMs = readInstant(object, 'at', field);
  const channel = readEnum(object, 'channel', field, CHANNELS);
  let debtIds: string[] | null = null;
  if (object.debtIds !== undefined && object.debtIds !== null) {
    const items = readLimitedArray(object, 'debtIds', field, MAXIMUM_DEBTS_PER_ENTRY);
    debtIds = items.map((item, index) => {
      if (typeof item !== 'string' || item.length === 0 || item.length > MAXIMUM_IDENTIFIER_LENGTH) {
        throw validationError(fieldPath(fieldPath(field, 'debtIds'), index), 'must be a non-empty string');
      }
      return item;
    });
  }
  const to = readEnum(object, 'to', field, RECIPIENTS, 'borrower');
  const thirdPartyId = readOptionalIdentifier(object, 'thirdPartyId', field);
  const place = readEnum(object, 'place', field, PLACES, 'mobile');
  const outcome = readEnum(object, 'outcome', field, OUTCOMES, 'no-answer');
  return { atMs, channel, debtIds, to, thirdPartyId, place, outcome };
}

function readInstant(object: JsonObject, key: string, parent: string): number {
  const value = object[key];
  const instantMs = typeof value === 'string' ? parseInstant(value) : null;
  if (instantMs === null) {
    throw validationError(fieldPath(parent, key), 'must be an RFC 3339 instant with an offset, such as "2026-03-09T14:30:00Z", between 1970 and 2199');
  }
  return instantMs;
}

function readIdentifier(object: JsonObject, key: string, parent: string): string {
  const value = readString(object, key, parent);
  if (value.length > MAXIMUM_IDENTIFIER_LENGTH) throw validationError(fieldPath(parent, key), `must be at most ${MAXIMUM_IDENTIFIER_LENGTH} characters`);
  return value;
}

function readOptionalIdentifier(object: JsonObject, key: string, parent: string): string | null {
  const value = readOptionalString(object, key, parent);
  if (value !== null && value.length > MAXIMUM_IDENTIFIER_LENGTH) throw validationError(fieldPath(parent, key), `must be at most ${MAXIMUM_IDENTIFIER_LENGTH} characters`);
  return value;
}

function readLimitedArray(object: JsonObject, key: string, parent: string, maximum: number): unknown[] {
  const items = readArray(object, key, parent, []);
  if (items.length > maximum) throw validationError(fieldPath(parent, key), `must hold at most ${maximum} items`);
  return items;
}

function readEnumList<T extends string>(object: JsonObject, key: string, parent: string, allowed: readonly T[]): T[] {
  const items = readLimitedArray(object, key, parent, 100);
  const listField = fieldPath(parent, key);
  const result: T[] = [];
  items.forEach((item, index) => {
    if (typeof item !== 'string' || !(allowed as readonly string[]).includes(item)) {
      throw validationError(fieldPath(listField, index), `must be one of ${allowed.map((name) => JSON.stringify(name)).join(', ')}`);
    }
    if (!result.includes(item as T)) result.push(item as T);
  });
  return result;
}
