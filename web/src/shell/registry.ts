import { AREAS, type Screen } from './areas.ts';

/**
 * Every area's screens, found at build time: adding `web/src/<area>/screens.tsx` or
 * `web/src/<area>/<feature>.screens.tsx` that exports `screens: Screen[]` is all it takes, no
 * shared file to edit (several people can add screens to one area without touching each other's files).
 */
const modules = import.meta.glob<{ screens: Screen[] }>(['../*/screens.tsx', '../*/*.screens.tsx'], { eager: true });

export const SCREENS: Screen[] = Object.values(modules)
  .flatMap((module) => module.screens)
  .sort((a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area));

const paths = new Set<string>();
for (const screen of SCREENS) {
  if (paths.has(screen.path)) throw new Error(`Two screens claim ${screen.path}`);
  paths.add(screen.path);
  if (!screen.path.startsWith(`/${screen.area}/`) && screen.path !== `/${screen.area}`) {
    throw new Error(`Screen ${screen.path} must live under /${screen.area}/`);
  }
}

/** Whether a signed-in user may open a screen: they hold its permission (and role, if it names roles). */
export function mayOpen(screen: Screen, user: { role: string; permissions: readonly string[] }): boolean {
  return user.permissions.includes(screen.permission) && (!screen.roles || screen.roles.includes(user.role));
}
