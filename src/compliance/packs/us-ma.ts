import type { PolicyPack } from '../policy-pack.ts';
import { US_PACK } from './us.ts';

/**
 * Massachusetts: everything in the US pack, plus 940 CMR 7.04(1)(f) (two collector-initiated calls or
 * texts per seven days) and 209 CMR 18.16–18.17 (visits).
 */
export const US_MA_PACK: PolicyPack = {
  ...US_PACK,
  id: 'US-MA',
  version: '2026.11',
  title: 'United States, Massachusetts: FDCPA, Regulation F, TCPA, 940 CMR 7.00, 209 CMR 18.00',
  sources: [...US_PACK.sources, 'Massachusetts 940 CMR 7.04(1)(f)', 'Massachusetts 209 CMR 18.16–18.17'],
  windowLimits: [
    ...US_PACK.windowLimits,
    {
      rule: 'MA-01',
      code: 'CALL_FREQUENCY',
      appliesTo: ['call', 'voicemail', 'sms'],
      counts: ['call', 'voicemail', 'sms'],
      places: ['home', 'mobile'],
      samePlace: false,
      outcomes: null,
      perDebt: true,
      limit: 2,
      windowDays: 7,
      // A call the borrower asked for is still initiated by the collector: the stricter reading counts it.
      exemptCallRequests: false,
      counted: 'collector-initiated calls or texts to home or mobile numbers about this debt',
      source: '940 CMR 7.04(1)(f)',
    },
    {
      rule: 'MA-01',
      code: 'CALL_FREQUENCY',
      appliesTo: ['call', 'voicemail', 'sms'],
      counts: ['call', 'voicemail', 'sms'],
      places: ['work'],
      samePlace: false,
      outcomes: null,
      perDebt: true,
      limit: 2,
      windowDays: 30,
      exemptCallRequests: false,
      counted: 'collector-initiated calls or texts to other numbers about this debt',
      source: '940 CMR 7.04(1)(f)',
    },
    {
      rule: 'MA-02',
      code: 'VISIT_REQUIREMENTS',
      appliesTo: ['visit'],
      counts: ['visit'],
      places: ['home'],
      samePlace: false,
      outcomes: null,
      perDebt: false,
      limit: 1,
      windowDays: 30,
      exemptCallRequests: false,
      counted: 'home visits',
      source: '209 CMR 18.16',
    },
  ],
  visits: { ...US_PACK.visits, workplaceVisitNeedsRequest: { rule: 'MA-02' } },
};
