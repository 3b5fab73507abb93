import { describe, expect, it } from 'vitest';
import { applyOverlay, parsePolicyOverlay } from './overlay.ts';
import { parseContactRequest } from './contact-request.ts';
import { evaluateContact } from './evaluate-contact.ts';
import { US_PACK } from './packs/us.ts';
import { CN_PACK } from './packs/cn.ts';

const request = (at: string, extra: Record<string, unknown> = {}) =>
  parseContactRequest({ policy: 'US', at, borrower: { timeZones: ['America/Chicago'] }, attempt: { channel: 'call', debtId: 'A' }, ...extra });

describe('overlays tighten, never loosen', () => {
  const overlay = parsePolicyOverlay({ name: 'acme', version: '3', pack: 'US', hours: { start: '09:00', end: '20:00' }, blockedDates: ['2026-07-03'], rules: { 'US-10': { limit: 5 } } });

  it('shorter hours apply and the receipt names the overlay', () => {
    const decision = evaluateContact(request('2026-03-10T13:30:00Z'), { overlay });
    expect(decision).toMatchObject({ decision: 'deny', allowAfter: '2026-03-10T14:00:00Z', policy: 'US@2026.11+acme.3' });
    expect(evaluateContact(request('2026-03-11T00:59:00Z'), { overlay }).decision).toBe('allow');
    expect(evaluateContact(request('2026-03-11T01:00:00Z'), { overlay }).decision).toBe('deny');
  });

  it('a blocked public holiday slides to the next day', () => {
    const decision = evaluateContact(request('2026-07-03T15:00:00Z'), { overlay });
    expect(decision.reasons.map((reason) => reason.rule)).toEqual(['OVERLAY-BLOCKED-DAYS']);
    expect(decision.allowAfter).toBe('2026-07-04T14:00:00Z');
  });

  it('a lower cap refuses the 6th call', () => {
    const history = ['01', '02', '03', '04', '05'].map((day) => ({ at: `2026-06-${day}T15:00:00Z`, channel: 'call', debtIds: ['A'] }));
    expect(evaluateContact(request('2026-06-05T20:00:00Z', { history }), { overlay }).reasons.map((reason) => reason.code)).toEqual(['CALL_FREQUENCY']);
    expect(evaluateContact(request('2026-06-05T20:00:00Z', { history })).decision).toBe('allow');
  });

  it('blocked weekdays and more collectors apply', () => {
    const tightened = applyOverlay(CN_PACK, parsePolicyOverlay({ name: 'x', version: '1', pack: 'CN', blockedWeekdays: ['sun'], rules: { 'CN-09': { minimumCollectors: 3 } } }));
    expect(tightened.visits.minimumCollectors).toBe(3);
    expect(tightened.blockedDays?.weekdays).toEqual([6]);
  });

  it.each([
    [{ hours: { start: '07:00', end: '20:00' } }, 'US-01', 'hours.start'],
    [{ hours: { start: '08:00', end: '22:00' } }, 'US-01', 'hours.end'],
    [{ rules: { 'US-10': { limit: 8 } } }, 'US-10', 'rules.US-10.limit'],
    [{ rules: { 'US-11': { windowDays: 5 } } }, 'US-11', 'rules.US-11.windowDays'],
  ])('refuses a loosening overlay %j naming rule %s', (change, rule, field) => {
    const loose = parsePolicyOverlay({ name: 'loose', version: '1', pack: 'US', ...change });
    expect(() => applyOverlay(US_PACK, loose)).toThrowError(new RegExp(`loosen rule ${rule}`));
    try {
      applyOverlay(US_PACK, loose);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field, rule } });
    }
  });

  it('refuses fewer collectors than CN-09 and unknown rules', () => {
    expect(() => applyOverlay(CN_PACK, parsePolicyOverlay({ name: 'x', version: '1', pack: 'CN', rules: { 'CN-09': { minimumCollectors: 1 } } }))).toThrowError(/CN-09/);
    expect(() => applyOverlay(US_PACK, parsePolicyOverlay({ name: 'x', version: '1', pack: 'US', rules: { 'US-99': { limit: 1 } } }))).toThrowError(/US-99/);
    expect(() => applyOverlay(US_PACK, parsePolicyOverlay({ name: 'x', version: '1', pack: 'CN' }))).toThrowError(/is for CN/);
  });

  it('reads overlays strictly', () => {
    expect(() => parsePolicyOverlay({ name: 'x', version: '1', pack: 'US', looser: true })).toThrowError(/looser/);
    expect(() => parsePolicyOverlay({ name: 'x', version: '1', pack: 'US', blockedDates: ['2026-02-30'] })).toThrowError(/blockedDates.0/);
  });
});
