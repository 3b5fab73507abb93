import { PACK_IDS, type PackId } from '../compliance/policy-pack.ts';
import { addDays, type BusinessDate, daysBetween } from '../shared/business-date.ts';
import { validationError } from '../shared/errors.ts';
import { fieldPath, type JsonObject, readArray, readEnum, readInteger, readObject, readString } from '../shared/input.ts';
import type { MessageLanguage } from './channels/message-channel.ts';

/**
 * Collection strategies as versioned data: segments (which cases), ladders of rungs (when, what,
 * which template, repeat and wait), and champion/challenger arms. `parseStrategy` validates a JSON
 * definition and names the field of any error (e.g. `ladders.standard.rungs.3.when.dpd`); `dueRungs`
 * says which actions are due for a case on a business date.
 */
export const RUNG_ACTIONS = ['sms', 'email', 'call-task', 'letter', 'field-visit-request'] as const;
export type RungAction = (typeof RUNG_ACTIONS)[number];
export const RUNG_EVENTS = ['promise-broken', 'payment-missed', 'no-right-party-contact'] as const;
export type RungEvent = (typeof RUNG_EVENTS)[number];

export type RungWhen = { dpd: number } | { event: 'promise-broken' | 'payment-missed'; waitDays: number } | { event: 'no-right-party-contact'; days: number };

export interface Rung {
  id: string;
  when: RungWhen;
  action: RungAction;
  template: string | null;
  /** Further runs after the first: `times` more, `everyDays` apart. */
  repeat: { times: number; everyDays: number } | null;
  /** Not before this DPD (field visits: at least 60). */
  minimumDpd: number | null;
}

export interface Segment {
  name: string;
  dpd: { min: number; max: number } | null;
  balanceMinor: { min: bigint; max: bigint } | null;
  products: string[];
  riskScore: { min: number; max: number } | null;
  jurisdictions: PackId[];
  languages: MessageLanguage[];
  ladder: string;
}

export interface Arm {
  name: string;
  percent: number;
  /** Ladder replacements for this arm: the challenger's ladder instead of the champion's. */
  ladders: Record<string, string>;
}

export interface Strategy {
  id: string;
  version: number;
  jurisdiction: PackId;
  segments: Segment[];
  ladders: Record<string, Rung[]>;
  arms: Arm[];
}

export interface CaseFacts {
  caseId: string;
  dpd: number;
  balanceMinor: bigint;
  product: string;
  riskScore: number;
  jurisdiction: PackId;
  language: MessageLanguage;
  promiseBrokenOn: BusinessDate | null;
  paymentMissedOn: BusinessDate | null;
  /** The last conversation with the borrower themself; null = never (then `openedOn` counts). */
  lastRightPartyContactOn: BusinessDate | null;
  openedOn: BusinessDate;
  /** When each rung last ran for this case. */
  rungsRun: ReadonlyArray<{ rungId: string; on: BusinessDate }>;
}

export interface DueAction {
  rungId: string;
  action: RungAction;
  template: string | null;
  /** Field visits go to a supervisor first. */
  requiresApproval: boolean;
}

// Limits: a strategy is configuration for people to read, not a program.
const MAXIMUM_SEGMENTS = 50;
const MAXIMUM_LADDERS = 20;
const MAXIMUM_RUNGS = 60;
const MAXIMUM_ARMS = 5;
const MAXIMUM_REPEAT = 30;
export const FIELD_VISIT_MINIMUM_DPD = 60;
export const FIELD_VISIT_MINIMUM_DAYS_WITHOUT_CONTACT = 14;

/**
 * Parses and validates a strategy definition.
 *
 * @example parseStrategy(JSON.parse(readFileSync('cn.json', 'utf8'))).ladders.standard.length // 9
 */
export function parseStrategy(json: unknown): Strategy {
  const root = readObject(json, '', ['id', 'version', 'jurisdiction', 'segments', 'ladders', 'arms']);
  const id = readString(root, 'id', '');
  const version = readInteger(root, 'version', '', { min: 1, max: 1_000_000 });
  const jurisdiction = readEnum(root, 'jurisdiction', '', PACK_IDS);
  const laddersObject = readObject(root.ladders, 'ladders', Object.keys((root.ladders as object | undefined) ?? {}));
  const ladderNames = Object.keys(laddersObject);
  if (ladderNames.length === 0 || ladderNames.length > MAXIMUM_LADDERS) throw validationError('ladders', `must hold 1 to ${MAXIMUM_LADDERS} ladders`);
  const ladders: Record<string, Rung[]> = {};
  for (const name of ladderNames) ladders[name] = parseLadder(laddersObject, name);
  const segmentItems = readArray(root, 'segments', '');
  if (segmentItems.length === 0 || segmentItems.length > MAXIMUM_SEGMENTS) throw validationError('segments', `must hold 1 to ${MAXIMUM_SEGMENTS} segments`);
  const segments = segmentItems.map((item, index) => parseSegment(item, fieldPath('segments', index), ladderNames));
  const armItems = readArray(root, 'arms', '', []);
  if (armItems.length > MAXIMUM_ARMS) throw validationError('arms', `must hold at most ${MAXIMUM_ARMS} arms`);
  const arms = armItems.map((item, index) => {
    const field = fieldPath('arms', index);
    const object = readObject(item, field, ['name', 'percent', 'ladders']);
    const replacements = readObject(object.ladders ?? {}, fieldPath(field, 'ladders'), ladderNames);
    const mapped: Record<string, string> = {};
    for (const [from, to] of Object.entries(replacements)) {
      if (typeof to !== 'string' || !ladderNames.includes(to)) throw validationError(fieldPath(fieldPath(field, 'ladders'), from), `must name a ladder: ${ladderNames.join(', ')}`);
      mapped[from] = to;
    }
    return { name: readString(object, 'name', field), percent: readInteger(object, 'percent', field, { min: 0, max: 100 }), ladders: mapped };
  });
  if (arms.length > 0 && arms.reduce((sum, arm) => sum + arm.percent, 0) !== 100) throw validationError('arms', 'percentages must sum to 100');
  return { id, version, jurisdiction, segments, ladders, arms };
}

function parseLadder(ladders: JsonObject, name: string): Rung[] {
  const field = fieldPath('ladders', name);
  const object = readObject(ladders[name], field, ['rungs']);
  const items = readArray(object, 'rungs', field);
  if (items.length === 0 || items.length > MAXIMUM_RUNGS) throw validationError(fieldPath(field, 'rungs'), `must hold 1 to ${MAXIMUM_RUNGS} rungs`);
  const rungs = items.map((item, index) => parseRung(item, fieldPath(fieldPath(field, 'rungs'), index)));
  const ids = new Set<string>();
  rungs.forEach((rung, index) => {
    if (ids.has(rung.id)) throw validationError(fieldPath(fieldPath(fieldPath(field, 'rungs'), index), 'id'), `"${rung.id}" is used twice`);
    ids.add(rung.id);
  });
  return rungs;
}

function parseRung(value: unknown, field: string): Rung {
  const object = readObject(value, field, ['id', 'when', 'action', 'template', 'repeat', 'minimumDpd']);
  const id = readString(object, 'id', field);
  const action = readEnum(object, 'action', field, RUNG_ACTIONS);
  const whenField = fieldPath(field, 'when');
  const whenObject = readObject(object.when, whenField, ['dpd', 'event', 'waitDays', 'days']);
  let when: RungWhen;
  if (whenObject.dpd !== undefined) {
    if (whenObject.event !== undefined) throw validationError(fieldPath(whenField, 'event'), 'cannot be given with "dpd"');
    when = { dpd: readInteger(whenObject, 'dpd', whenField, { min: -30, max: 720 }) };
  } else {
    const event = readEnum(whenObject, 'event', whenField, RUNG_EVENTS);
    when = event === 'no-right-party-contact'
      ? { event, days: readInteger(whenObject, 'days', whenField, { min: 1, max: 365 }) }
      : { event, waitDays: readInteger(whenObject, 'waitDays', whenField, { min: 0, max: 60, fallback: 0 }) };
  }
  const template = object.template === undefined || object.template === null ? null : readString(object, 'template', field);
  if (action !== 'field-visit-request' && template === null) throw validationError(fieldPath(field, 'template'), `is required for a ${action} rung`);
  let repeat: Rung['repeat'] = null;
  if (object.repeat !== undefined && object.repeat !== null) {
    const repeatObject = readObject(object.repeat, fieldPath(field, 'repeat'), ['times', 'everyDays']);
    repeat = {
      times: readInteger(repeatObject, 'times', fieldPath(field, 'repeat'), { min: 1, max: MAXIMUM_REPEAT }),
      everyDays: readInteger(repeatObject, 'everyDays', fieldPath(field, 'repeat'), { min: 1, max: 90 }),
    };
  }
  const minimumDpd = object.minimumDpd === undefined ? null : readInteger(object, 'minimumDpd', field, { min: 0, max: 720 });
  if (action === 'field-visit-request') {
    // A visit is the last resort: only long overdue, only after the remote channels failed (DESIGN.md).
    if (minimumDpd === null || minimumDpd < FIELD_VISIT_MINIMUM_DPD) throw validationError(fieldPath(field, 'minimumDpd'), `must be at least ${FIELD_VISIT_MINIMUM_DPD} for a field visit`);
    if (!('event' in when) || when.event !== 'no-right-party-contact' || when.days < FIELD_VISIT_MINIMUM_DAYS_WITHOUT_CONTACT) {
      throw validationError(whenField, `a field visit must be triggered by "no-right-party-contact" for at least ${FIELD_VISIT_MINIMUM_DAYS_WITHOUT_CONTACT} days`);
    }
  }
  return { id, when, action, template, repeat, minimumDpd };
}

function parseSegment(value: unknown, field: string, ladderNames: string[]): Segment {
  const object = readObject(value, field, ['name', 'dpd', 'balanceMinor', 'products', 'riskScore', 'jurisdictions', 'languages', 'ladder']);
  const range = (key: string, min: number, max: number) => {
    if (object[key] === undefined || object[key] === null) return null;
    const rangeField = fieldPath(field, key);
    const rangeObject = readObject(object[key], rangeField, ['min', 'max']);
    const low = readInteger(rangeObject, 'min', rangeField, { min, max });
    const high = readInteger(rangeObject, 'max', rangeField, { min: low, max });
    return { min: low, max: high };
  };
  let balanceMinor: Segment['balanceMinor'] = null;
  if (object.balanceMinor !== undefined && object.balanceMinor !== null) {
    const balanceField = fieldPath(field, 'balanceMinor');
    const balance = readObject(object.balanceMinor, balanceField, ['min', 'max']);
    const read = (key: string) => {
      const text = balance[key];
      if (typeof text !== 'string' || !/^\d{1,18}$/.test(text)) throw validationError(fieldPath(balanceField, key), 'must be a whole number of minor units as a string, e.g. "500000"');
      return BigInt(text);
    };
    balanceMinor = { min: read('min'), max: read('max') };
    if (balanceMinor.max < balanceMinor.min) throw validationError(fieldPath(balanceField, 'max'), 'must not be below min');
  }
  const strings = (key: string) => readArray(object, key, field, []).map((item, index) => {
    if (typeof item !== 'string' || item.length === 0) throw validationError(fieldPath(fieldPath(field, key), index), 'must be a non-empty string');
    return item;
  });
  const jurisdictions = strings('jurisdictions').map((item, index) => {
    if (!(PACK_IDS as readonly string[]).includes(item)) throw validationError(fieldPath(fieldPath(field, 'jurisdictions'), index), `must be one of ${PACK_IDS.join(', ')}`);
    return item as PackId;
  });
  const languages = strings('languages').map((item, index) => {
    if (item !== 'zh-CN' && item !== 'en') throw validationError(fieldPath(fieldPath(field, 'languages'), index), 'must be "zh-CN" or "en"');
    return item as MessageLanguage;
  });
  const ladder = readString(object, 'ladder', field);
  if (!ladderNames.includes(ladder)) throw validationError(fieldPath(field, 'ladder'), `must name a ladder: ${ladderNames.join(', ')}`);
  return { name: readString(object, 'name', field), dpd: range('dpd', -30, 10_000), balanceMinor, products: strings('products'), riskScore: range('riskScore', 0, 1_000), jurisdictions, languages, ladder };
}

/**
 * The first segment whose every condition matches the case (empty lists match anything); null when none does.
 *
 * @example segmentFor(strategy, facts)?.name // "standard"
 */
export function segmentFor(strategy: Strategy, facts: CaseFacts): Segment | null {
  for (const segment of strategy.segments) {
    if (segment.dpd && (facts.dpd < segment.dpd.min || facts.dpd > segment.dpd.max)) continue;
    if (segment.balanceMinor && (facts.balanceMinor < segment.balanceMinor.min || facts.balanceMinor > segment.balanceMinor.max)) continue;
    if (segment.products.length > 0 && !segment.products.includes(facts.product)) continue;
    if (segment.riskScore && (facts.riskScore < segment.riskScore.min || facts.riskScore > segment.riskScore.max)) continue;
    if (segment.jurisdictions.length > 0 && !segment.jurisdictions.includes(facts.jurisdiction)) continue;
    if (segment.languages.length > 0 && !segment.languages.includes(facts.language)) continue;
    return segment;
  }
  return null;
}

/**
 * The arm a case is in: FNV-1a of strategy id and case id, mod 100, against the cumulative
 * percentages. The same case always lands in the same arm of the same strategy.
 *
 * @example armFor(strategy, 'case_01J…')?.name // "champion"
 */
export function armFor(strategy: Pick<Strategy, 'id' | 'arms'>, caseId: string): Arm | null {
  if (strategy.arms.length === 0) return null;
  const bucket = stableHash(`${strategy.id}:${caseId}`) % 100;
  let cumulative = 0;
  for (const arm of strategy.arms) {
    cumulative += arm.percent;
    if (bucket < cumulative) return arm;
  }
  return strategy.arms[strategy.arms.length - 1]!;
}

function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The actions due for a case on `date`: DPD rungs on their day (and their repeats), event rungs after
 * their wait, no-right-party-contact rungs once the silence is long enough (again every `everyDays`
 * while it lasts, up to `times`). A field visit also needs DPD ≥ 60 and 14 days without contact, and
 * always requires a supervisor's approval.
 *
 * @example dueRungs(strategy, { …facts, dpd: 1 }, '2026-03-11') // [{ rungId: 'sms-dpd-1', action: 'sms', template: 'dpd-1', requiresApproval: false }]
 */
export function dueRungs(strategy: Strategy, facts: CaseFacts, date: BusinessDate): DueAction[] {
  const segment = segmentFor(strategy, facts);
  if (!segment) return [];
  const arm = armFor(strategy, facts.caseId);
  const ladder = strategy.ladders[arm?.ladders[segment.ladder] ?? segment.ladder]!;
  const due: DueAction[] = [];
  for (const rung of ladder) {
    if (rung.minimumDpd !== null && facts.dpd < rung.minimumDpd) continue;
    const runs = facts.rungsRun.filter((run) => run.rungId === rung.id);
    if (runs.some((run) => run.on === date)) continue;
    if (!isDue(rung, facts, date, runs)) continue;
    if (rung.action === 'field-visit-request' && (facts.dpd < FIELD_VISIT_MINIMUM_DPD || daysWithoutContact(facts, date) < FIELD_VISIT_MINIMUM_DAYS_WITHOUT_CONTACT)) continue;
    due.push({ rungId: rung.id, action: rung.action, template: rung.template, requiresApproval: rung.action === 'field-visit-request' });
  }
  return due;
}

function daysWithoutContact(facts: CaseFacts, date: BusinessDate): number {
  return daysBetween(facts.lastRightPartyContactOn ?? facts.openedOn, date);
}

function isDue(rung: Rung, facts: CaseFacts, date: BusinessDate, runs: ReadonlyArray<{ on: BusinessDate }>): boolean {
  const repeats = rung.repeat?.times ?? 0;
  const every = rung.repeat?.everyDays ?? 1;
  const onSchedule = (offset: number) => offset >= 0 && offset % every === 0 && offset / every <= repeats;
  const when = rung.when;
  if ('dpd' in when) return onSchedule(facts.dpd - when.dpd);
  if (when.event === 'no-right-party-contact') {
    if (daysWithoutContact(facts, date) < when.days) return false;
    const since = facts.lastRightPartyContactOn ?? facts.openedOn;
    const runsInSilence = runs.filter((run) => run.on > since).sort((a, b) => (a.on < b.on ? 1 : -1));
    if (runsInSilence.length === 0) return true;
    return runsInSilence.length <= repeats && daysBetween(runsInSilence[0]!.on, date) >= every;
  }
  const happenedOn = when.event === 'promise-broken' ? facts.promiseBrokenOn : facts.paymentMissedOn;
  if (happenedOn === null) return false;
  return onSchedule(daysBetween(addDays(happenedOn, when.waitDays), date));
}
