import { describe, expect, it } from 'vitest';
import { maskBorrower, maskText, parseBorrower } from './borrower.ts';

const valid = {
  fullName: 'Alice Walker',
  nationalId: '123-45-6789',
  jurisdiction: 'US',
  phones: [{ number: '+13125550100', kind: 'mobile' }],
  emails: [{ address: 'alice@example.com' }],
  addresses: [{ line1: '1 Main St', city: 'Chicago', country: 'US', timeZone: 'America/Chicago' }],
};

describe('parseBorrower', () => {
  it('takes the time zone from the address when none is given', () => {
    expect(parseBorrower(valid).timeZone).toBe('America/Chicago');
  });

  it.each([
    [{ ...valid, timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ ...valid, jurisdiction: 'FR' }, 'jurisdiction'],
    [{ ...valid, phones: [{ number: 'call me' }] }, 'phones.0.number'],
    [{ ...valid, emails: [{ address: 'nobody' }] }, 'emails.0.address'],
    [{ ...valid, nickname: 'Al' }, 'nickname'],
    [{ ...valid, dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
  ])('names the bad field (%#)', (input, field) => {
    expect(() => parseBorrower(input)).toThrow(expect.objectContaining({ details: expect.objectContaining({ field }) }));
  });
});

describe('maskBorrower', () => {
  it('hides personal data but keeps what identifies it to its owner', () => {
    const masked = maskBorrower(parseBorrower(valid));
    expect(masked.fullName).toBe('A***********');
    expect(masked.nationalId).toBe('*******6789');
    expect(masked.phones[0]!.number).toBe('+13*******00');
    expect(masked.emails[0]!.address).toBe('a****@example.com');
    expect(masked.addresses[0]!.line1).toBe('*********');
    expect(masked.timeZone).toBe('America/Chicago');
  });

  it('masks Chinese names by character, not by byte', () => {
    expect(maskText('王小明', 1, 0)).toBe('王**');
  });
});
