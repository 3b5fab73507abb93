import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { createMemoryIo } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';
import { createTestClock } from '../src/shared/clock.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';

describe(`end-of-day interfaces on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle);
    await handle.db.insertInto('domain_event').values([1, 2, 3].map((index) => ({
      id: `evt_${index}`, kind: 'loan.due', borrower_id: 'brw_1', loan_id: 'loan_1', business_date: '2026-03-02', payload: JSON.stringify({ installmentNumber: index }),
    }))).execute();
  });
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  it('serves the outbox in order to roles with events:read', async () => {
    const headers = await server.headersFor('integration');
    const first = await server.app.inject({ method: 'GET', url: '/v1/events?after=0&limit=2', headers });
    expect(first.statusCode).toBe(200);
    const page = first.json() as { items: Array<{ id: string; sequence: string }>; next: string };
    expect(page.items.map((item) => item.id)).toEqual(['evt_1', 'evt_2']);
    const second = await server.app.inject({ method: 'GET', url: `/v1/events?after=${page.next}`, headers });
    expect((second.json() as { items: Array<{ id: string }> }).items.map((item) => item.id)).toEqual(['evt_3']);
    const agent = await server.app.inject({ method: 'GET', url: '/v1/events', headers: await server.headersFor('agent') });
    expect(agent.statusCode).toBe(403);
  });

  it('imports holidays and refuses an invalid eod invocation with exit 2', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lenity-calendar-'));
    try {
      const file = join(folder, 'holidays.csv');
      writeFileSync(file, 'date,name\n2026-10-01,National Day\n2026-10-02,National Day\n');
      const environment = { ...process.env, LENITY_DATA: join(folder, 'data') };
      const io = createMemoryIo();
      expect(await main(['calendar', 'import', file], { io, environment })).toBe(0);
      expect(io.out).toContain('Imported 2 holidays');
      const refused = createMemoryIo();
      expect(await main(['eod', '--date', '2026-10-01'], { io: refused, environment, clock: createTestClock('2026-12-01T00:00:00Z') })).toBe(2);
      expect(refused.err).toContain('not a business day');
      const both = createMemoryIo();
      expect(await main(['eod', '--date', '2026-10-05', '--until', '2026-10-06'], { io: both, environment })).toBe(2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
