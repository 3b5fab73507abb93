/**
 * CSV as RFC 4180 writes it: fields separated by commas, a field quoted when it holds a comma, a
 * quote, a line break or leading/trailing space, quotes doubled inside, lines ended by CRLF.
 */

/** A value a CSV cell may hold; null and undefined are empty cells, objects are written as JSON. */
export type CsvValue = string | number | bigint | boolean | null | undefined | object;

/**
 * One cell, quoted when it must be. A cell that a spreadsheet would run as a formula (starting with
 * =, +, - or @) is prefixed with an apostrophe, so an exported borrower text cannot run there.
 *
 * @example csvCell('say "hi", then go') // '"say ""hi"", then go"'
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One line of cells, ended by CRLF.
 *
 * @example csvLine(['rcpt_1', 'deny', 'US-01, US-02']) // 'rcpt_1,deny,"US-01, US-02"\r\n'
 */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
