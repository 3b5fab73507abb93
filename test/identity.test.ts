import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.ts';
import { createApiKey } from '../src/http/auth.ts';
import { createUser, hashSessionToken } from '../src/identity/identity.service.ts';
import { DATABASE_KIND, openTestDatabase } from './support/database.ts';
import { borrowerInput, personalLoanProduct } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const PASSWORD = 'a long enough passphrase';

describe(`identity and sessions on ${DATABASE_KIND}`, () => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let admin: Record<string, string>;

  beforeAll(async () => {
    handle = await openTestDatabase();
    server = await startTestServer(handle);
    admin = await server.headersFor('admin');
  });
  afterAll(async () => {
    await server.app.close();
    await handle.close();
  });

  async function newUser(username: string, role: string, extra: Record<string, unknown> = {}) {
    const response = await server.app.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { username, password: PASSWORD, role, displayName: username, ...extra } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; username: string; role: string };
  }

  async function logIn(username: string, password = PASSWORD) {
    const response = await server.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
    const cookie = response.cookies.find((candidate) => candidate.name === 'lenity_session');
    return { response, cookie: cookie ? `lenity_session=${cookie.value}` : '', csrfToken: response.statusCode === 200 ? (response.json().csrfToken as string) : '' };
  }

  it('logs in with an HttpOnly SameSite=Lax cookie, returns the user, permissions and CSRF token, and stores only the token hash', async () => {
    const user = await newUser('li.na', 'agent', { preferredLanguage: 'en' });
    const { response, cookie, csrfToken } = await logIn('Li.Na');
    expect(response.statusCode, response.body).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    const body = response.json();
    expect(body.user).toMatchObject({ id: user.id, username: 'li.na', role: 'agent', preferredLanguage: 'en' });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.permissions).toContain('collections:work');
    expect(body.permissions).not.toContain('admin:users');
    expect(csrfToken.length).toBeGreaterThan(20);
    const token = cookie.split('=')[1]!;
    const stored = await handle.db.selectFrom('user_session').select(['token_hash']).where('user_id', '=', user.id).execute();
    expect(stored).toEqual([{ token_hash: hashSessionToken(token) }]);
    const session = await server.app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { id: user.id }, csrfToken });
    const passwordHash = await handle.db.selectFrom('app_user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(passwordHash.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('answers an unknown user, a wrong password and a disabled user with the same problem', async () => {
    const disabled = await newUser('gone.user', 'agent');
    expect((await server.app.inject({ method: 'POST', url: `/v1/users/${disabled.id}/disable`, headers: admin })).statusCode).toBe(200);
    await newUser('wrong.password', 'agent');
    const answers = [await logIn('nobody.here'), await logIn('wrong.password', 'not the password'), await logIn('gone.user')];
    for (const { response } of answers) {
      expect(response.statusCode).toBe(401);
      expect(response.cookies).toEqual([]);
    }
    const bodies = answers.map(({ response }) => response.json());
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'The username or password is not correct' });
  });

  it('locks a username out after five failures, even for the right password, until the lockout ends', async () => {
    await newUser('locked.out', 'agent');
    for (let attempt = 1; attempt <= 5; attempt++) expect((await logIn('locked.out', `wrong ${attempt}`)).response.statusCode).toBe(401);
    const locked = await logIn('locked.out');
    expect(locked.response.statusCode).toBe(429);
    expect(locked.response.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', retryAfter: expect.any(String) });
    // Unknown usernames lock the same way, so the lockout does not reveal who exists.
    for (let attempt = 1; attempt <= 5; attempt++) await logIn('not.a.user', 'guess');
    expect((await logIn('not.a.user', 'guess')).response.statusCode).toBe(429);
    server.dependencies.clock.advance(15 * 60_000);
    expect((await logIn('locked.out')).response.statusCode).toBe(200);
    // Counters whose window and lockout are over are forgotten at the next failure.
    await logIn('someone.else', 'guess');
    const counters = await handle.db.selectFrom('login_throttle').select('username').execute();
    expect(counters.map((row) => row.username)).toEqual(['someone.else']);
  });

  it('requires the session CSRF token on unsafe requests made with the cookie, and never for API keys', async () => {
    await newUser('csrf.admin', 'admin');
    const { cookie, csrfToken } = await logIn('csrf.admin');
    const create = (headers: Record<string, string>, username: string) =>
      server.app.inject({ method: 'POST', url: '/v1/users', headers, payload: { username, password: PASSWORD, role: 'agent', displayName: username } });
    const cases: Array<[string, Record<string, string>, number, string | null]> = [
      ['cookie without a token', { cookie }, 403, 'CSRF_TOKEN_INVALID'],
      ['cookie with a wrong token', { cookie, 'x-csrf-token': `${csrfToken.slice(0, -1)}x` }, 403, 'CSRF_TOKEN_INVALID'],
      ['cookie with a token of another length', { cookie, 'x-csrf-token': 'short' }, 403, 'CSRF_TOKEN_INVALID'],
      ['cookie with the token', { cookie, 'x-csrf-token': csrfToken }, 201, null],
      ['API key without a token', admin, 201, null],
    ];
    for (const [index, [name, headers, status, code]] of cases.entries()) {
      const response = await create(headers, `csrf.case${index}`);
      expect(response.statusCode, name).toBe(status);
      if (code) expect(response.json().code, name).toBe(code);
    }
    expect((await server.app.inject({ method: 'GET', url: '/v1/users', headers: { cookie } })).statusCode).toBe(200);
  });

  it('ends sessions on logout, after 30 idle minutes, and when the user is disabled', async () => {
    const user = await newUser('session.ends', 'supervisor');
    const first = await logIn('session.ends');
    const logout = await server.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: { cookie: first.cookie, 'x-csrf-token': first.csrfToken } });
    expect(logout.statusCode).toBe(204);
    expect((await server.app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie: first.cookie } })).statusCode).toBe(401);

    const second = await logIn('session.ends');
    server.dependencies.clock.advance(29 * 60_000);
    expect((await server.app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie: second.cookie } })).statusCode).toBe(200);
    server.dependencies.clock.advance(30 * 60_000);
    const idle = await server.app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie: second.cookie } });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().reason).toBe('idle');

    const third = await logIn('session.ends');
    expect((await server.app.inject({ method: 'POST', url: `/v1/users/${user.id}/disable`, headers: admin })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie: third.cookie } })).statusCode).toBe(401);
  });

  it('lets an administrator change a role and reset a password, ending the user\'s sessions; others may not', async () => {
    const user = await newUser('changing.user', 'agent');
    const before = await logIn('changing.user');
    const role = await server.app.inject({ method: 'POST', url: `/v1/users/${user.id}/role`, headers: admin, payload: { role: 'supervisor' } });
    expect(role.statusCode, role.body).toBe(200);
    expect(role.json().role).toBe('supervisor');
    expect((await server.app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie: before.cookie } })).statusCode).toBe(401);
    const after = await logIn('changing.user');
    expect(after.response.json().permissions).toContain('collections:supervise');

    const reset = await server.app.inject({ method: 'POST', url: `/v1/users/${user.id}/password`, headers: admin, payload: { password: 'another passphrase' } });
    expect(reset.statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/v1/auth/session', headers: { cookie: after.cookie } })).statusCode).toBe(401);
    expect((await logIn('changing.user')).response.statusCode).toBe(401);
    expect((await logIn('changing.user', 'another passphrase')).response.statusCode).toBe(200);

    const invalid: Array<[Record<string, unknown>, string]> = [
      [{ username: 'x', password: PASSWORD, role: 'agent', displayName: 'x' }, 'username'],
      [{ username: 'short.password', password: 'short', role: 'agent', displayName: 's' }, 'password'],
      [{ username: 'no.borrower', password: PASSWORD, role: 'borrower', displayName: 'b' }, 'borrowerId'],
      [{ username: 'staff.borrower', password: PASSWORD, role: 'agent', displayName: 'b', borrowerId: 'brw_x' }, 'borrowerId'],
      [{ username: 'bad.role', password: PASSWORD, role: 'king', displayName: 'b' }, 'role'],
    ];
    for (const [payload, field] of invalid) {
      const response = await server.app.inject({ method: 'POST', url: '/v1/users', headers: admin, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().field).toBe(field);
    }
    const taken = await server.app.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { username: 'changing.user', password: PASSWORD, role: 'agent', displayName: 'again' } });
    expect(taken.statusCode).toBe(409);

    const supervisor = await server.headersFor('supervisor');
    expect((await server.app.inject({ method: 'GET', url: '/v1/users', headers: supervisor })).statusCode).toBe(403);
    const list = await server.app.inject({ method: 'GET', url: '/v1/users?limit=200', headers: admin });
    expect(list.json().items.map((item: { username: string }) => item.username)).toContain('changing.user');
  });

  it('makes one person one acting id, whether they use a linked API key or log in; a disabled user\'s key stops', async () => {
    const officer = await createUser({ db: handle.db, ids: server.dependencies.ids }, { username: 'officer', password: PASSWORD, role: 'compliance', displayName: 'Officer' });
    const { key } = await createApiKey(handle.db, server.dependencies.ids, { name: 'officer key', role: 'compliance', userId: officer.id });
    const borrower = await server.app.inject({ method: 'POST', url: '/v1/borrowers', headers: admin, payload: borrowerInput() });
    const borrowerId = borrower.json().id as string;
    const { cookie } = await logIn('officer');
    const byKey = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}?unmask=true&reason=audit`, headers: { authorization: `Bearer ${key}` } });
    expect(byKey.statusCode, byKey.body).toBe(200);
    const bySession = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}?unmask=true&reason=audit`, headers: { cookie } });
    expect(bySession.statusCode).toBe(200);
    const log = await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}/personal-data-access`, headers: admin });
    expect(log.json().items.map((item: { keyId: string }) => item.keyId)).toEqual([officer.id, officer.id]);

    await server.app.inject({ method: 'POST', url: `/v1/users/${officer.id}/disable`, headers: admin });
    expect((await server.app.inject({ method: 'GET', url: `/v1/borrowers/${borrowerId}`, headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
  });

  it('shows a borrower user only their own loans', async () => {
    const product = await server.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: personalLoanProduct() });
    const productId = product.json().id as string;
    const loanFor = async (borrowerId: string) => {
      const created = await server.app.inject({ method: 'POST', url: '/v1/loans', headers: admin, payload: { borrowerId, productId, principal: '6000.00', numberOfRepayments: 6 } });
      return created.json().id as string;
    };
    const mine = (await server.app.inject({ method: 'POST', url: '/v1/borrowers', headers: admin, payload: borrowerInput({ fullName: '张三' }) })).json().id as string;
    const theirs = (await server.app.inject({ method: 'POST', url: '/v1/borrowers', headers: admin, payload: borrowerInput({ fullName: '李四' }) })).json().id as string;
    const myLoan = await loanFor(mine);
    const theirLoan = await loanFor(theirs);
    await newUser('zhang.san', 'borrower', { borrowerId: mine });
    const { cookie } = await logIn('zhang.san');
    const list = await server.app.inject({ method: 'GET', url: '/v1/loans', headers: { cookie } });
    expect(list.json().items.map((loan: { id: string }) => loan.id)).toEqual([myLoan]);
    expect((await server.app.inject({ method: 'GET', url: `/v1/loans/${myLoan}`, headers: { cookie } })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: `/v1/loans/${theirLoan}`, headers: { cookie } })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/v1/users', headers: { cookie } })).statusCode).toBe(403);
  });

  it('serves the web application at / with a fallback for its routes, but not for /v1 or /docs', async () => {
    const index = await server.app.inject({ method: 'GET', url: '/' });
    const deep = await server.app.inject({ method: 'GET', url: '/portal/loans/loan_123' });
    for (const response of [index, deep]) {
      expect([200, 503]).toContain(response.statusCode);
      expect(response.headers['content-type']).toContain('text/html');
    }
    expect(deep.body).toBe(index.body);
    const api = await server.app.inject({ method: 'GET', url: '/v1/not-a-route' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect((await server.app.inject({ method: 'POST', url: '/portal/loans' })).statusCode).toBe(404);
  });
});
