import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Role } from '../../../src/http/permissions.ts';
import type { Screen } from './areas.ts';
import { mayOpen, SCREENS } from './registry.ts';

const screen = (overrides: Partial<Screen>): Screen => ({ path: '/admin/x', area: 'admin', permission: 'admin:users', titleKey: 'admin:x', component: () => null, ...overrides });
const userOf = (role: Role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] });

describe('mayOpen (default deny)', () => {
  const cases: Array<[string, Partial<Screen>, Role, boolean]> = [
    ['admin holds admin:users', {}, 'admin', true],
    ['supervisor lacks admin:users', {}, 'supervisor', false],
    ['borrower lacks admin:users', {}, 'borrower', false],
    ['borrower opens a borrower-only portal screen', { path: '/portal/x', area: 'portal', permission: 'loans:read', roles: ['borrower'] }, 'borrower', true],
    ['admin holds loans:read but is not a borrower', { path: '/portal/x', area: 'portal', permission: 'loans:read', roles: ['borrower'] }, 'admin', false],
    ['agent works cases', { path: '/workbench/x', area: 'workbench', permission: 'collections:work' }, 'agent', true],
    ['field agent does not', { path: '/workbench/x', area: 'workbench', permission: 'collections:work' }, 'field-agent', false],
  ];
  it.each(cases)('%s', (_name, overrides, role, expected) => {
    expect(mayOpen(screen(overrides), userOf(role))).toBe(expected);
  });

  it('opens nothing for a user without permissions', () => {
    expect(SCREENS.filter((candidate) => mayOpen(candidate, { role: 'admin', permissions: [] }))).toEqual([]);
  });
});

describe('the registered screens', () => {
  it('live under their area and keep the portal to borrowers', () => {
    expect(SCREENS.length).toBeGreaterThan(0);
    for (const candidate of SCREENS) {
      expect(candidate.path.startsWith(`/${candidate.area}/`), candidate.path).toBe(true);
      if (candidate.area === 'portal') expect(candidate.roles, candidate.path).toEqual(['borrower']);
    }
    const borrowerScreens = SCREENS.filter((candidate) => mayOpen(candidate, userOf('borrower'))).map((candidate) => candidate.area);
    expect(new Set(borrowerScreens)).toEqual(new Set(['portal']));
  });
});
