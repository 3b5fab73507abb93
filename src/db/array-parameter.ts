import { type RawBuilder, sql } from 'kysely';

/** The SQL types a column of rows may be sent as. */
export type ArrayElementType = 'text' | 'int' | 'int8' | 'date' | 'jsonb' | 'timestamptz';

/**
 * One column of many rows as a single array parameter, for `unnest(…)`: a set-based write then has a
 * dozen parameters however many rows it carries, where `VALUES` would bind and plan thousands.
 * Values go over the wire as text, so bigints keep every digit.
 *
 * @example sql`UPDATE loan SET bucket = v.bucket FROM unnest(${arrayParameter(ids, 'text')}, ${arrayParameter(buckets, 'text')}) AS v(id, bucket) WHERE loan.id = v.id`
 */
export function arrayParameter(values: ReadonlyArray<string | number | bigint | null>, type: ArrayElementType): RawBuilder<unknown> {
  return sql`${values.map((value) => (value === null ? null : String(value)))}::${sql.raw(type)}[]`;
}
