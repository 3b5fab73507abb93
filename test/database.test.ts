import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestDatabase, DATABASE_KIND } from './support/database.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { arrayParameter, insertRowsAsArrays } from '../src/db/array-parameter.ts';

describe(`database (${DATABASE_KIND})`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('returns int8 as BigInt, numeric as string and date as a business date on every driver', async () => {
    const result = await sql<{ big: bigint; exact: string; day: string }>`
      select 9007199254740993::int8 as big, 1.10::numeric as exact, '2024-02-29'::date as day`.execute(handle.db);
    expect(result.rows[0]).toEqual({ big: 9007199254740993n, exact: '1.10', day: '2024-02-29' });
  });

  it('accepts BigInt parameters', async () => {
    const result = await sql<{ doubled: bigint }>`select (${9007199254740993n}::int8 * 2) as doubled`.execute(handle.db);
    expect(result.rows[0]!.doubled).toBe(18014398509481986n);
  });

  it('gives each concurrent transaction the connection to itself', async () => {
    await sql`create table counter (value int8 not null)`.execute(handle.db);
    await sql`insert into counter values (0)`.execute(handle.db);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        handle.db.transaction().execute(async (transaction) => {
          const row = await sql<{ value: bigint }>`select value from counter for update`.execute(transaction);
          await sql`update counter set value = ${row.rows[0]!.value + 1n}`.execute(transaction);
        }),
      ),
    );
    const result = await sql<{ value: bigint }>`select value from counter`.execute(handle.db);
    expect(result.rows[0]!.value).toBe(20n);
  });

  const awkwardTexts = ['plain', '', 'NULL', 'with "quotes"', 'back\\slash \\"', '{braces}, commas', '  spaces  ', '信用贷 12期', null];

  it('sends every text of an array parameter back unchanged, NULL included', async () => {
    const result = await sql<{ value: string | null }>`select value from unnest(${arrayParameter(awkwardTexts, 'text')}) with ordinality as v(value, position) order by position`.execute(handle.db);
    expect(result.rows.map((row) => row.value)).toEqual(awkwardTexts);
  });

  it('inserts rows by arrays in the order given, JSON and NULL included', async () => {
    await sql`create table array_insert (position bigserial, label text, amount int8, document jsonb)`.execute(handle.db);
    const rows = awkwardTexts.map((label, index) => ({ label, amount: index % 3 === 0 ? null : 9007199254740993n * BigInt(index), document: index % 4 === 0 ? null : JSON.stringify({ label, list: [index, '"]'] }) }));
    await insertRowsAsArrays(handle.db, 'array_insert', { label: 'text', amount: 'int8', document: 'jsonb' }, rows);
    const result = await sql<{ label: string | null; amount: bigint | null; document: unknown }>`select label, amount, document from array_insert order by position`.execute(handle.db);
    expect(result.rows).toEqual(rows.map((row) => ({ ...row, document: row.document === null ? null : JSON.parse(row.document) })));
  });
});
