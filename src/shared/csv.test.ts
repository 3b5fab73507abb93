import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv.ts';

describe('csvCell', () => {
  it.each([
    ['plain text', 'plain', 'plain'],
    ['empty for null', null, ''],
    ['empty for undefined', undefined, ''],
    ['a number', 42, '42'],
    ['a bigint', 12345678901234567890n, '12345678901234567890'],
    ['a comma quotes the cell', 'a,b', '"a,b"'],
    ['a quote is doubled', 'say "hi"', '"say ""hi"""'],
    ['a line break quotes the cell', 'line one\nline two', '"line one\nline two"'],
    ['a carriage return quotes the cell', 'a\r\nb', '"a\r\nb"'],
    ['leading space is kept by quoting', ' padded', '" padded"'],
    ['Chinese text as is', '催收电话太频繁', '催收电话太频繁'],
    ['a formula is defused', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['a minus sign text is defused', '-1+2', "'-1+2"],
    ['an object becomes JSON, quoted', { rule: 'US-01', code: 'OUTSIDE_HOURS' }, '"{""rule"":""US-01"",""code"":""OUTSIDE_HOURS""}"'],
  ] as const)('%s', (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('csvLine', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvLine(['rcpt_1', 'deny', 'US-01, US-02', null])).toBe('rcpt_1,deny,"US-01, US-02",\r\n');
  });
});
