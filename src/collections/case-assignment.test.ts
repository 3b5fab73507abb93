import { describe, expect, it } from 'vitest';
import type { CollectorCertification } from '../compliance/collector-check.ts';
import { assignCases, type RosterEntry, type UnassignedCase } from './case-assignment.ts';

const AT = Date.parse('2026-03-10T02:00:00Z');
const certificate = (collectorId: string, overrides: Partial<CollectorCertification> = {}): CollectorCertification => ({
  collectorId, jurisdiction: 'CN', channels: ['call', 'sms'], issuedAtMs: Date.parse('2026-01-01T00:00:00Z'), expiresAtMs: null, revoked: false, ...overrides,
});
const collector = (agentId: string, overrides: Partial<RosterEntry> = {}): RosterEntry => ({
  agentId, languages: ['zh-CN'], jurisdictions: ['CN'], region: '上海', capacity: 10, active: true, openCases: 0, ...overrides,
});
const unassigned = (caseId: string, overrides: Partial<UnassignedCase> = {}): UnassignedCase => ({
  caseId, language: 'zh-CN', jurisdiction: 'CN', region: '上海', fieldVisit: false, dpd: 5, ...overrides,
});

describe('automatic case assignment', () => {
  // Each row: the roster, certifications and one case; who gets it (or why nobody does).
  const cases: Array<{ name: string; roster: RosterEntry[]; certifications: CollectorCertification[]; item: UnassignedCase; expected: string }> = [
    { name: 'the eligible collector gets it', roster: [collector('a')], certifications: [certificate('a')], item: unassigned('c1'), expected: 'a' },
    { name: 'fewest open cases wins', roster: [collector('a', { openCases: 3 }), collector('b', { openCases: 1 })], certifications: [certificate('a'), certificate('b')], item: unassigned('c1'), expected: 'b' },
    { name: 'a tie goes to the smaller id', roster: [collector('b'), collector('a')], certifications: [certificate('a'), certificate('b')], item: unassigned('c1'), expected: 'a' },
    { name: 'an uncertified collector gets nothing', roster: [collector('a')], certifications: [], item: unassigned('c1'), expected: 'no-certified-collector' },
    { name: 'a certificate for SMS only does not cover calls', roster: [collector('a')], certifications: [certificate('a', { channels: ['sms'] })], item: unassigned('c1'), expected: 'no-certified-collector' },
    { name: 'a revoked certificate does not count', roster: [collector('a'), collector('b', { openCases: 5 })], certifications: [certificate('a', { revoked: true }), certificate('b')], item: unassigned('c1'), expected: 'b' },
    { name: 'an expired certificate does not count', roster: [collector('a')], certifications: [certificate('a', { expiresAtMs: Date.parse('2026-03-01T00:00:00Z') })], item: unassigned('c1'), expected: 'no-certified-collector' },
    { name: 'in CN a certificate older than 365 days is not current', roster: [collector('a')], certifications: [certificate('a', { issuedAtMs: Date.parse('2025-01-01T00:00:00Z') })], item: unassigned('c1'), expected: 'no-certified-collector' },
    { name: 'a certificate for another jurisdiction does not count', roster: [collector('a', { jurisdictions: ['CN', 'UK'] })], certifications: [certificate('a', { jurisdiction: 'UK' })], item: unassigned('c1'), expected: 'no-certified-collector' },
    { name: 'the borrower\'s language is needed', roster: [collector('a', { languages: ['en'] }), collector('b', { openCases: 9 })], certifications: [certificate('a'), certificate('b')], item: unassigned('c1'), expected: 'b' },
    { name: 'nobody speaks the language', roster: [collector('a', { languages: ['en'] })], certifications: [certificate('a')], item: unassigned('c1'), expected: 'no-matching-collector' },
    { name: 'the jurisdiction must be covered', roster: [collector('a', { jurisdictions: ['UK'] })], certifications: [certificate('a')], item: unassigned('c1'), expected: 'no-matching-collector' },
    { name: 'an inactive collector gets nothing', roster: [collector('a', { active: false })], certifications: [certificate('a')], item: unassigned('c1'), expected: 'no-matching-collector' },
    { name: 'a full collector gets nothing', roster: [collector('a', { openCases: 10 })], certifications: [certificate('a')], item: unassigned('c1'), expected: 'no-capacity' },
    { name: 'a field visit needs the borrower\'s region', roster: [collector('a', { region: '北京' }), collector('b', { openCases: 4 })], certifications: [certificate('a'), certificate('b')], item: unassigned('c1', { fieldVisit: true }), expected: 'b' },
    { name: 'without a field visit the region does not matter', roster: [collector('a', { region: '北京' }), collector('b', { openCases: 4 })], certifications: [certificate('a'), certificate('b')], item: unassigned('c1'), expected: 'a' },
    { name: 'a field visit with an unknown region finds nobody', roster: [collector('a')], certifications: [certificate('a')], item: unassigned('c1', { fieldVisit: true, region: null }), expected: 'no-matching-collector' },
  ];
  for (const row of cases) {
    it(row.name, () => {
      const result = assignCases([row.item], row.roster, row.certifications, AT);
      expect(result.assignments[0]?.agentId ?? result.unassigned[0]?.reason).toBe(row.expected);
    });
  }

  it('spreads cases evenly, most days past due first, until capacity runs out', () => {
    const roster = [collector('a', { capacity: 2 }), collector('b', { capacity: 1, openCases: 0 })];
    const items = [unassigned('c1', { dpd: 1 }), unassigned('c2', { dpd: 30 }), unassigned('c3', { dpd: 10 }), unassigned('c4', { dpd: 2 })];
    const result = assignCases(items, roster, [certificate('a'), certificate('b')], AT);
    expect(result.assignments).toEqual([{ caseId: 'c2', agentId: 'a' }, { caseId: 'c3', agentId: 'b' }, { caseId: 'c4', agentId: 'a' }]);
    expect(result.unassigned).toEqual([{ caseId: 'c1', reason: 'no-capacity' }]);
    // The same facts in another order give the same answer.
    expect(assignCases([...items].reverse(), [...roster].reverse(), [certificate('b'), certificate('a')], AT)).toEqual(result);
  });
});
