import { type RawBuilder, sql } from 'kysely';
import type { Executor } from './transaction.ts';

/** The SQL types a column of rows may be sent as. */
export type ArrayElementType = 'text' | 'int' | 'int8' | 'numeric' | 'date' | 'jsonb' | 'timestamptz';

type ArrayElement = string | number | bigint | null;

/**
 * One column of many rows as a single array parameter, for `unnest(…)`: a set-based write then has a
 * dozen parameters however many rows it carries, where `VALUES` would bind and plan thousands.
 * Values go over the wire as text, so bigints keep every digit.
 *
 * @example sql`UPDATE loan SET bucket = v.bucket FROM unnest(${arrayParameter(ids, 'text')}, ${arrayParameter(buckets, 'text')}) AS v(id, bucket) WHERE loan.id = v.id`
 */
export function arrayParameter(values: ReadonlyArray<ArrayElement>, type: ArrayElementType): RawBuilder<unknown> {
  return sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;
}

/**
 * The PostgreSQL array literal of `values` (`{"a","b",NULL,12}`). Written here rather than left to
 * the driver, which runs two regular expressions over every element: for a hundred thousand rows
 * that costs more than the database's work.
 */
function arrayLiteral(values: ReadonlyArray<ArrayElement>): string {
  return `{${values.map(arrayElementLiteral).join(',')}}`;
}

/** A string is quoted, and escaped only when it holds a quote or a backslash; a number needs neither. */
function arrayElementLiteral(value: ArrayElement): string {
  if (value === null) return 'NULL';
  if (typeof value !== 'string') return String(value);
  if (value.includes('"') || value.includes('\\')) return `"${value.split('\\').join('\\\\').split('"').join('\\"')}"`;
  return `"${value}"`;
}

/** The columns of an insert by arrays, each with the SQL type its values are sent as. */
export type ArrayColumns = Readonly<Record<string, ArrayElementType>>;

/** One row for `insertRowsAsArrays`: a value for each column, JSON text for a `jsonb` one. */
export type ArrayRow<Columns extends ArrayColumns> = { [Column in keyof Columns]: ArrayElement };

/**
 * Inserts rows with one array parameter per column, unnested side by side in the select list
 * (`INSERT … SELECT unnest($1::text[]), unnest($2::int8[]) …`), so one statement carries any number
 * of rows. In the select list the arrays stream into the insert in order, so a serial column
 * numbers the rows as listed; `FROM unnest(…)` would first copy them all into a temporary store.
 *
 * A `jsonb` column goes as one JSON array of one-element arrays (`[[{…}],[],…]`, `[]` for NULL),
 * since JSON inside an array literal would need every quote escaped; each of its values must be
 * one JSON text, as `JSON.stringify` gives.
 *
 * @example await insertRowsAsArrays(db, 'loan_charge', { id: 'text', amount_minor: 'int8' }, [{ id: 'chg_1', amount_minor: 500n }])
 */
export async function insertRowsAsArrays<Columns extends ArrayColumns>(
  db: Executor,
  table: string,
  columns: Columns,
  rows: ReadonlyArray<ArrayRow<Columns>>,
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const expressions = names.map((name, index) => {
    const type = columns[name]!;
    const first = rows[0]![name]!;
    // A column with the same value in every row (a status, a currency, nothing paid yet) goes as
    // that one value. The first column always goes as an array: it is what makes one row per value.
    if (index > 0 && rows.every((row) => row[name] === first)) return sql`${first === null ? null : String(first)}::${sql.raw(type)}`;
    if (type !== 'jsonb') return sql`unnest(${arrayParameter(rows.map((row) => row[name]!), type)})`;
    const document = `[${rows.map((row) => (row[name] === null ? '[]' : `[${row[name]}]`)).join(',')}]`;
    return sql`(jsonb_array_elements(${document}::jsonb) -> 0)`;
  });
  await sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((name) => sql.id(name)))}) SELECT ${sql.join(expressions)}`.execute(db);
}
