import { describe, expect, it } from 'vitest';
import { PACK_IDS } from '../compliance/policy-pack.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { DEFAULT_STRATEGY_DEFINITIONS, defaultStrategy } from './default-strategies.ts';
import { armFor, type CaseFacts, dueRungs, parseStrategy, segmentFor } from './strategy.ts';
import { findDefaultTemplate } from './templates.ts';

const date = (text: string) => text as BusinessDate;
const facts = (overrides: Partial<CaseFacts> = {}): CaseFacts => ({
  caseId: 'case_1', dpd: 0, balanceMinor: 500_000n, product: 'personal', riskScore: 600, jurisdiction: 'CN', language: 'zh-CN',
  promiseBrokenOn: null, paymentMissedOn: null, lastRightPartyContactOn: null, openedOn: date('2026-01-01'), rungsRun: [], ...overrides,
});
const ids = (due: ReturnType<typeof dueRungs>) => due.map((action) => action.rungId);

describe('default strategies', () => {
  it.each(PACK_IDS)('%s is valid and every template it names ships in both languages', (pack) => {
    const strategy = defaultStrategy(pack);
    expect(strategy.jurisdiction).toBe(pack);
    for (const rung of Object.values(strategy.ladders).flat()) {
      if (rung.template === null) continue;
      expect(findDefaultTemplate(rung.template as never, 'zh-CN'), rung.template).not.toBeNull();
      expect(findDefaultTemplate(rung.template as never, 'en'), rung.template).not.toBeNull();
    }
  });

  const strategy = defaultStrategy('CN');
  const today = date('2026-04-01');
  // In precedence order: case facts, expected rungs due today.
  const cases: Array<[string, Partial<CaseFacts>, string[]]> = [
    ['3 days before the due day', { dpd: -3 }, ['sms-pre-due']],
    ['the due day', { dpd: 0 }, ['sms-due-day']],
    ['1 DPD', { dpd: 1 }, ['sms-dpd-1']],
    ['2 DPD: nothing', { dpd: 2 }, []],
    ['3 DPD', { dpd: 3 }, ['sms-dpd-3']],
    ['5 DPD: calls start', { dpd: 5 }, ['call-from-dpd-5']],
    ['6 DPD: between calls', { dpd: 6 }, []],
    ['7 DPD: call repeat and email', { dpd: 7 }, ['call-from-dpd-5', 'email-dpd-7']],
    ['30 DPD: letter', { dpd: 30, lastRightPartyContactOn: date('2026-03-30') }, ['letter-dpd-30']],
    ['promise broken yesterday', { dpd: 10, promiseBrokenOn: date('2026-03-31'), lastRightPartyContactOn: date('2026-03-30') }, ['sms-promise-broken']],
    ['payment missed today', { dpd: 12, paymentMissedOn: today, lastRightPartyContactOn: date('2026-03-30') }, ['call-payment-missed']],
    ['already run today', { dpd: 1, rungsRun: [{ rungId: 'sms-dpd-1', on: today }] }, []],
    ['59 DPD, 20 days silent: no visit yet', { dpd: 59, lastRightPartyContactOn: date('2026-03-12') }, []],
    ['60 DPD, 13 days silent: no visit', { dpd: 60, lastRightPartyContactOn: date('2026-03-19') }, []],
    ['60 DPD, 14 days silent: visit request needing approval', { dpd: 60, lastRightPartyContactOn: date('2026-03-18') }, ['field-visit']],
    ['61 DPD, visit already requested in this silence (calls repeated out)', { dpd: 61, lastRightPartyContactOn: date('2026-03-18'), rungsRun: [{ rungId: 'field-visit', on: date('2026-03-31') }] }, []],
  ];
  it.each(cases)('CN: %s', (_, overrides, expected) => {
    expect(ids(dueRungs(strategy, facts(overrides), today))).toEqual(expected);
  });

  it('marks the field visit as needing a supervisor', () => {
    const due = dueRungs(strategy, facts({ dpd: 60, lastRightPartyContactOn: date('2026-03-18') }), today);
    expect(due).toEqual([{ rungId: 'field-visit', action: 'field-visit-request', template: 'field-visit-notice', requiresApproval: true }]);
  });
});

describe('parseStrategy', () => {
  const base = () => structuredClone(DEFAULT_STRATEGY_DEFINITIONS.CN) as any;
  const cases: Array<[string, (definition: any) => void, string]> = [
    ['a DPD out of range', (definition) => (definition.ladders.standard.rungs[3].when.dpd = 5000), 'ladders.standard.rungs.3.when.dpd'],
    ['an unknown action', (definition) => (definition.ladders.standard.rungs[1].action = 'fax'), 'ladders.standard.rungs.1.action'],
    ['a field visit before 60 DPD', (definition) => (definition.ladders.standard.rungs[9].minimumDpd = 30), 'ladders.standard.rungs.9.minimumDpd'],
    ['a field visit after 7 silent days', (definition) => (definition.ladders.standard.rungs[9].when.days = 7), 'ladders.standard.rungs.9.when'],
    ['arms not summing to 100', (definition) => (definition.arms = [{ name: 'a', percent: 60 }, { name: 'b', percent: 30 }]), 'arms'],
    ['a segment naming no ladder', (definition) => (definition.segments[0].ladder = 'missing'), 'segments.0.ladder'],
    ['an unknown field', (definition) => (definition.segments[0].colour = 'red'), 'segments.0.colour'],
    ['a missing template', (definition) => delete definition.ladders.standard.rungs[0].template, 'ladders.standard.rungs.0.template'],
  ];
  it.each(cases)('names the field of %s', (_, change, field) => {
    const definition = base();
    change(definition);
    expect(() => parseStrategy(definition)).toThrow(expect.objectContaining({ details: expect.objectContaining({ field }) }));
  });
});

describe('segments and arms', () => {
  const definition = structuredClone(DEFAULT_STRATEGY_DEFINITIONS.CN) as any;
  definition.ladders.gentle = { rungs: [{ id: 'sms-only', when: { dpd: 1 }, action: 'sms', template: 'dpd-1' }] };
  definition.segments.unshift({ name: 'small-balance', balanceMinor: { min: '0', max: '10000' }, languages: ['zh-CN'], ladder: 'gentle' });
  definition.arms = [{ name: 'champion', percent: 70 }, { name: 'challenger', percent: 30, ladders: { standard: 'gentle' } }];
  const strategy = parseStrategy(definition);

  it('matches the first segment whose conditions hold', () => {
    expect(segmentFor(strategy, facts({ balanceMinor: 5_000n }))?.name).toBe('small-balance');
    expect(segmentFor(strategy, facts({ balanceMinor: 5_000n, language: 'en' }))?.name).toBe('early');
    expect(segmentFor(strategy, facts({ dpd: 40 }))?.name).toBe('late');
    expect(segmentFor(strategy, facts({ jurisdiction: 'UK' }))).toBeNull();
  });

  it('assigns arms deterministically and close to the percentages', () => {
    const counts = { champion: 0, challenger: 0 };
    for (let index = 0; index < 10_000; index++) counts[armFor(strategy, `case_${index}`)!.name as 'champion' | 'challenger'] += 1;
    expect(armFor(strategy, 'case_42')).toEqual(armFor(strategy, 'case_42'));
    expect(counts.champion).toBeGreaterThan(6_700);
    expect(counts.champion).toBeLessThan(7_300);
  });

  it("gives a challenger case its arm's ladder", () => {
    let challengerCase = '';
    for (let index = 0; !challengerCase; index++) if (armFor(strategy, `case_${index}`)!.name === 'challenger') challengerCase = `case_${index}`;
    expect(ids(dueRungs(strategy, facts({ caseId: challengerCase, dpd: 1 }), date('2026-04-01')))).toEqual(['sms-only']);
  });
});
