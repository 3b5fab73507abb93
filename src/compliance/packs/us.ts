import type { PolicyPack } from '../policy-pack.ts';

const TIME_BOUND = ['call', 'voicemail', 'sms', 'email', 'visit'] as const;
const EVERYONE = ['borrower', 'attorney', 'third-party'] as const;

/**
 * United States: FDCPA (15 USC 1692), CFPB Regulation F (12 CFR 1006), TCPA (47 USC 227), and the
 * Bankruptcy Code's automatic stay. Rule ids follow compliance-rules.md.
 */
export const US_PACK: PolicyPack = {
  id: 'US',
  version: '2026.11',
  title: 'United States: FDCPA, Regulation F, TCPA',
  sources: [
    'Fair Debt Collection Practices Act, 15 USC 1692',
    'CFPB Regulation F, 12 CFR 1006',
    'Telephone Consumer Protection Act, 47 USC 227; 47 CFR 64.1200',
    'Bankruptcy Code automatic stay, 11 USC 362(a)(6)',
    'CFPB consent order with Discover Bank (2015): unknown time zones',
  ],
  // Every US zone from Hawaii to Eastern (US-02): the attempt must be lawful in all of them.
  defaultTimeZones: [
    'Pacific/Honolulu',
    'America/Anchorage',
    'America/Los_Angeles',
    'America/Denver',
    'America/Phoenix',
    'America/Chicago',
    'America/New_York',
  ],
  hours: { rule: 'US-01', startMinute: 8 * 60, endMinute: 21 * 60, channels: TIME_BOUND, source: '15 USC 1692c(a)(1); 12 CFR 1006.6(b)(1)(i)' },
  blockedDays: null,
  statedInconvenient: { rule: 'US-03', source: '12 CFR 1006.6(b)(1)' },
  flagStops: [
    { rule: 'US-23', flag: 'bankruptcy', code: 'BANKRUPTCY_STAY', recipients: EVERYONE, message: 'The borrower filed a bankruptcy petition: the automatic stay forbids every act to collect the debt (11 USC 362(a)(6)).' },
    { rule: 'US-08', flag: 'cease', code: 'CEASE_COMMUNICATION', recipients: EVERYONE, message: 'The borrower asked in writing that communication cease: all contact about the debt stops (15 USC 1692c(c)).' },
    { rule: 'US-21', flag: 'dispute', code: 'DISPUTE_PENDING', recipients: EVERYONE, message: 'The borrower disputed the debt in writing: collection stops until the debt is verified (15 USC 1692g(b); 12 CFR 1006.38).' },
  ],
  attorney: { rule: 'US-04', source: '15 USC 1692c(a)(2); 12 CFR 1006.6(b)(2)' },
  workplace: { rule: 'US-05', channels: ['call', 'voicemail', 'sms', 'email', 'letter', 'visit'], source: '15 USC 1692c(a)(3); 12 CFR 1006.6(b)(3)' },
  channelOptOut: { rule: 'US-09', source: '12 CFR 1006.14(h)(1); 47 CFR 64.1200(a)(10)' },
  windowLimits: [
    {
      rule: 'US-10',
      code: 'CALL_FREQUENCY',
      appliesTo: ['call', 'voicemail'],
      counts: ['call', 'voicemail'],
      places: null,
      samePlace: false,
      outcomes: null,
      perDebt: true,
      limit: 7,
      windowDays: 7,
      exemptCallRequests: true,
      counted: 'call attempts about this debt',
      source: '12 CFR 1006.14(b)(2)(i)(A)',
    },
    {
      // A conversation's day is day 1 and calls resume on day 8: a window of 7 local days holding
      // at most zero conversations before the next call.
      rule: 'US-11',
      code: 'AFTER_CONVERSATION',
      appliesTo: ['call', 'voicemail'],
      counts: ['call', 'voicemail'],
      places: null,
      samePlace: false,
      outcomes: ['conversation'],
      perDebt: true,
      limit: 1,
      windowDays: 7,
      exemptCallRequests: true,
      counted: 'telephone conversations about this debt',
      source: '12 CFR 1006.14(b)(2)(i)(B)',
    },
  ],
  callRequestExemption: { rule: 'US-12', maximumDays: 7 },
  autodialerConsent: { rule: 'US-25', source: '47 USC 227(b)(1)' },
  thirdParty: {
    disclosureRule: 'US-17',
    disclosureSource: '15 USC 1692c(b); 12 CFR 1006.6(d)(1); 15 USC 1692b(2)',
    onlyWhenBorrowerUnreachable: null,
    oncePerPerson: { rule: 'US-18', source: '15 USC 1692b(3)' },
    neverAfterRefusal: null,
  },
  visits: { rule: 'FLOOR-VISIT', approvalRequired: true, minimumCollectors: 1, noticeRequired: false, workplaceVisitNeedsRequest: null, source: 'Lenity floor: a field visit is the last resort and needs a supervisor approval on record' },
  warnings: {
    harassmentPatterns: { rule: 'US-13', rapidRedialMinutes: 5, callsPerDay: 3, sundayCalls: 2 },
    roundInterval: null,
  },
  retention: { rule: 'US-24', recordsYears: 3, recordingsYears: 3 },
  collectorCertification: { rule: 'FLOOR-TRAINING', maximumAgeDays: null },
  agencyEvaluation: null,
};

