import { AREAS, type Screen } from './areas.ts';

/**
 * Every area's screens, found at build time: adding `web/src/<area>/screens.tsx` that exports
 * `screens: Screen[]` is all it takes, no shared file to edit.
 */
const modules = import.meta.glob<{ screens: Screen[] }>('../*/screens.tsx', { eager: true });

export const SCREENS: Screen[] = Object.values(modules)
  .flatMap((module) => module.screens)
  .sort((a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area));

for (const screen of SCREENS) {
  if (!screen.path.startsWith(`/${screen.area}/`) && screen.path !== `/${screen.area}`) {
    throw new Error(`Screen ${screen.path} must live under /${screen.area}/`);
  }
}

/** Whether a signed-in user may open a screen: they hold its permission (and role, if it names roles). */
export function mayOpen(screen: Screen, user: { role: string; permissions: readonly string[] }): boolean {
  return user.permissions.includes(screen.permission) && (!screen.roles || screen.roles.includes(user.role));
}
