import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant, zoneOffsets } from './local-time.ts';

const HOUR_MS = 3_600_000;

describe('zone offsets', () => {
  it.each([
    ['America/Chicago', '2026-03-08T07:59:59Z', -6],
    ['America/Chicago', '2026-03-08T08:00:00Z', -5],
    ['America/Chicago', '2026-11-01T06:59:59Z', -5],
    ['America/Chicago', '2026-11-01T07:00:00Z', -6],
    ['Europe/London', '2026-03-29T01:00:00Z', 1],
    ['Asia/Shanghai', '2026-07-01T00:00:00Z', 8],
    ['Pacific/Honolulu', '2026-07-01T00:00:00Z', -10],
    ['Asia/Kolkata', '2040-07-01T00:00:00Z', 5.5],
    ['America/New_York', '1975-01-01T12:00:00Z', -5],
  ])('%s at %s is UTC%s', (zone, instant, hours) => {
    expect(zoneOffsets(zone)!.offsetAt(Date.parse(instant))).toBe(hours * HOUR_MS);
  });

  it('agrees with Intl on every hour of a year', () => {
    const zone = zoneOffsets('America/Los_Angeles')!;
    const format = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23', hour: 'numeric' });
    for (let instant = Date.parse('2026-01-01T00:00:00Z'); instant < Date.parse('2027-01-01T00:00:00Z'); instant += HOUR_MS) {
      const localHour = Math.floor((((instant + zone.offsetAt(instant)) % 86_400_000) + 86_400_000) % 86_400_000 / HOUR_MS);
      expect(localHour).toBe(Number(format.format(instant)));
    }
  });

  it('finds the first instant of a local time across the spring-forward gap', () => {
    const zone = zoneOffsets('America/Chicago')!;
    const local = Date.UTC(2026, 2, 8, 2, 30);
    expect(new Date(zone.firstInstantAtLocal(Date.parse('2026-03-08T00:00:00Z'), local)).toISOString()).toBe('2026-03-08T08:00:00.000Z');
  });

  it('refuses names that are not zones', () => {
    expect(zoneOffsets('Mars/Olympus')).toBeNull();
    expect(zoneOffsets('+05:00')).toBeNull();
    expect(zoneOffsets('')).toBeNull();
  });
});

describe('instants', () => {
  it.each([
    ['2026-03-09T14:30:00Z', Date.UTC(2026, 2, 9, 14, 30)],
    ['2026-03-09T09:30:00-05:00', Date.UTC(2026, 2, 9, 14, 30)],
    ['2026-03-09T14:30:00.250Z', Date.UTC(2026, 2, 9, 14, 30, 0, 250)],
    ['2026-03-09T14:30Z', null],
    ['2026-03-09 14:30:00Z', null],
    ['2026-02-30T00:00:00Z', null],
    ['2026-03-09T24:00:00Z', null],
    ['2026-03-09T14:30:00', null],
  ])('parses %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it('formats with whole seconds, rounding up', () => {
    expect(formatInstant(Date.UTC(2026, 2, 10, 13))).toBe('2026-03-10T13:00:00Z');
    expect(formatInstant(Date.UTC(2026, 2, 10, 13, 0, 0, 1))).toBe('2026-03-10T13:00:01Z');
  });
});
