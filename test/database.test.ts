import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestDatabase, DATABASE_KIND } from './support/database.ts';
import type { DatabaseHandle } from '../src/db/database.ts';

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
});
