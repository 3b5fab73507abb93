import { toEpochDay, parseBusinessDate } from '../shared/business-date.ts';
import { LenityError, validationError } from '../shared/errors.ts';
import { fieldPath, readArray, readEnum, readInteger, readObject, readString } from '../shared/input.ts';
import { WEEKDAY_NAMES, type WeekdayName } from './local-time.ts';
import { PACK_IDS, type PackId, parseMinuteOfDay, type PolicyPack, type WindowLimitRule } from './policy-pack.ts';

/**
 * A lender's overlay on a pack: it may tighten any number (shorter hours, lower caps, longer
 * windows, more collectors on a visit, days without contact such as the lender calendar's public
 * holidays) and never loosen one.
 */
export interface PolicyOverlay {
  /** Who tightens, e.g. "acme-lending". */
  name: string;
  /** The overlay's own version; a receipt names it beside the pack's. */
  version: string;
  pack: PackId;
  /** Narrower permitted local hours, "HH:MM" half-open. */
  hours?: { start: string; end: string };
  /** Whole weekdays without time-bound contact. */
  blockedWeekdays?: WeekdayName[];
  /** Local calendar dates without time-bound contact, "YYYY-MM-DD". */
  blockedDates?: string[];
  /** Numbers per rule id: `limit` (lower is stricter), `windowDays` and `minimumCollectors` (higher is stricter). */
  rules?: Record<string, { limit?: number; windowDays?: number; minimumCollectors?: number }>;
}

export const OVERLAY_BLOCKED_DAYS_RULE = 'OVERLAY-BLOCKED-DAYS';
const MAXIMUM_BLOCKED_DATES = 1000;

/**
 * Reads an overlay from JSON, naming the field of any error.
 *
 * @example parsePolicyOverlay({ name: 'acme', version: '1', pack: 'US', hours: { start: '09:00', end: '20:00' } })
 */
export function parsePolicyOverlay(json: unknown): PolicyOverlay {
  const object = readObject(json, '', ['name', 'version', 'pack', 'hours', 'blockedWeekdays', 'blockedDates', 'rules']);
  const overlay: PolicyOverlay = {
    name: readString(object, 'name', ''),
    version: readString(object, 'version', ''),
    pack: readEnum(object, 'pack', '', PACK_IDS),
  };
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(overlay.name)) throw validationError('name', 'must be 1 to 64 letters, digits, ".", "_" or "-"');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(overlay.version)) throw validationError('version', 'must be 1 to 64 letters, digits, ".", "_" or "-"');
  if (object.hours !== undefined) {
    const hours = readObject(object.hours, 'hours', ['start', 'end']);
    overlay.hours = { start: readString(hours, 'start', 'hours'), end: readString(hours, 'end', 'hours') };
  }
  if (object.blockedWeekdays !== undefined) {
    overlay.blockedWeekdays = readArray(object, 'blockedWeekdays', '').map((item, index) => {
      if (typeof item !== 'string' || !(WEEKDAY_NAMES as readonly string[]).includes(item)) throw validationError(fieldPath('blockedWeekdays', index), 'must be "mon".."sun"');
      return item as WeekdayName;
    });
  }
  if (object.blockedDates !== undefined) {
    const dates = readArray(object, 'blockedDates', '');
    if (dates.length > MAXIMUM_BLOCKED_DATES) throw validationError('blockedDates', `must hold at most ${MAXIMUM_BLOCKED_DATES} dates`);
    overlay.blockedDates = dates.map((item, index) => parseBusinessDate(item, fieldPath('blockedDates', index)));
  }
  if (object.rules !== undefined) {
    const rules = readObject(object.rules, 'rules', Object.keys(object.rules as object));
    overlay.rules = {};
    for (const [ruleId, value] of Object.entries(rules)) {
      const ruleField = fieldPath('rules', ruleId);
      const numbers = readObject(value, ruleField, ['limit', 'windowDays', 'minimumCollectors']);
      const tightened: { limit?: number; windowDays?: number; minimumCollectors?: number } = {};
      if (numbers.limit !== undefined) tightened.limit = readInteger(numbers, 'limit', ruleField, { min: 0, max: 1000 });
      if (numbers.windowDays !== undefined) tightened.windowDays = readInteger(numbers, 'windowDays', ruleField, { min: 1, max: 366 });
      if (numbers.minimumCollectors !== undefined) tightened.minimumCollectors = readInteger(numbers, 'minimumCollectors', ruleField, { min: 1, max: 20 });
      overlay.rules[ruleId] = tightened;
    }
  }
  return overlay;
}

function loosens(overlay: PolicyOverlay, field: string, rule: string, detail: string): LenityError {
  return new LenityError('VALIDATION_FAILED', `${field}: overlay "${overlay.name}" would loosen rule ${rule}: ${detail}; an overlay may only tighten a pack`, { field, rule });
}

/**
 * Applies an overlay to a pack and returns the tightened pack, versioned "2026.11+acme.3". Throws a
 * VALIDATION_FAILED error naming the rule when the overlay would loosen the pack, targets a rule
 * without that number, or belongs to another pack.
 *
 * @example applyOverlay(US_PACK, { name: 'acme', version: '3', pack: 'US', rules: { 'US-10': { limit: 5 } } }).version // "2026.11+acme.3"
 */
export function applyOverlay(pack: PolicyPack, overlay: PolicyOverlay): PolicyPack {
  if (overlay.pack !== pack.id) {
    throw new LenityError('VALIDATION_FAILED', `pack: overlay "${overlay.name}" is for ${overlay.pack}, not ${pack.id}`, { field: 'pack' });
  }
  let hours = pack.hours;
  if (overlay.hours) {
    const startMinute = parseMinuteOfDay(overlay.hours.start);
    const endMinute = parseMinuteOfDay(overlay.hours.end, true);
    if (startMinute === null) throw validationError('hours.start', 'must be a local time "HH:MM"');
    if (endMinute === null) throw validationError('hours.end', 'must be a local time "HH:MM"');
    if (startMinute < pack.hours.startMinute) throw loosens(overlay, 'hours.start', pack.hours.rule, `${overlay.hours.start} is earlier than the law's start`);
    if (endMinute > pack.hours.endMinute) throw loosens(overlay, 'hours.end', pack.hours.rule, `${overlay.hours.end} is later than the law's end`);
    if (endMinute <= startMinute) throw validationError('hours.end', 'must be after hours.start');
    hours = { ...pack.hours, startMinute, endMinute };
  }
  let blockedDays = pack.blockedDays;
  if ((overlay.blockedWeekdays?.length ?? 0) > 0 || (overlay.blockedDates?.length ?? 0) > 0) {
    const weekdays = new Set([...(blockedDays?.weekdays ?? []), ...(overlay.blockedWeekdays ?? []).map((name) => WEEKDAY_NAMES.indexOf(name))]);
    const epochDays = new Set([...(blockedDays?.epochDays ?? []), ...(overlay.blockedDates ?? []).map((date) => toEpochDay(date))]);
    blockedDays = { rule: OVERLAY_BLOCKED_DAYS_RULE, weekdays: [...weekdays], epochDays: [...epochDays] };
  }
  let windowLimits: readonly WindowLimitRule[] = pack.windowLimits;
  let visits = pack.visits;
  for (const [ruleId, numbers] of Object.entries(overlay.rules ?? {})) {
    const field = fieldPath('rules', ruleId);
    const targets = windowLimits.filter((rule) => rule.rule === ruleId);
    if (numbers.limit !== undefined || numbers.windowDays !== undefined) {
      if (targets.length === 0) throw validationError(field, `rule ${ruleId} has no limit or window in ${pack.id}@${pack.version} that an overlay can tighten`);
      for (const target of targets) {
        if (numbers.limit !== undefined && numbers.limit > target.limit) throw loosens(overlay, `${field}.limit`, ruleId, `limit ${numbers.limit} is above the law's ${target.limit}`);
        if (numbers.windowDays !== undefined && numbers.windowDays < target.windowDays) {
          throw loosens(overlay, `${field}.windowDays`, ruleId, `a window of ${numbers.windowDays} days is shorter than the law's ${target.windowDays}`);
        }
      }
      windowLimits = windowLimits.map((rule) =>
        rule.rule === ruleId ? { ...rule, limit: numbers.limit ?? rule.limit, windowDays: numbers.windowDays ?? rule.windowDays } : rule,
      );
    }
    if (numbers.minimumCollectors !== undefined) {
      if (ruleId !== pack.visits.rule) throw validationError(field, `rule ${ruleId} sets no number of collectors in ${pack.id}@${pack.version}; the visit rule is ${pack.visits.rule}`);
      if (numbers.minimumCollectors < pack.visits.minimumCollectors) {
        throw loosens(overlay, `${field}.minimumCollectors`, ruleId, `${numbers.minimumCollectors} collectors is fewer than the law's ${pack.visits.minimumCollectors}`);
      }
      visits = { ...visits, minimumCollectors: numbers.minimumCollectors };
    }
  }
  return { ...pack, version: `${pack.version}+${overlay.name}.${overlay.version}`, hours, blockedDays, windowLimits, visits };
}
