/**
 * A policy pack is versioned data: the numbers and rule ids one jurisdiction's law sets for the
 * contact gate. The evaluator (`evaluate-contact.ts`) is generic and reads only this shape, so a new
 * jurisdiction or a new version of the law is a new data file, never new evaluator code.
 */

export const PACK_IDS = ['US', 'US-MA', 'CN', 'UK'] as const;
export type PackId = (typeof PACK_IDS)[number];

export const CHANNELS = ['call', 'voicemail', 'sms', 'email', 'letter', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];

export const RECIPIENTS = ['borrower', 'attorney', 'third-party'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

export const PLACES = ['mobile', 'home', 'work'] as const;
export type Place = (typeof PLACES)[number];

export const DIALERS = ['manual', 'autodialed', 'prerecorded'] as const;
export type Dialer = (typeof DIALERS)[number];

export const OUTCOMES = ['no-answer', 'voicemail', 'connected', 'conversation', 'delivered', 'refused-contact'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const BORROWER_FLAGS = ['cease', 'attorney', 'bankruptcy', 'dispute', 'vulnerable', 'lacks-capacity', 'employer-forbids-work-contact'] as const;
export type BorrowerFlag = (typeof BORROWER_FLAGS)[number];

/** Kinds of consent on record. `autodialed-calls` is the TCPA's prior express consent (it covers prerecorded calls too). */
export const CONSENT_KINDS = ['autodialed-calls', 'prerecorded-calls', 'call-request', 'workplace-visit'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/** The contract's stable reason codes. */
export const REASON_CODES = [
  'OUTSIDE_HOURS',
  'STATED_INCONVENIENT',
  'CALL_FREQUENCY',
  'AFTER_CONVERSATION',
  'DAILY_LIMIT',
  'CEASE_COMMUNICATION',
  'ATTORNEY_REPRESENTED',
  'BANKRUPTCY_STAY',
  'DISPUTE_PENDING',
  'WORKPLACE',
  'CHANNEL_OPT_OUT',
  'CONSENT_REQUIRED',
  'THIRD_PARTY_DISCLOSURE',
  'THIRD_PARTY_LIMIT',
  'BORROWER_REACHABLE',
  'VISIT_REQUIREMENTS',
  'VULNERABLE',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Warning codes: advice for the collector, never a refusal. */
export type WarningCode = 'HARASSMENT_PATTERN' | 'ROUND_INTERVAL';

/** A rule that stops contact whenever a borrower flag is set (cease, bankruptcy, vulnerability…). */
export interface FlagStopRule {
  rule: string;
  flag: BorrowerFlag;
  code: ReasonCode;
  /** Recipients the stop applies to; an attorney may still be contacted under some rules. */
  recipients: readonly Recipient[];
  message: string;
}

/**
 * A cap on attempts within a window of local calendar days ending on the attempt's day: the
 * attempt is refused when `limit` counted attempts already fall in the window. Daily limits have
 * `windowDays: 1`.
 */
export interface WindowLimitRule {
  rule: string;
  code: ReasonCode;
  /** Channels of the proposed attempt the rule applies to. */
  appliesTo: readonly Channel[];
  /** Channels of earlier attempts that count. */
  counts: readonly Channel[];
  /** Places (numbers) the rule covers, for the attempt and the counted attempts; null = every place. */
  places: readonly Place[] | null;
  /** Count only attempts to the same place (number) as the proposed one. */
  samePlace: boolean;
  /** Outcomes that count; null = every outcome. */
  outcomes: readonly Outcome[] | null;
  /** Count only attempts about the proposed attempt's debt. */
  perDebt: boolean;
  limit: number;
  windowDays: number;
  /** Calls the borrower asked for (`call-request` consents) neither count nor are refused. */
  exemptCallRequests: boolean;
  /** What is counted, for messages: "call attempts about this debt". */
  counted: string;
  source: string;
}

export interface PolicyPack {
  id: PackId;
  /** Version of the pack's data, e.g. "2026.11"; a receipt names it. */
  version: string;
  title: string;
  sources: readonly string[];
  /** Candidate zones when the borrower's zone is unknown. */
  defaultTimeZones: readonly string[];
  hours: {
    rule: string;
    /** Permitted local hours, half-open [startMinute, endMinute), minutes since midnight. */
    startMinute: number;
    endMinute: number;
    /** Channels bound by hours (and by stated inconvenient times and blocked days). */
    channels: readonly Channel[];
    source: string;
  };
  /** Whole local days when no time-bound contact happens (a lender's public holidays): overlays only. */
  blockedDays: { rule: string; weekdays: readonly number[]; epochDays: readonly number[] } | null;
  statedInconvenient: { rule: string; source: string };
  flagStops: readonly FlagStopRule[];
  attorney: { rule: string; source: string };
  workplace: { rule: string; channels: readonly Channel[]; source: string };
  channelOptOut: { rule: string; source: string };
  windowLimits: readonly WindowLimitRule[];
  /** Longest window a call-request consent can cover, in days. */
  callRequestExemption: { rule: string; maximumDays: number } | null;
  /** TCPA: autodialed or prerecorded calls to a mobile, and prerecorded calls to a home line, need consent. */
  autodialerConsent: { rule: string; source: string } | null;
  thirdParty: {
    disclosureRule: string;
    disclosureSource: string;
    /** A third party may be contacted only when the borrower cannot be reached. */
    onlyWhenBorrowerUnreachable: { rule: string; source: string } | null;
    /** Each third party may be contacted once. */
    oncePerPerson: { rule: string; source: string } | null;
    /** A third party who refused contact is never contacted again. */
    neverAfterRefusal: { rule: string; source: string } | null;
  };
  visits: {
    rule: string;
    approvalRequired: boolean;
    minimumCollectors: number;
    /** A written notice (letter or email to the borrower) must precede a visit. */
    noticeRequired: boolean;
    /** Workplace visits only with the borrower's own request (a `workplace-visit` consent). */
    workplaceVisitNeedsRequest: { rule: string } | null;
    source: string;
  };
  warnings: {
    harassmentPatterns: {
      rule: string;
      /** Two unanswered calls to one number within this many minutes. */
      rapidRedialMinutes: number;
      /** More calls than this in one local day. */
      callsPerDay: number;
      /** This many calls on one local Sunday. */
      sundayCalls: number;
    } | null;
    roundInterval: { rule: string; days: number } | null;
  };
  retention: { rule: string; recordsYears: number; recordingsYears: number };
  /** Certification of collectors: how long a training certificate stays current, in days. */
  collectorCertification: { rule: string; maximumAgeDays: number | null };
  /** Yearly evaluation of outsourced agencies, when the law requires one. */
  agencyEvaluation: { rule: string; maximumAgeDays: number } | null;
}

/** A pack's label in a decision and a receipt: "US@2026.11". */
export function policyLabel(pack: Pick<PolicyPack, 'id' | 'version'>): string {
  return `${pack.id}@${pack.version}`;
}

/** Minutes since midnight of "HH:MM" (accepts "24:00" when `allowEndOfDay`); null when malformed. */
export function parseMinuteOfDay(text: string, allowEndOfDay = false): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return null;
  if (hours === 24 && minutes === 0 && allowEndOfDay) return 1440;
  if (hours > 23) return null;
  return hours * 60 + minutes;
}
