import { LenityError } from '../shared/errors.ts';
import type { ContactRequest, HistoryEntry, InconvenientTime } from './contact-request.ts';
import {
  epochDayOfLocal,
  formatInstant,
  formatLocalDate,
  formatLocalTime,
  formatMinuteOfDay,
  MILLISECONDS_PER_DAY,
  MILLISECONDS_PER_MINUTE,
  timeOfDayMs,
  WEEKDAY_NAMES,
  weekdayOfEpochDay,
  type ZoneOffsets,
  zoneOffsets,
} from './local-time.ts';
import { applyOverlay, type PolicyOverlay } from './overlay.ts';
import { CN_PACK } from './packs/cn.ts';
import { UK_PACK } from './packs/uk.ts';
import { US_MA_PACK } from './packs/us-ma.ts';
import { US_PACK } from './packs/us.ts';
import { type PackId, type PolicyPack, policyLabel, type ReasonCode, type WarningCode, type WindowLimitRule } from './policy-pack.ts';

/** One reason (or warning) in a decision: a stable code, the rule id, and a sentence for people. */
export interface DecisionReason {
  code: ReasonCode | WarningCode;
  rule: string;
  message: string;
}

/** The contact gate's decision, exactly as compliance-check.md fixes it. */
export interface ContactDecision {
  decision: 'allow' | 'deny';
  reasons: DecisionReason[];
  warnings: DecisionReason[];
  /** RFC 3339 UTC with seconds, when every reason is time-based; otherwise null. */
  allowAfter: string | null;
  /** The pack and version that decided, e.g. "US@2026.11". */
  policy: string;
}

export interface EvaluateContactOptions {
  /** A lender overlay for the request's pack: it may only tighten the pack. */
  overlay?: PolicyOverlay;
  /** A pack to use instead of the current version of the request's pack (receipts name older versions). */
  pack?: PolicyPack;
}

/** Every version of every pack, newest last: a receipt is re-evaluated with the version it names. */
export const POLICY_PACKS: Readonly<Record<PackId, readonly PolicyPack[]>> = {
  US: [US_PACK],
  'US-MA': [US_MA_PACK],
  CN: [CN_PACK],
  UK: [UK_PACK],
};

/**
 * The current version of a pack, or a named one; null when that version is not known.
 *
 * @example findPolicyPack('US')!.version // "2026.11"
 */
export function findPolicyPack(id: PackId, version?: string): PolicyPack | null {
  const versions = POLICY_PACKS[id];
  if (version === undefined) return versions[versions.length - 1]!;
  return versions.find((pack) => pack.version === version) ?? null;
}

// Overlays are applied once per overlay object and pack; the decision path then only reads data.
const OVERLAID_PACKS = new WeakMap<PolicyOverlay, Map<PolicyPack, PolicyPack>>();

function resolvePack(request: ContactRequest, options: EvaluateContactOptions): PolicyPack {
  const base = options.pack ?? findPolicyPack(request.policy)!;
  if (base.id !== request.policy) {
    throw new LenityError('VALIDATION_FAILED', `policy: the pack ${policyLabel(base)} does not match the request's policy "${request.policy}"`, { field: 'policy' });
  }
  const overlay = options.overlay;
  if (!overlay) return base;
  let byPack = OVERLAID_PACKS.get(overlay);
  if (!byPack) {
    byPack = new Map();
    OVERLAID_PACKS.set(overlay, byPack);
  }
  let overlaid = byPack.get(base);
  if (!overlaid) {
    overlaid = applyOverlay(base, overlay);
    byPack.set(base, overlaid);
  }
  return overlaid;
}

/** A finding before codes are merged: `timeBased` findings can pass later, the others cannot. */
interface Finding {
  code: ReasonCode;
  rule: string;
  message: string;
  timeBased: boolean;
}

/** What one evaluation needs besides the request: the pack, the candidate zones, the day zone. */
interface EvaluationContext {
  pack: PolicyPack;
  request: ContactRequest;
  zones: ZoneOffsets[];
  /** Calendar days (daily limits, frequency windows) are those of the first candidate zone. */
  dayZone: ZoneOffsets;
  timeBound: boolean;
  windowRules: WindowLimitRule[];
}

// How far ahead allowAfter is searched; beyond it the attempt is treated as not allowed by time.
const SEARCH_HORIZON_MS = 400 * MILLISECONDS_PER_DAY;
const MAXIMUM_SEARCH_STEPS = 5000;

/**
 * The contact gate: decides whether the proposed attempt may happen at `request.atMs`, with every
 * reason that applies, warnings, and — when every reason is about time — the earliest instant at
 * which the same attempt would be allowed. Pure: facts in, decision out.
 *
 * @example
 * const decision = evaluateContact(parseContactRequest({
 *   policy: 'US', at: '2026-03-10T12:58:00Z',
 *   borrower: { timeZones: ['America/Chicago'] }, attempt: { channel: 'call', debtId: 'A' },
 * }));
 * // { decision: 'deny', reasons: [{ code: 'OUTSIDE_HOURS', rule: 'US-01', … }], warnings: [],
 * //   allowAfter: '2026-03-10T13:00:00Z', policy: 'US@2026.11' }
 */
export function evaluateContact(request: ContactRequest, options: EvaluateContactOptions = {}): ContactDecision {
  const pack = resolvePack(request, options);
  const context = createContext(pack, request);
  const findings: Finding[] = [];
  collectFindings(context, request.atMs, findings);
  const warnings = collectWarnings(context);
  const policy = policyLabel(pack);
  if (findings.length === 0) return { decision: 'allow', reasons: [], warnings, allowAfter: null, policy };
  let allTimeBased = true;
  for (const finding of findings) if (!finding.timeBased) allTimeBased = false;
  const allowAfterMs = allTimeBased ? searchAllowAfter(context) : null;
  return {
    decision: 'deny',
    reasons: mergeFindings(findings),
    warnings,
    allowAfter: allowAfterMs === null ? null : formatInstant(allowAfterMs),
    policy,
  };
}

function createContext(pack: PolicyPack, request: ContactRequest): EvaluationContext {
  const names = request.borrower.timeZones.length > 0 ? request.borrower.timeZones : pack.defaultTimeZones;
  const zones: ZoneOffsets[] = [];
  for (const name of names) {
    const zone = zoneOffsets(name);
    if (!zone) throw new LenityError('VALIDATION_FAILED', `borrower.timeZones: "${name}" is not an IANA time zone`, { field: 'borrower.timeZones' });
    zones.push(zone);
  }
  const attempt = request.attempt;
  const windowRules: WindowLimitRule[] = [];
  if (attempt.to === 'borrower') {
    for (const rule of pack.windowLimits) {
      if (rule.appliesTo.includes(attempt.channel) && (rule.places === null || rule.places.includes(attempt.place))) windowRules.push(rule);
    }
  }
  return { pack, request, zones, dayZone: zones[0]!, timeBound: pack.hours.channels.includes(attempt.channel), windowRules };
}

/** One rule per code: the first finding's rule, the distinct messages joined. Sorted by code. */
function mergeFindings(findings: Finding[]): DecisionReason[] {
  const byCode = new Map<ReasonCode, DecisionReason>();
  for (const finding of findings) {
    const existing = byCode.get(finding.code);
    if (!existing) byCode.set(finding.code, { code: finding.code, rule: finding.rule, message: finding.message });
    else if (!existing.message.includes(finding.message)) existing.message = `${existing.message} ${finding.message}`;
  }
  return [...byCode.values()].sort((left, right) => (left.code < right.code ? -1 : left.code > right.code ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Findings at an instant

function collectFindings(context: EvaluationContext, atMs: number, findings: Finding[]): void {
  collectStandingFindings(context, atMs, findings);
  if (context.timeBound) {
    let zonesOutsideHours: ZoneOffsets[] | null = null;
    for (const zone of context.zones) {
      if (!passesHours(context.pack, zone, atMs)) (zonesOutsideHours ??= []).push(zone);
      if (context.request.borrower.inconvenient.length > 0 && !passesInconvenient(context.request.borrower.inconvenient, zone, atMs)) {
        findings.push(inconvenientFinding(context, zone, atMs));
      }
    }
    if (zonesOutsideHours !== null) findings.push(hoursFinding(context.pack, zonesOutsideHours, atMs));
  }
  for (const rule of context.windowRules) {
    if (!passesWindowLimit(context, rule, atMs)) findings.push(windowLimitFinding(context, rule, atMs));
  }
}

/** Rules that no amount of waiting changes: flags, recipients, consents, visits. */
function collectStandingFindings(context: EvaluationContext, atMs: number, findings: Finding[]): void {
  const { pack, request } = context;
  const { borrower, attempt } = request;
  const flags = borrower.flags;
  if (flags.length > 0) {
    for (const stop of pack.flagStops) {
      if (flags.includes(stop.flag) && stop.recipients.includes(attempt.to)) {
        findings.push({ code: stop.code, rule: stop.rule, message: stop.message, timeBased: false });
      }
    }
    if (flags.includes('attorney') && attempt.to !== 'attorney') {
      findings.push({
        code: 'ATTORNEY_REPRESENTED',
        rule: pack.attorney.rule,
        message: `The borrower is represented by an attorney about this debt: contact the attorney only (${pack.attorney.source}).`,
        timeBased: false,
      });
    }
    if (flags.includes('employer-forbids-work-contact') && attempt.place === 'work' && pack.workplace.channels.includes(attempt.channel)) {
      findings.push({
        code: 'WORKPLACE',
        rule: pack.workplace.rule,
        message: `The borrower's employer forbids contact at work: no ${attempt.channel} at the workplace (${pack.workplace.source}).`,
        timeBased: false,
      });
    }
  }
  if (attempt.channel === 'visit' && attempt.place === 'work' && pack.visits.workplaceVisitNeedsRequest && !hasConsent(request, atMs, 'workplace-visit')) {
    findings.push({
      code: 'WORKPLACE',
      rule: pack.visits.workplaceVisitNeedsRequest.rule,
      message: 'A visit to the workplace needs the borrower\'s own request on record (209 CMR 18.16).',
      timeBased: false,
    });
  }
  const optOuts = borrower.optOuts;
  if (optOuts.length > 0 && (optOuts.includes(attempt.channel) || (attempt.channel === 'voicemail' && optOuts.includes('call')))) {
    findings.push({
      code: 'CHANNEL_OPT_OUT',
      rule: pack.channelOptOut.rule,
      message: `The borrower asked not to be contacted by ${attempt.channel === 'voicemail' && !optOuts.includes('voicemail') ? 'call' : attempt.channel}: that request is honoured at once (${pack.channelOptOut.source}).`,
      timeBased: false,
    });
  }
  if (pack.autodialerConsent && (attempt.channel === 'call' || attempt.channel === 'voicemail') && attempt.dialer !== 'manual') {
    const needsConsent = attempt.place === 'mobile' || (attempt.dialer === 'prerecorded' && attempt.place === 'home');
    const consented =
      attempt.to === 'borrower' &&
      (hasConsent(request, atMs, 'autodialed-calls') || (attempt.dialer === 'prerecorded' && hasConsent(request, atMs, 'prerecorded-calls')));
    if (needsConsent && !consented) {
      findings.push({
        code: 'CONSENT_REQUIRED',
        rule: pack.autodialerConsent.rule,
        message: `An ${attempt.dialer === 'autodialed' ? 'autodialed' : 'artificial or prerecorded voice'} call to a ${attempt.place === 'mobile' ? 'mobile' : 'home'} number needs the called person's prior express consent, and none is on record for this instant (${pack.autodialerConsent.source}).`,
        timeBased: false,
      });
    }
  }
  if (attempt.to === 'third-party') collectThirdPartyFindings(context, findings);
  if (attempt.channel === 'visit') collectVisitFindings(context, atMs, findings);
}

function collectThirdPartyFindings(context: EvaluationContext, findings: Finding[]): void {
  const { pack, request } = context;
  const { attempt, borrower } = request;
  const rules = pack.thirdParty;
  if (rules.onlyWhenBorrowerUnreachable && borrower.reachable) {
    findings.push({
      code: 'BORROWER_REACHABLE',
      rule: rules.onlyWhenBorrowerUnreachable.rule,
      message: `The borrower can be reached: a contact person may be approached only when the borrower cannot (${rules.onlyWhenBorrowerUnreachable.source}).`,
      timeBased: false,
    });
  }
  if (attempt.disclosesDebt) {
    findings.push({
      code: 'THIRD_PARTY_DISCLOSURE',
      rule: rules.disclosureRule,
      message: `The content mentions the debt, its amount or its age, and the recipient is a third party: nothing about the debt may be disclosed to anyone but the borrower or their attorney (${rules.disclosureSource}).`,
      timeBased: false,
    });
  }
  let contactedBefore = false;
  let refusedBefore = false;
  for (const entry of request.history) {
    if (entry.to !== 'third-party' || entry.thirdPartyId !== attempt.thirdPartyId) continue;
    contactedBefore = true;
    if (entry.outcome === 'refused-contact') refusedBefore = true;
  }
  if (rules.oncePerPerson && contactedBefore) {
    findings.push({
      code: 'THIRD_PARTY_LIMIT',
      rule: rules.oncePerPerson.rule,
      message: `Third party "${attempt.thirdPartyId}" was already contacted: each person may be contacted once for location information (${rules.oncePerPerson.source}).`,
      timeBased: false,
    });
  }
  if (rules.neverAfterRefusal && refusedBefore) {
    findings.push({
      code: 'THIRD_PARTY_LIMIT',
      rule: rules.neverAfterRefusal.rule,
      message: `Third party "${attempt.thirdPartyId}" refused contact before and is never contacted again (${rules.neverAfterRefusal.source}).`,
      timeBased: false,
    });
  }
}

function collectVisitFindings(context: EvaluationContext, atMs: number, findings: Finding[]): void {
  const { pack, request } = context;
  const { attempt } = request;
  const visits = pack.visits;
  if (visits.approvalRequired && !attempt.approved) {
    findings.push({
      code: 'VISIT_REQUIREMENTS',
      rule: visits.rule,
      message: `A field visit is the last resort and needs a supervisor's approval on record; none is (${visits.source}).`,
      timeBased: false,
    });
  }
  if (attempt.collectors < visits.minimumCollectors) {
    findings.push({
      code: 'VISIT_REQUIREMENTS',
      rule: visits.rule,
      message: `A field visit needs at least ${visits.minimumCollectors} collectors showing identification; ${attempt.collectors} would attend (${visits.source}).`,
      timeBased: false,
    });
  }
  if (visits.noticeRequired) {
    let noticed = false;
    for (const entry of request.history) {
      if (entry.to === 'borrower' && (entry.channel === 'letter' || entry.channel === 'email') && entry.atMs <= atMs) noticed = true;
    }
    if (!noticed) {
      findings.push({
        code: 'VISIT_REQUIREMENTS',
        rule: visits.rule,
        message: `A visit needs written notice to the customer first (a letter or email on record before the visit); none is (${visits.source}).`,
        timeBased: false,
      });
    }
  }
}

function hasConsent(request: ContactRequest, atMs: number, kind: string): boolean {
  for (const consent of request.borrower.consents) {
    if (consent.kind !== kind || consent.atMs > atMs) continue;
    if (consent.fromMs !== null && atMs < consent.fromMs) continue;
    if (consent.untilMs !== null && atMs >= consent.untilMs) continue;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Time-based rules: each has a check at an instant and, for allowAfter, the earliest instant at or
// after a given one at which it passes (Infinity when none does within the search horizon).

function passesHours(pack: PolicyPack, zone: ZoneOffsets, atMs: number): boolean {
  const localMs = zone.localAt(atMs);
  const timeMs = timeOfDayMs(localMs);
  if (timeMs < pack.hours.startMinute * MILLISECONDS_PER_MINUTE || timeMs >= pack.hours.endMinute * MILLISECONDS_PER_MINUTE) return false;
  return pack.blockedDays === null || !isBlockedDay(pack, epochDayOfLocal(localMs));
}

function isBlockedDay(pack: PolicyPack, epochDay: number): boolean {
  const blocked = pack.blockedDays;
  if (blocked === null) return false;
  return blocked.weekdays.includes(weekdayOfEpochDay(epochDay)) || blocked.epochDays.includes(epochDay);
}

function nextHours(pack: PolicyPack, zone: ZoneOffsets, fromMs: number): number {
  if (passesHours(pack, zone, fromMs)) return fromMs;
  const localMs = zone.localAt(fromMs);
  const startMs = pack.hours.startMinute * MILLISECONDS_PER_MINUTE;
  let day = epochDayOfLocal(localMs);
  if (timeOfDayMs(localMs) >= startMs || isBlockedDay(pack, day)) {
    day += 1;
    for (let step = 0; isBlockedDay(pack, day); step++) {
      if (step > 400) return Infinity;
      day += 1;
    }
  }
  return zone.firstInstantAtLocal(fromMs, day * MILLISECONDS_PER_DAY + startMs);
}

function hoursFinding(pack: PolicyPack, zones: ZoneOffsets[], atMs: number): Finding {
  const outsideHours: string[] = [];
  const blocked: string[] = [];
  for (const zone of zones) {
    const localMs = zone.localAt(atMs);
    const day = epochDayOfLocal(localMs);
    const timeMs = timeOfDayMs(localMs);
    const inHours = timeMs >= pack.hours.startMinute * MILLISECONDS_PER_MINUTE && timeMs < pack.hours.endMinute * MILLISECONDS_PER_MINUTE;
    if (inHours) blocked.push(`${formatLocalDate(localMs)} (${WEEKDAY_NAMES[weekdayOfEpochDay(day)]}) in ${zone.name}`);
    else outsideHours.push(`${formatLocalTime(localMs)} in ${zone.name}`);
  }
  const sentences: string[] = [];
  if (outsideHours.length > 0) {
    sentences.push(
      `The borrower's local time would be ${outsideHours.join(', ')}: outside the permitted hours ${formatMinuteOfDay(pack.hours.startMinute)}–${formatMinuteOfDay(pack.hours.endMinute)}${zones.length > 1 || outsideHours.length > 1 ? '; the attempt must be lawful in every zone the borrower may be in' : ''} (${pack.hours.source}).`,
    );
  }
  if (blocked.length > 0) sentences.push(`${blocked.join(', ')} is a day the lender does not contact borrowers.`);
  const rule = outsideHours.length > 0 || pack.blockedDays === null ? pack.hours.rule : pack.blockedDays.rule;
  return { code: 'OUTSIDE_HOURS', rule, message: sentences.join(' '), timeBased: true };
}

function matchesInconvenient(entry: InconvenientTime, epochDay: number, timeMs: number): boolean {
  if (entry.fromMinute === null || entry.toMinute === null) {
    return entry.weekdays === null || entry.weekdays.includes(weekdayOfEpochDay(epochDay));
  }
  const fromMs = entry.fromMinute * MILLISECONDS_PER_MINUTE;
  const toMs = entry.toMinute * MILLISECONDS_PER_MINUTE;
  if (fromMs < toMs) {
    return timeMs >= fromMs && timeMs < toMs && (entry.weekdays === null || entry.weekdays.includes(weekdayOfEpochDay(epochDay)));
  }
  // Across midnight: the part after midnight belongs to the day the range started on.
  if (timeMs >= fromMs) return entry.weekdays === null || entry.weekdays.includes(weekdayOfEpochDay(epochDay));
  if (timeMs < toMs) return entry.weekdays === null || entry.weekdays.includes(weekdayOfEpochDay(epochDay - 1));
  return false;
}

function passesInconvenient(entries: InconvenientTime[], zone: ZoneOffsets, atMs: number): boolean {
  const localMs = zone.localAt(atMs);
  const day = epochDayOfLocal(localMs);
  const timeMs = timeOfDayMs(localMs);
  for (const entry of entries) if (matchesInconvenient(entry, day, timeMs)) return false;
  return true;
}

function nextInconvenient(entries: InconvenientTime[], zone: ZoneOffsets, fromMs: number): number {
  const localMs = zone.localAt(fromMs);
  const day = epochDayOfLocal(localMs);
  const timeMs = timeOfDayMs(localMs);
  let endLocalMs = -Infinity;
  for (const entry of entries) {
    if (!matchesInconvenient(entry, day, timeMs)) continue;
    let entryEndMs: number;
    if (entry.fromMinute === null || entry.toMinute === null) entryEndMs = (day + 1) * MILLISECONDS_PER_DAY;
    else {
      const fromMinuteMs = entry.fromMinute * MILLISECONDS_PER_MINUTE;
      const toMinuteMs = entry.toMinute * MILLISECONDS_PER_MINUTE;
      entryEndMs = fromMinuteMs < toMinuteMs || timeMs < toMinuteMs ? day * MILLISECONDS_PER_DAY + toMinuteMs : (day + 1) * MILLISECONDS_PER_DAY + toMinuteMs;
    }
    if (entryEndMs > endLocalMs) endLocalMs = entryEndMs;
  }
  if (endLocalMs === -Infinity) return fromMs;
  return zone.firstInstantAtLocal(fromMs, endLocalMs);
}

function inconvenientFinding(context: EvaluationContext, zone: ZoneOffsets, atMs: number): Finding {
  const localMs = zone.localAt(atMs);
  const day = epochDayOfLocal(localMs);
  return {
    code: 'STATED_INCONVENIENT',
    rule: context.pack.statedInconvenient.rule,
    message: `The borrower said that ${WEEKDAY_NAMES[weekdayOfEpochDay(day)]} ${formatLocalDate(localMs)} at ${formatLocalTime(localMs)} (${zone.name}) is inconvenient, and that binds (${context.pack.statedInconvenient.source}).`,
    timeBased: true,
  };
}

/** Whether a call at `atMs` falls in a window the borrower asked to be called in (US-12). */
function inCallRequestWindow(context: EvaluationContext, atMs: number): boolean {
  const exemption = context.pack.callRequestExemption;
  if (exemption === null) return false;
  for (const consent of context.request.borrower.consents) {
    if (consent.kind !== 'call-request' || consent.atMs > atMs) continue;
    const startMs = consent.fromMs ?? consent.atMs;
    const endMs = Math.min(consent.untilMs ?? Infinity, startMs + exemption.maximumDays * MILLISECONDS_PER_DAY);
    if (atMs >= startMs && atMs < endMs) return true;
  }
  return false;
}

/** The earliest instant at or after `fromMs` inside a call-request window, or Infinity. */
function nextCallRequestWindow(context: EvaluationContext, fromMs: number): number {
  const exemption = context.pack.callRequestExemption;
  if (exemption === null) return Infinity;
  let earliestMs = Infinity;
  for (const consent of context.request.borrower.consents) {
    if (consent.kind !== 'call-request') continue;
    const startMs = Math.max(consent.fromMs ?? consent.atMs, consent.atMs);
    const endMs = Math.min(consent.untilMs ?? Infinity, (consent.fromMs ?? consent.atMs) + exemption.maximumDays * MILLISECONDS_PER_DAY);
    if (endMs <= fromMs || startMs >= endMs) continue;
    earliestMs = Math.min(earliestMs, Math.max(fromMs, startMs));
  }
  return earliestMs;
}

function countsFor(context: EvaluationContext, rule: WindowLimitRule, entry: HistoryEntry): boolean {
  const attempt = context.request.attempt;
  if (entry.to !== 'borrower' || !rule.counts.includes(entry.channel)) return false;
  if (rule.places !== null && !rule.places.includes(entry.place)) return false;
  if (rule.samePlace && entry.place !== attempt.place) return false;
  if (rule.outcomes !== null && !rule.outcomes.includes(entry.outcome)) return false;
  if (rule.perDebt && entry.debtIds !== null && !entry.debtIds.includes(attempt.debtId)) return false;
  return !(rule.exemptCallRequests && inCallRequestWindow(context, entry.atMs));
}

/** Counted attempts in the window of local days ending on `epochDay`. */
function countInWindow(context: EvaluationContext, rule: WindowLimitRule, epochDay: number): number {
  const zone = context.dayZone;
  const windowStartMs = zone.startOfLocalDay(epochDay - rule.windowDays + 1);
  const windowEndMs = zone.startOfLocalDay(epochDay + 1);
  let count = 0;
  for (const entry of context.request.history) {
    if (entry.atMs >= windowStartMs && entry.atMs < windowEndMs && countsFor(context, rule, entry)) count++;
  }
  return count;
}

function passesWindowLimit(context: EvaluationContext, rule: WindowLimitRule, atMs: number): boolean {
  if (rule.exemptCallRequests && context.request.borrower.consents.length > 0 && inCallRequestWindow(context, atMs)) return true;
  return countInWindow(context, rule, epochDayOfLocal(context.dayZone.localAt(atMs))) < rule.limit;
}

function nextWindowLimit(context: EvaluationContext, rule: WindowLimitRule, fromMs: number): number {
  if (passesWindowLimit(context, rule, fromMs)) return fromMs;
  const exemptionMs = rule.exemptCallRequests ? nextCallRequestWindow(context, fromMs) : Infinity;
  const firstDay = epochDayOfLocal(context.dayZone.localAt(fromMs));
  const lastDay = firstDay + SEARCH_HORIZON_MS / MILLISECONDS_PER_DAY;
  for (let day = firstDay + 1; day <= lastDay; day++) {
    if (countInWindow(context, rule, day) < rule.limit) return Math.min(exemptionMs, context.dayZone.startOfLocalDay(day));
  }
  return exemptionMs;
}

function windowLimitFinding(context: EvaluationContext, rule: WindowLimitRule, atMs: number): Finding {
  const localMs = context.dayZone.localAt(atMs);
  const day = epochDayOfLocal(localMs);
  const count = countInWindow(context, rule, day);
  const firstDate = formatLocalDate((day - rule.windowDays + 1) * MILLISECONDS_PER_DAY);
  const lastDate = formatLocalDate(localMs);
  const span = rule.windowDays === 1 ? `on ${lastDate}` : `in the ${rule.windowDays} local days ${firstDate} to ${lastDate}`;
  let message: string;
  if (rule.code === 'AFTER_CONVERSATION') {
    message = `A telephone conversation about this debt took place ${span} (${context.dayZone.name}): counting its day as day 1, no call about the debt until day ${rule.windowDays + 1} (${rule.source}).`;
  } else {
    message = `${count} ${rule.counted} already ${count === 1 ? 'falls' : 'fall'} ${span} (${context.dayZone.name}); at most ${rule.limit} ${rule.windowDays === 1 ? 'per day' : `per ${rule.windowDays} days`} are allowed (${rule.source}).`;
    message = message.charAt(0).toUpperCase() + message.slice(1);
  }
  return { code: rule.code, rule: rule.rule, message, timeBased: true };
}

/**
 * The earliest instant at or after the attempt's at which every time-based rule passes in every
 * candidate zone, or null when none does within the horizon or a standing rule would then refuse.
 * Each rule's `next` never skips an instant at which it passes, so moving to the latest of them and
 * repeating reaches the earliest instant at which all pass.
 */
function searchAllowAfter(context: EvaluationContext): number | null {
  const { pack, request } = context;
  const inconvenient = request.borrower.inconvenient;
  const nexts: Array<(fromMs: number) => number> = [];
  if (context.timeBound) {
    for (const zone of context.zones) {
      nexts.push((fromMs) => nextHours(pack, zone, fromMs));
      if (inconvenient.length > 0) nexts.push((fromMs) => nextInconvenient(inconvenient, zone, fromMs));
    }
  }
  for (const rule of context.windowRules) nexts.push((fromMs) => nextWindowLimit(context, rule, fromMs));
  const limitMs = request.atMs + SEARCH_HORIZON_MS;
  let candidateMs = request.atMs;
  for (let step = 0; step < MAXIMUM_SEARCH_STEPS; step++) {
    let moved = false;
    for (const next of nexts) {
      const nextMs = next(candidateMs);
      if (!(nextMs <= limitMs)) return null;
      if (nextMs > candidateMs) {
        candidateMs = nextMs;
        moved = true;
      }
    }
    if (moved) continue;
    const findings: Finding[] = [];
    collectFindings(context, candidateMs, findings);
    if (findings.length === 0) return candidateMs;
    for (const finding of findings) if (!finding.timeBased) return null;
    candidateMs += 1000;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Warnings: patterns a compliance officer wants to see; they never refuse.

function collectWarnings(context: EvaluationContext): DecisionReason[] {
  const { pack, request } = context;
  const { attempt } = request;
  const warnings: DecisionReason[] = [];
  const patterns = pack.warnings.harassmentPatterns;
  if (patterns && attempt.to === 'borrower' && (attempt.channel === 'call' || attempt.channel === 'voicemail')) {
    const atMs = request.atMs;
    const zone = context.dayZone;
    const day = epochDayOfLocal(zone.localAt(atMs));
    const dayStartMs = zone.startOfLocalDay(day);
    const dayEndMs = zone.startOfLocalDay(day + 1);
    const rapidRedialMs = patterns.rapidRedialMinutes * MILLISECONDS_PER_MINUTE;
    let rapidRedial = false;
    let callsToday = 0;
    for (const entry of request.history) {
      if (entry.to !== 'borrower' || (entry.channel !== 'call' && entry.channel !== 'voicemail')) continue;
      if (entry.atMs >= dayStartMs && entry.atMs < dayEndMs) callsToday++;
      const sinceMs = atMs - entry.atMs;
      if (sinceMs >= 0 && sinceMs < rapidRedialMs && entry.place === attempt.place && (entry.outcome === 'no-answer' || entry.outcome === 'voicemail')) rapidRedial = true;
    }
    if (rapidRedial) {
      warnings.push({
        code: 'HARASSMENT_PATTERN',
        rule: patterns.rule,
        message: `An unanswered call reached this ${attempt.place} number less than ${patterns.rapidRedialMinutes} minutes ago: two unanswered calls within ${patterns.rapidRedialMinutes} minutes can show intent to annoy (12 CFR 1006.14(b)(2)(ii)).`,
      });
    }
    if (callsToday >= patterns.callsPerDay) {
      warnings.push({
        code: 'HARASSMENT_PATTERN',
        rule: patterns.rule,
        message: `This would be call ${callsToday + 1} to the borrower on this local day: many calls in one day can show intent to annoy (12 CFR 1006.14(b)(2)(ii)).`,
      });
    }
    if (weekdayOfEpochDay(day) === 6 && callsToday >= patterns.sundayCalls) {
      warnings.push({
        code: 'HARASSMENT_PATTERN',
        rule: patterns.rule,
        message: `This would be call ${callsToday + 1} to the borrower on a Sunday: calls concentrated on a Sunday can show intent to annoy (12 CFR 1006.14(b)(2)(ii)).`,
      });
    }
  }
  const roundInterval = pack.warnings.roundInterval;
  if (roundInterval && attempt.to === 'borrower') {
    const zone = context.dayZone;
    const day = epochDayOfLocal(zone.localAt(request.atMs));
    const windowStartMs = zone.startOfLocalDay(day - roundInterval.days + 1);
    const todayStartMs = zone.startOfLocalDay(day);
    for (const entry of request.history) {
      if (entry.atMs >= windowStartMs && entry.atMs < todayStartMs && (entry.debtIds === null || entry.debtIds.includes(attempt.debtId))) {
        warnings.push({
          code: 'ROUND_INTERVAL',
          rule: roundInterval.rule,
          message: `An earlier collection round about this debt took place within the last ${roundInterval.days} days: industry guidance suggests ${roundInterval.days} days between rounds per product.`,
        });
        break;
      }
    }
  }
  return warnings;
}
