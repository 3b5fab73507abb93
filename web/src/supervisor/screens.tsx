import type { Screen } from '../shell/areas.ts';
import { screens as approvals } from './approvals.tsx';
import { rosterScreens, screens as assignment } from './assignment.tsx';
import { screens as dashboard } from './dashboard.tsx';
import { screens as strategies } from './strategies.tsx';

// One list so that the navigation reads in the order supervisors work: watch, steer, decide, configure.
export const screens: Screen[] = [...dashboard, ...assignment, ...rosterScreens, ...approvals, ...strategies];
