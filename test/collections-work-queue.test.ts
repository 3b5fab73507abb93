import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContactRequest } from '../src/compliance/contact-request.ts';
import { certificationsFor, recordTraining, revokeTraining } from '../src/collections/certification.service.ts';
import { type Agent, assignTasks, type CallTask, orderCallTasks } from '../src/collections/work-queue.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { openTestDatabase } from './support/database.ts';
import { testDependencies } from './support/fixtures.ts';

const NOW = '2026-03-10T02:00:00Z'; // 10:00 Shanghai, 02:00 London
const task = (id: string, overrides: Partial<CallTask> = {}): CallTask => ({
  id, caseId: `case_${id}`, jurisdiction: 'CN', language: 'zh-CN', region: 'east', dpd: 10, balanceMinor: 100_000n, promiseDue: false,
  contactRequest: parseContactRequest({ policy: 'CN', at: NOW, borrower: { timeZones: ['Asia/Shanghai'] }, attempt: { channel: 'call', debtId: id } }),
  ...overrides,
});

describe('call work queue', () => {
  it('orders by open window, promise due, DPD, balance, id', () => {
    const closed = task('closed', { dpd: 90, contactRequest: parseContactRequest({ policy: 'UK', at: NOW, borrower: { timeZones: ['Europe/London'] }, attempt: { channel: 'call', debtId: 'x' } }) });
    const ordered = orderCallTasks([
      closed,
      task('low-dpd', { dpd: 5 }),
      task('promise', { dpd: 1, promiseDue: true }),
      task('high-balance', { balanceMinor: 900_000n }),
      task('b-same'),
      task('a-same'),
    ]);
    expect(ordered.map((item) => item.id)).toEqual(['promise', 'high-balance', 'a-same', 'b-same', 'low-dpd', 'closed']);
    expect(ordered.at(-1)!.windowOpen).toBe(false);
    // 02:00 in London is outside UK hours: the gate says why, and that 08:00 London is the next chance.
    expect(ordered.at(-1)).toMatchObject({ reasonCodes: ['OUTSIDE_HOURS'], allowAfter: '2026-03-10T08:00:00Z' });
    expect(ordered[0]).toMatchObject({ windowOpen: true, reasonCodes: [], allowAfter: null });
  });

  describe.each(['certification records'])('with %s in the database', () => {
    let handle: DatabaseHandle;
    const dependencies = testDependencies(3, NOW);
    beforeAll(async () => {
      handle = await openTestDatabase();
    });
    afterAll(async () => handle.close());

    it('assigns by language, jurisdiction, region, current certification and capacity; uncertified agents get nothing', async () => {
      const { db } = handle;
      await recordTraining(db, dependencies.ids, { agentId: 'zh-1', module: 'CN fair collection', jurisdiction: 'CN', channels: ['call', 'sms'], passedOn: '2026-01-05', expiresOn: '2027-01-05' });
      await recordTraining(db, dependencies.ids, { agentId: 'zh-2', module: 'CN fair collection', jurisdiction: 'CN', channels: ['call'], passedOn: '2026-02-01' });
      // Certified for SMS only, and an old certificate: neither covers calls today.
      await recordTraining(db, dependencies.ids, { agentId: 'zh-sms', module: 'CN SMS', jurisdiction: 'CN', channels: ['sms'], passedOn: '2026-01-05' });
      await recordTraining(db, dependencies.ids, { agentId: 'zh-old', module: 'CN fair collection', jurisdiction: 'CN', channels: ['call'], passedOn: '2025-01-05' });
      const revoked = await recordTraining(db, dependencies.ids, { agentId: 'zh-revoked', module: 'CN fair collection', jurisdiction: 'CN', channels: ['call'], passedOn: '2026-01-05' });
      await revokeTraining(db, dependencies.clock, revoked);
      const agents: Agent[] = [
        { id: 'zh-1', languages: ['zh-CN'], jurisdictions: ['CN'], regions: ['east'], capacity: 2 },
        { id: 'zh-2', languages: ['zh-CN'], jurisdictions: ['CN'], regions: ['east'], capacity: 1 },
        { id: 'zh-sms', languages: ['zh-CN'], jurisdictions: ['CN'], regions: ['east', 'west'], capacity: 10 },
        { id: 'zh-old', languages: ['zh-CN'], jurisdictions: ['CN'], regions: ['east', 'west'], capacity: 10 },
        { id: 'zh-revoked', languages: ['zh-CN'], jurisdictions: ['CN'], regions: ['east', 'west'], capacity: 10 },
        { id: 'en-1', languages: ['en'], jurisdictions: ['CN', 'UK'], regions: ['east'], capacity: 10 },
      ];
      const certifications = await certificationsFor(db, agents.map((agent) => agent.id));
      expect(certifications).toHaveLength(5);
      const tasks = orderCallTasks([task('t1'), task('t2'), task('t3'), task('t4'), task('west', { region: 'west' }), task('english', { language: 'en', jurisdiction: 'UK' })]);
      const result = assignTasks(tasks, agents, certifications, Date.parse(NOW));
      expect(result.assignments).toEqual([
        { taskId: 't1', agentId: 'zh-1' },
        { taskId: 't2', agentId: 'zh-2' },
        { taskId: 't3', agentId: 'zh-1' },
      ]);
      expect([...result.unassigned].sort((a, b) => (a.taskId < b.taskId ? -1 : 1))).toEqual([
        { taskId: 'english', reason: 'no-certified-agent' },
        { taskId: 't4', reason: 'no-capacity' },
        { taskId: 'west', reason: 'no-certified-agent' },
      ]);
      const uncertified = new Set(['zh-sms', 'zh-old', 'zh-revoked', 'en-1']);
      expect(result.assignments.some((assignment) => uncertified.has(assignment.agentId))).toBe(false);
    });

    it('refuses a training record with bad dates', async () => {
      await expect(recordTraining(handle.db, dependencies.ids, { agentId: 'a', module: 'm', jurisdiction: 'CN', channels: ['call'], passedOn: '2026-02-01', expiresOn: '2026-01-01' })).rejects.toThrow(/expiresOn/);
    });
  });
});
