import type { PolicyPack } from '../policy-pack.ts';

const EVERYONE = ['borrower', 'attorney', 'third-party'] as const;

/**
 * China: GB/T 45251-2025 (post-loan collection), NIFA 2024 guideline, China Banking Association 2026
 * consumer-loan collection guideline, CBRC credit-card measures art. 66–69, PIPL art. 13–29.
 * Rule ids follow compliance-rules.md; FLOOR-* rules are Lenity's own floor for every pack.
 */
export const CN_PACK: PolicyPack = {
  id: 'CN',
  version: '2026.11',
  title: 'China: GB/T 45251-2025, NIFA 2024, CBA 2026, PIPL',
  sources: [
    'GB/T 45251-2025 post-loan collection service guideline',
    'NIFA 2024 internet-finance post-loan collection guideline',
    'China Banking Association 2026 consumer-loan collection guideline',
    'CBRC credit-card business measures, art. 66–69',
    'Personal Information Protection Law (PIPL), art. 13–29',
  ],
  defaultTimeZones: ['Asia/Shanghai'],
  hours: { rule: 'CN-01', startMinute: 8 * 60, endMinute: 22 * 60, channels: ['call', 'voicemail', 'sms', 'email', 'visit'], source: 'GB/T 45251-2025; CBA 2026' },
  blockedDays: null,
  statedInconvenient: { rule: 'FLOOR-INCONVENIENT', source: 'Lenity floor: times the borrower said are inconvenient bind' },
  flagStops: [
    { rule: 'FLOOR-BANKRUPTCY', flag: 'bankruptcy', code: 'BANKRUPTCY_STAY', recipients: EVERYONE, message: 'Bankruptcy proceedings are on record for the borrower: collection stops.' },
    { rule: 'FLOOR-CEASE', flag: 'cease', code: 'CEASE_COMMUNICATION', recipients: EVERYONE, message: 'The borrower asked that communication cease: all contact about the debt stops.' },
    { rule: 'FLOOR-DISPUTE', flag: 'dispute', code: 'DISPUTE_PENDING', recipients: EVERYONE, message: 'The borrower disputes the debt: collection stops until the dispute is resolved.' },
  ],
  attorney: { rule: 'FLOOR-ATTORNEY', source: 'Lenity floor: a represented borrower is contacted through the attorney' },
  workplace: { rule: 'FLOOR-WORKPLACE', channels: ['call', 'voicemail', 'sms', 'email', 'letter', 'visit'], source: 'Lenity floor: no contact at work when the employer forbids it' },
  channelOptOut: { rule: 'FLOOR-OPT-OUT', source: 'Lenity floor; PIPL art. 15 (withdrawal of consent)' },
  windowLimits: [
    {
      rule: 'CN-02',
      code: 'DAILY_LIMIT',
      appliesTo: ['call', 'voicemail'],
      counts: ['call', 'voicemail'],
      places: null,
      samePlace: false,
      outcomes: ['connected', 'conversation'],
      perDebt: false,
      limit: 3,
      windowDays: 1,
      exemptCallRequests: false,
      counted: 'connected calls with the borrower (all debts, all agencies)',
      source: 'CBA 2026; NIFA 2024',
    },
    {
      rule: 'CN-04',
      code: 'DAILY_LIMIT',
      appliesTo: ['call', 'voicemail'],
      counts: ['call', 'voicemail'],
      places: null,
      samePlace: true,
      outcomes: ['no-answer', 'voicemail'],
      perDebt: false,
      limit: 6,
      windowDays: 1,
      exemptCallRequests: false,
      counted: 'unanswered dial attempts to this number',
      source: 'CBA 2026',
    },
  ],
  callRequestExemption: null,
  autodialerConsent: null,
  thirdParty: {
    disclosureRule: 'CN-07',
    disclosureSource: 'GB/T 45251-2025; NIFA 2024 (CN-06, CN-07)',
    onlyWhenBorrowerUnreachable: { rule: 'CN-07', source: 'GB/T 45251-2025; NIFA 2024' },
    oncePerPerson: null,
    neverAfterRefusal: { rule: 'CN-07', source: 'GB/T 45251-2025; NIFA 2024' },
  },
  visits: { rule: 'CN-09', approvalRequired: true, minimumCollectors: 2, noticeRequired: false, workplaceVisitNeedsRequest: null, source: 'GB/T 45251-2025; CBA 2026' },
  warnings: { harassmentPatterns: null, roundInterval: { rule: 'CN-05', days: 7 } },
  // Consumer-finance companies keep recordings 5 years; the pack uses 5 for every lender (CN-10).
  retention: { rule: 'CN-10', recordsYears: 5, recordingsYears: 5 },
  collectorCertification: { rule: 'CN-12', maximumAgeDays: 365 },
  agencyEvaluation: { rule: 'CN-11', maximumAgeDays: 365 },
};
