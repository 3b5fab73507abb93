import smpp from 'smpp';
import { describe, expect, it } from 'vitest';
import { concatenationReference, encodeSmsSegments, type SmsEncoders } from './sms-encoding.ts';

const encoders: SmsEncoders = {
  gsmMatches: (text) => smpp.encodings.ASCII.match(text),
  encodeGsm: (text) => smpp.encodings.ASCII.encode(text),
  encodeUcs2: (text) => smpp.encodings.UCS2.encode(text),
};

describe('encodeSmsSegments', () => {
  const cases: Array<[string, string, 'GSM' | 'UCS2', number]> = [
    ['160 GSM characters fit one message', 'a'.repeat(160), 'GSM', 1],
    ['161 GSM characters need two', 'a'.repeat(161), 'GSM', 2],
    ['70 Chinese characters fit one message', '还'.repeat(70), 'UCS2', 1],
    ['71 Chinese characters need two', '还'.repeat(71), 'UCS2', 2],
    ['134 Chinese characters need two', '还'.repeat(134), 'UCS2', 2],
    ['135 Chinese characters need three', '还'.repeat(135), 'UCS2', 3],
  ];
  it.each(cases)('%s', (_, text, encoding, count) => {
    const result = encodeSmsSegments(text, 9, encoders);
    expect(result.encoding).toBe(encoding);
    expect(result.segments).toHaveLength(count);
    if (count > 1) expect(result.segments.every((segment) => segment[0] === 5 && segment[3] === 9 && segment[4] === count)).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'还'.repeat(66)}😀${'还'.repeat(10)}`;
    const result = encodeSmsSegments(text, 1, encoders);
    const first = result.segments[0]!.subarray(6);
    const lastUnit = (first[first.length - 2]! << 8) | first[first.length - 1]!;
    expect(lastUnit >= 0xd800 && lastUnit <= 0xdbff).toBe(false);
  });

  it('refuses a text beyond the segment limit', () => {
    expect(() => encodeSmsSegments('还'.repeat(700), 1, encoders)).toThrow(/at most 10/);
  });

  it('derives a stable reference from the key', () => {
    expect(concatenationReference('msg_1')).toBe(concatenationReference('msg_1'));
    expect(concatenationReference('msg_1')).toBeGreaterThanOrEqual(0);
    expect(concatenationReference('msg_1')).toBeLessThan(256);
  });
});
