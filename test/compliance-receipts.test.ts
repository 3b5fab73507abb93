import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, DATABASE_KIND } from './support/database.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { createRandom } from '../src/shared/random.ts';
import { createIdGenerator } from '../src/shared/ids.ts';
import { evaluateAndRecord, recordReceipt, verifyReceipts } from '../src/compliance/receipt.service.ts';
import { listBorrowerReceipts } from '../src/compliance/receipt.store.ts';
import { evaluateContact } from '../src/compliance/evaluate-contact.ts';
import { parseContactRequest } from '../src/compliance/contact-request.ts';

const REQUEST = {
  policy: 'US',
  at: '2026-03-10T12:58:00Z',
  borrower: { timeZones: ['America/Chicago'] },
  attempt: { channel: 'call', debtId: 'A' },
};

describe(`contact receipts (${DATABASE_KIND})`, () => {
  let handle: DatabaseHandle;
  const ids = createIdGenerator(createTestClock('2026-03-10T00:00:00Z'), createRandom(11));

  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('stores each decision with its inputs and pack version', async () => {
    const { receiptId, decision } = await evaluateAndRecord(handle.db, ids, { borrowerId: 'brw_1', request: REQUEST });
    expect(decision.allowAfter).toBe('2026-03-10T13:00:00Z');
    const [stored] = await listBorrowerReceipts(handle.db, 'brw_1', 10);
    expect(stored).toMatchObject({ id: receiptId, borrowerId: 'brw_1', debtId: 'A', policy: 'US@2026.11', request: REQUEST, decision });
    expect(stored!.attemptAt.toISOString()).toBe('2026-03-10T12:58:00.000Z');
  });

  it('stores the overlay and re-derives with it', async () => {
    const overlay = { name: 'acme', version: '1', pack: 'US', hours: { start: '09:00', end: '20:00' } };
    const { decision } = await evaluateAndRecord(handle.db, ids, { borrowerId: 'brw_2', request: { ...REQUEST, at: '2026-03-10T13:30:00Z' }, overlay });
    expect(decision).toMatchObject({ decision: 'deny', allowAfter: '2026-03-10T14:00:00Z', policy: 'US@2026.11+acme.1' });
    const result = await verifyReceipts(handle.db);
    expect(result.mismatches).toEqual([]);
    expect(result.checked).toBe(2);
  });

  it('verifies many receipts across batches', async () => {
    for (let index = 0; index < 12; index++) {
      await evaluateAndRecord(handle.db, ids, { borrowerId: `brw_batch_${index}`, request: { ...REQUEST, at: `2026-03-10T${String(10 + index).padStart(2, '0')}:00:00Z` } });
    }
    const result = await verifyReceipts(handle.db, { batchSize: 5 });
    expect(result).toEqual({ checked: 14, mismatches: [] });
  });

  it('reports a receipt whose stored decision does not re-derive', async () => {
    const decision = evaluateContact(parseContactRequest(REQUEST));
    const id = ids('rcpt');
    await recordReceipt(handle.db, { id, borrowerId: 'brw_3', request: REQUEST, decision: { ...decision, decision: 'allow', reasons: [], allowAfter: null } });
    const result = await verifyReceipts(handle.db);
    expect(result.checked).toBe(15);
    expect(result.mismatches).toHaveLength(1);
    expect(result.mismatches[0]).toMatchObject({ receiptId: id, borrowerId: 'brw_3', problem: 'decision-differs' });
    expect(result.mismatches[0]!.recomputed).toEqual(decision);
  });

  it('reports a receipt naming a pack version this build does not know', async () => {
    const id = ids('rcpt');
    const decision = { ...evaluateContact(parseContactRequest(REQUEST)), policy: 'US@1999.01' };
    await recordReceipt(handle.db, { id, borrowerId: 'brw_4', request: REQUEST, decision });
    const result = await verifyReceipts(handle.db);
    expect(result.mismatches.find((mismatch) => mismatch.receiptId === id)).toMatchObject({ problem: 'unknown-policy' });
    await sql`delete from contact_receipt where borrower_id in ('brw_3', 'brw_4')`.execute(handle.db);
    expect((await verifyReceipts(handle.db)).mismatches).toEqual([]);
  });

  it('refuses to store a request that is not a valid contract request', async () => {
    const decision = evaluateContact(parseContactRequest(REQUEST));
    await expect(recordReceipt(handle.db, { id: ids('rcpt'), borrowerId: 'brw_5', request: { ...REQUEST, extra: 1 }, decision })).rejects.toMatchObject({
      code: 'UNKNOWN_FIELD',
      details: { field: 'extra' },
    });
  });
});
