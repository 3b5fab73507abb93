import type { PolicyPack } from '../policy-pack.ts';

const EVERYONE = ['borrower', 'attorney', 'third-party'] as const;

/**
 * United Kingdom: FCA Consumer Credit sourcebook, CONC 7 (arrears, default and recovery).
 * Rule ids follow compliance-rules.md; FLOOR-* rules are Lenity's own floor for every pack.
 */
export const UK_PACK: PolicyPack = {
  id: 'UK',
  version: '2026.11',
  title: 'United Kingdom: FCA CONC 7',
  sources: ['FCA Handbook, CONC 7 (arrears, default and recovery)', 'FCA FG21/1 guidance on the fair treatment of vulnerable customers'],
  defaultTimeZones: ['Europe/London'],
  hours: { rule: 'UK-01', startMinute: 8 * 60, endMinute: 21 * 60, channels: ['call', 'voicemail', 'sms', 'email', 'visit'], source: 'CONC 7.9.4R' },
  blockedDays: null,
  statedInconvenient: { rule: 'UK-01', source: 'CONC 7.9.4R' },
  flagStops: [
    { rule: 'UK-05', flag: 'vulnerable', code: 'VULNERABLE', recipients: EVERYONE, message: 'The customer is known or suspected to be vulnerable: recovery is suspended (CONC 7.2.1R, 7.10).' },
    { rule: 'UK-05', flag: 'lacks-capacity', code: 'VULNERABLE', recipients: EVERYONE, message: 'The customer may lack mental capacity: recovery is suspended (CONC 7.10).' },
    { rule: 'FLOOR-BANKRUPTCY', flag: 'bankruptcy', code: 'BANKRUPTCY_STAY', recipients: EVERYONE, message: 'Bankruptcy or an insolvency procedure is on record: collection stops.' },
    { rule: 'FLOOR-CEASE', flag: 'cease', code: 'CEASE_COMMUNICATION', recipients: EVERYONE, message: 'The customer asked that communication cease: all contact about the debt stops.' },
    { rule: 'FLOOR-DISPUTE', flag: 'dispute', code: 'DISPUTE_PENDING', recipients: EVERYONE, message: 'The customer disputes the debt: recovery is suspended while the dispute is considered (CONC 7.14.1R).' },
  ],
  attorney: { rule: 'FLOOR-ATTORNEY', source: 'Lenity floor: a represented customer is contacted through their representative' },
  workplace: { rule: 'FLOOR-WORKPLACE', channels: ['call', 'voicemail', 'sms', 'email', 'letter', 'visit'], source: 'Lenity floor; CONC 7.9.4R (unreasonable places)' },
  channelOptOut: { rule: 'FLOOR-OPT-OUT', source: 'Lenity floor; CONC 7.9.4R (stated preferences)' },
  windowLimits: [],
  callRequestExemption: null,
  autodialerConsent: null,
  thirdParty: {
    disclosureRule: 'UK-02',
    disclosureSource: 'CONC 7.9.6R–7.9.11G',
    onlyWhenBorrowerUnreachable: null,
    oncePerPerson: null,
    neverAfterRefusal: null,
  },
  visits: { rule: 'UK-03', approvalRequired: true, minimumCollectors: 1, noticeRequired: true, workplaceVisitNeedsRequest: null, source: 'CONC 7.9.4R; CONC 7.10' },
  warnings: { harassmentPatterns: null, roundInterval: null },
  retention: { rule: 'FLOOR-RETENTION', recordsYears: 6, recordingsYears: 6 },
  collectorCertification: { rule: 'FLOOR-TRAINING', maximumAgeDays: null },
  agencyEvaluation: null,
};
