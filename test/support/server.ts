import { buildServer, type LenityServer } from '../../src/http/server.ts';
import { createApiKey } from '../../src/http/auth.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Role } from '../../src/http/permissions.ts';
import { calendarDateIn } from '../../src/shared/zoned-time.ts';
import { testDependencies } from './fixtures.ts';

export interface TestServer {
  app: LenityServer;
  dependencies: ReturnType<typeof testDependencies>;
  /** Creates an API key for a role (and borrower) and returns headers that use it. */
  headersFor(role: Role, borrowerId?: string): Promise<Record<string, string>>;
}

/** The real server on a test database, with a clock the test moves. */
export async function startTestServer(handle: DatabaseHandle, start = '2026-01-05T02:00:00Z'): Promise<TestServer> {
  const dependencies = testDependencies(11, start);
  const app = await buildServer({ handle, ...dependencies, businessDate: () => calendarDateIn(dependencies.clock.now(), 'Asia/Shanghai') });
  return {
    app,
    dependencies,
    headersFor: async (role, borrowerId) => {
      const { key } = await createApiKey(handle.db, dependencies.ids, { name: `${role} key`, role, borrowerId: borrowerId ?? null });
      return { authorization: `Bearer ${key}` };
    },
  };
}
