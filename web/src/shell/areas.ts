import type { ComponentType } from 'react';
import type { Permission } from '../../../src/http/permissions.ts';

export type { Permission };

/** Where a screen lives; the navigation groups screens by area. */
export const AREAS = ['portal', 'workbench', 'supervisor', 'compliance', 'admin'] as const;
export type Area = (typeof AREAS)[number];

/**
 * One screen of the application. Each area declares its screens in `web/src/<area>/screens.tsx`
 * or `web/src/<area>/<feature>.screens.tsx` (gathered automatically); a screen the user's permissions do not allow is neither shown in the
 * navigation nor opened (default deny).
 *
 * @example { path: '/portal/loans', area: 'portal', permission: 'loans:read', titleKey: 'portal:myLoans.title', navigation: true, component: MyLoans }
 */
export interface Screen {
  /** React Router path, starting with `/<area>/`. */
  path: string;
  area: Area;
  permission: Permission;
  /** i18n key of the title, `namespace:key` (the namespace is the area). */
  titleKey: string;
  /** Listed in the navigation (screens that need a parameter, like one loan, are not). */
  navigation?: boolean;
  /** Only for these roles as well as the permission (e.g. the portal is for borrowers). */
  roles?: readonly string[];
  component: ComponentType;
}
