/**
 * Every route and screen names one permission; a role holds a list of them; anything else is denied.
 * `public` is for the health check and the API documentation only.
 */
export const PERMISSIONS = [
  'public',
  /** Any signed-in caller, whatever the role: their own session and profile. */
  'signed-in',
  'schedules:preview',
  'products:read',
  'products:write',
  'borrowers:read',
  'borrowers:write',
  'borrowers:read-unmasked',
  'loans:read',
  'loans:write',
  'payments:write',
  /** Files of many payments (a bank's collection file): staff and integrations, never a borrower. */
  'payments:import',
  'payments:reverse',
  'charges:write',
  'charges:waive',
  'loans:write-off',
  'compliance:evaluate',
  'compliance:read',
  'compliance:write',
  'scenarios:run',
  'eod:run',
  'events:read',
  'collections:work',
  'collections:supervise',
  'collections:visit',
  'collections:run',
  'admin:keys',
  'admin:users',
  /** Lender policy overlays (tighten a pack) and the business calendar. */
  'admin:policies',
  'admin:calendar',
  'contact-preferences:write',
  'disputes:raise',
  'disputes:resolve',
  'hardship:request',
  'hardship:decide',
  'complaints:file',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'supervisor', 'agent', 'field-agent', 'compliance', 'borrower', 'integration'] as const;
export type Role = (typeof ROLES)[number];

const EVERYTHING = PERMISSIONS.filter((permission) => permission !== 'public' && permission !== 'signed-in');

/** Role → permissions. A borrower's permissions apply to their own records only (checked per route). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: EVERYTHING,
  supervisor: [
    'schedules:preview', 'products:read', 'borrowers:read', 'loans:read', 'payments:write', 'charges:write',
    'charges:waive', 'compliance:evaluate', 'compliance:read', 'scenarios:run', 'events:read', 'collections:work',
    'collections:supervise', 'collections:visit', 'collections:run',
    'contact-preferences:write', 'disputes:raise', 'disputes:resolve', 'hardship:request', 'hardship:decide', 'complaints:file',
  ],
  agent: [
    'schedules:preview', 'products:read', 'borrowers:read', 'loans:read', 'payments:write', 'compliance:evaluate', 'collections:work',
    'contact-preferences:write', 'disputes:raise', 'hardship:request', 'complaints:file',
  ],
  'field-agent': ['borrowers:read', 'loans:read', 'payments:write', 'compliance:evaluate', 'collections:visit'],
  compliance: [
    'products:read', 'borrowers:read', 'borrowers:read-unmasked', 'loans:read', 'compliance:evaluate', 'compliance:read',
    'compliance:write', 'scenarios:run',
    'contact-preferences:write', 'disputes:resolve', 'complaints:file',
  ],
  // A borrower asks for themself: every route of these checks that the record is their own.
  borrower: [
    'schedules:preview', 'loans:read', 'payments:write', 'borrowers:read',
    'contact-preferences:write', 'disputes:raise', 'hardship:request', 'complaints:file',
  ],
  integration: [
    'schedules:preview', 'products:read', 'products:write', 'borrowers:read', 'borrowers:write', 'loans:read', 'loans:write',
    'payments:write', 'payments:import', 'payments:reverse', 'charges:write', 'compliance:evaluate', 'scenarios:run', 'events:read',
  ],
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return permission === 'public' || permission === 'signed-in' || ROLE_PERMISSIONS[role].includes(permission);
}
