import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../shared/business-date.ts';
import { certificationOf, cureRate, promiseKeptRate, rollRates, type TrainingFact } from './reports.ts';

const day = (text: string) => text as BusinessDate;
const record = (overrides: Partial<TrainingFact> = {}): TrainingFact => ({ jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-02', expiresOn: '2027-01-02', revoked: false, ...overrides });

describe('roll rates', () => {
  it('shares each move among the loans that left the same bucket in the same month', () => {
    const rates = rollRates([
      { month: '2026-03', fromBucket: 'R1', toBucket: 'R2', loans: 2 },
      { month: '2026-03', fromBucket: 'R1', toBucket: 'current', loans: 1 },
      { month: '2026-03', fromBucket: 'current', toBucket: 'R1', loans: 5 },
      { month: '2026-04', fromBucket: 'R1', toBucket: 'R2', loans: 4 },
    ]);
    expect(rates.map((rate) => [rate.month, rate.fromBucket, rate.toBucket, rate.leftBucket, rate.share])).toEqual([
      ['2026-03', 'R1', 'R2', 3, '0.6666'],
      ['2026-03', 'R1', 'current', 3, '0.3333'],
      ['2026-03', 'current', 'R1', 5, '1.0000'],
      ['2026-04', 'R1', 'R2', 4, '1.0000'],
    ]);
  });
});

describe('cure and promise kept rates', () => {
  it.each([
    [{ delinquent: 8, cured: 2 }, '0.2500'],
    [{ delinquent: 3, cured: 0 }, '0.0000'],
    [{ delinquent: 0, cured: 0 }, null],
  ])('cure rate of %o is %s', (cohort, expected) => expect(cureRate(cohort)).toBe(expected));

  it.each([
    [{ kept: 3, partlyKept: 1, broken: 4 }, '0.3750'],
    [{ kept: 0, partlyKept: 0, broken: 0 }, null],
    [{ kept: 2, partlyKept: 0, broken: 0 }, '1.0000'],
  ])('kept rate of %o is %s (pending promises are not judged)', (outcomes, expected) => expect(promiseKeptRate(outcomes)).toBe(expected));
});

describe('a collector certification status on a business date', () => {
  it.each<[string, TrainingFact[], string, string | null]>([
    ['no records', [], 'uncertified', null],
    ['only revoked records', [record({ revoked: true })], 'uncertified', null],
    ['a record in force for a year', [record()], 'certified', '2027-01-02'],
    ['a record without end', [record({ expiresOn: null })], 'certified', null],
    ['a record ending within 30 days', [record({ expiresOn: '2026-03-31' })], 'expiring', '2026-03-31'],
    ['an ending record and a longer one', [record({ expiresOn: '2026-03-31' }), record({ jurisdiction: 'UK', expiresOn: '2026-12-31' })], 'certified', '2026-12-31'],
    ['a record ended yesterday', [record({ expiresOn: '2026-03-01' })], 'expired', null],
    ['a record not yet passed', [record({ passedOn: '2026-03-05' })], 'expired', null],
  ])('%s', (_name, records, status, until) => {
    const certification = certificationOf(records, day('2026-03-02'));
    expect(certification.status).toBe(status);
    expect(certification.certifiedUntil).toBe(until);
  });

  it('lists the jurisdictions and channels in force, not those of ended or revoked records', () => {
    const certification = certificationOf([record({ channels: ['call'] }), record({ jurisdiction: 'UK', channels: ['visit'], revoked: true }), record({ jurisdiction: 'US', expiresOn: '2026-01-31' })], day('2026-03-02'));
    expect(certification).toMatchObject({ jurisdictions: ['CN'], channels: ['call'] });
  });
});
