import type { FastifyPluginAsync } from 'fastify';
import type { ServerDependencies } from './dependencies.ts';
import { scheduleRoutes } from '../lending/schedule.routes.ts';
import { lendingRoutes } from '../lending/lending.routes.ts';
import { complianceRoutes } from '../compliance/compliance.routes.ts';
import { scenarioRoutes } from '../scenario/scenario.routes.ts';
import { endOfDayRoutes } from '../eod/eod.routes.ts';
import { collectionsRoutes } from '../collections/collections.routes.ts';
import { identityRoutes } from '../identity/identity.routes.ts';
import { borrowerRequestRoutes } from '../collections/borrower-requests.routes.ts';
import { hardshipRoutes } from '../hardship/hardship.routes.ts';
import { complaintRoutes } from '../compliance/complaint.routes.ts';
import { oversightRoutes } from '../compliance/oversight.routes.ts';
import { evidenceRoutes } from '../collections/evidence.routes.ts';
import { personalDataAccessRoutes } from '../lending/personal-data-access.routes.ts';
import { calendarRoutes } from '../eod/calendar.routes.ts';

/** A context's routes: a Fastify plugin built from the server's dependencies, mounted under /v1. */
export type RouteModule = (dependencies: ServerDependencies) => FastifyPluginAsync;

/** Every context's routes. */
export const ROUTE_MODULES: RouteModule[] = [scheduleRoutes, lendingRoutes, complianceRoutes, scenarioRoutes, endOfDayRoutes, collectionsRoutes,
  identityRoutes, borrowerRequestRoutes, hardshipRoutes, complaintRoutes,
  oversightRoutes, evidenceRoutes, personalDataAccessRoutes, calendarRoutes];
