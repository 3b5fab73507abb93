import { describe, expect, it } from 'vitest';
import { flagsFromPreferences, parseContactPreferences, preferencesFromFlags } from './contact-preferences.ts';
import { withCurrentContactFacts } from './dispatcher.ts';

const valid = { optOuts: ['sms', 'sms', 'letter'], inconvenient: [{ weekdays: ['sat', 'sun'] }, { from: '22:00', to: '07:30' }], preferredLanguage: 'zh-CN', ceaseContact: false };

describe('contact preferences', () => {
  it('reads a whole body and removes repeated opt-outs', () => {
    expect(parseContactPreferences(valid)).toEqual({ ...valid, optOuts: ['sms', 'letter'] });
    expect(parseContactPreferences({ ...valid, preferredLanguage: null }).preferredLanguage).toBeNull();
  });

  it.each([
    ['an unknown channel', { optOuts: ['fax'] }, 'optOuts.0'],
    ['a time past midnight', { inconvenient: [{ from: '24:30', to: '08:00' }] }, 'inconvenient.0.from'],
    ['a range without its end', { inconvenient: [{ from: '21:00' }] }, 'inconvenient.0.to'],
    ['an empty range', { inconvenient: [{ from: '21:00', to: '21:00' }] }, 'inconvenient.0.to'],
    ['an unknown weekday', { inconvenient: [{ weekdays: ['someday'] }] }, 'inconvenient.0.weekdays.0'],
    ['neither days nor range', { inconvenient: [{}] }, 'inconvenient.0'],
    ['too many times', { inconvenient: Array.from({ length: 21 }, () => ({ weekdays: ['sun'] })) }, 'inconvenient'],
    ['an unknown language', { preferredLanguage: 'fr' }, 'preferredLanguage'],
    ['a missing cease answer', { ceaseContact: undefined }, '(root).ceaseContact'],
    ['an unknown field', { colour: 'blue' }, '(root).colour'],
  ])('refuses %s', (_name, change, field) => {
    expect(() => parseContactPreferences({ ...valid, ...change })).toThrow(expect.objectContaining({ field }));
  });

  it.each([
    ['cease is added, other flags kept', ['attorney'], true, ['attorney', 'cease']],
    ['cease is withdrawn, other flags kept', ['cease', 'bankruptcy'], false, ['bankruptcy']],
    ['no row yet', null, false, []],
  ] as const)('stores flags: %s', (_name, flags, ceaseContact, expected) => {
    const stored = flags === null ? null : { flags, optOuts: ['email'], inconvenient: [], preferredLanguage: null };
    const after = flagsFromPreferences(stored, { ...parseContactPreferences(valid), ceaseContact });
    expect(after.flags).toEqual(expected);
    expect(after.optOuts).toEqual(['sms', 'letter']);
    expect(preferencesFromFlags(after).ceaseContact).toBe(ceaseContact);
  });

  it('makes a queued request stricter with what the borrower said since, never looser', () => {
    const stored = { policy: 'CN', borrower: { timeZones: ['Asia/Shanghai'], flags: ['vulnerable'], optOuts: ['email'], inconvenient: [{ weekdays: ['sun'] }] }, attempt: { channel: 'sms', debtId: 'loan_1' } };
    expect(withCurrentContactFacts(stored, null, [])).toBe(stored);
    expect(withCurrentContactFacts(stored, { flags: ['cease'], optOuts: [], inconvenient: [{ weekdays: ['sun'] }, { from: '21:00', to: '08:00' }] }, ['dispute'])).toEqual({
      ...stored,
      borrower: { timeZones: ['Asia/Shanghai'], flags: ['vulnerable', 'cease', 'dispute'], optOuts: ['email'], inconvenient: [{ weekdays: ['sun'] }, { from: '21:00', to: '08:00' }] },
    });
  });
});
