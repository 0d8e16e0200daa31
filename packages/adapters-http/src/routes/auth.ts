import { createRoute, z } from '@hono/zod-openapi';
import { clearSessionCookie, setSessionCookie } from '../middleware/session-cookie.js';
import { fail } from '../problems/problem.js';
import { json, passwordString, problems, setsSessionCookie, toUserJson, UserSchema, usernameString } from '../schemas.js';
import { bearerOrCookie, newRouter, type RouteDeps } from './deps.js';

const Credentials = z.object({ username: z.string(), password: z.string().openapi({ format: 'password' }) }).openapi('Credentials');
const Registration = z
  .object({
    username: usernameString(),
    password: passwordString(),
    email: z.string().nullable().optional().openapi({ description: 'optional; at most 254 characters, one @, unique regardless of case' }),
  })
  .openapi('Registration');
const OwnAccount = z
  .object({
    user: UserSchema,
    email: z.string().nullable().openapi({ description: "the caller's own address; no other answer shows one" }),
  })
  .openapi('OwnAccount');
const SessionAnswer = z.object({ user: UserSchema, token: z.string() }).openapi('SessionAnswer');

const register = createRoute({
  method: 'post',
  path: '/register',
  operationId: 'register',
  tags: ['auth'],
  security: [],
  summary: 'Create an account and a session (also set as the mc_session cookie)',
  request: { body: { required: true, content: json(Registration) } },
  responses: {
    201: { description: 'registered and logged in', headers: setsSessionCookie, content: json(SessionAnswer) },
    ...problems(400, 403, 409, 413, 422, 429, 503),
  },
});

const login = createRoute({
  method: 'post',
  path: '/login',
  operationId: 'logIn',
  tags: ['auth'],
  security: [],
  summary: 'Start a session (also set as the mc_session cookie)',
  request: { body: { required: true, content: json(Credentials) } },
  responses: {
    200: { description: 'logged in', headers: setsSessionCookie, content: json(SessionAnswer) },
    ...problems(400, 401, 403, 413, 422, 429, 503),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/logout',
  operationId: 'logOut',
  tags: ['auth'],
  summary: "End the caller's session and close its WebSockets (4401)",
  security: bearerOrCookie,
  responses: { 204: { description: 'logged out; the cookie is cleared', headers: setsSessionCookie }, ...problems(401, 403) },
});

const me = createRoute({
  method: 'get',
  path: '/me',
  operationId: 'showAccount',
  tags: ['auth'],
  summary: 'The caller, and the email address of the account (the only answer that shows one)',
  security: bearerOrCookie,
  responses: { 200: { description: 'the caller', content: json(OwnAccount) }, ...problems(401) },
});

const changeEmail = createRoute({
  method: 'put',
  path: '/email',
  operationId: 'changeEmail',
  tags: ['auth'],
  summary: "Add, replace or (with null) remove the caller's email address",
  security: bearerOrCookie,
  request: {
    body: {
      required: true,
      content: json(z.object({ email: z.string().nullable(), currentPassword: z.string() }).openapi('EmailChange')),
    },
  },
  responses: { 204: { description: 'changed' }, ...problems(400, 401, 403, 409, 413, 422, 429, 503) },
});

const requestReset = createRoute({
  method: 'post',
  path: '/password-reset',
  operationId: 'requestPasswordReset',
  tags: ['auth'],
  security: [],
  summary: 'Mail a password-reset link to the address, when it belongs to an account',
  description:
    'Always 202, known address or not, in the same time: the lookup and the mail happen after the answer. ' +
    'The link is `<PUBLIC_URL>/#reset=<token>`, valid 30 minutes, single use.',
  request: { body: { required: true, content: json(z.object({ email: z.string() }).openapi('PasswordResetRequest')) } },
  responses: { 202: { description: 'accepted; a mail is on its way if the address has an account' }, ...problems(400, 403, 413, 422, 429) },
});

const confirmReset = createRoute({
  method: 'post',
  path: '/password-reset/confirm',
  operationId: 'confirmPasswordReset',
  tags: ['auth'],
  security: [],
  summary: 'Set a new password with a mailed token; every session of the user ends (sockets closed with 4401)',
  request: {
    body: {
      required: true,
      content: json(z.object({ token: z.string(), newPassword: passwordString() }).openapi('PasswordResetConfirmation')),
    },
  },
  responses: { 204: { description: 'the password is changed and the token spent' }, ...problems(400, 403, 413, 422, 503) },
});

const changePassword = createRoute({
  method: 'post',
  path: '/password',
  operationId: 'changePassword',
  tags: ['auth'],
  summary: "Change the caller's password; every other session of the user ends",
  security: bearerOrCookie,
  request: {
    body: {
      required: true,
      content: json(
        z.object({ currentPassword: z.string().openapi({ format: 'password' }), newPassword: passwordString() }).openapi('PasswordChange'),
      ),
    },
  },
  responses: { 204: { description: 'changed' }, ...problems(400, 401, 403, 413, 422, 429, 503) },
});

const wsTicket = createRoute({
  method: 'post',
  path: '/ws-ticket',
  operationId: 'issueWsTicket',
  tags: ['auth'],
  summary: 'A single-use ticket, valid 30 s, for `?ticket=` on the WebSocket URL',
  security: bearerOrCookie,
  responses: {
    200: { description: 'a ticket', content: json(z.object({ ticket: z.string() }).openapi('WsTicket')) },
    ...problems(401, 403),
  },
});

export function authRoutes({ useCases, withSession, cookies, clientAddress }: RouteDeps) {
  const app = newRouter();

  app.openapi(register, async (c) => {
    const result = await useCases.registerUser.execute({ ...c.req.valid('json'), clientAddress: clientAddress(c) });
    if (!result.ok) fail(result.error);
    const { user, token, session } = result.value;
    setSessionCookie(c, token, session.expiresAt, cookies);
    return c.json({ user: toUserJson(user), token }, 201);
  });

  app.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json');
    const result = await useCases.logIn.execute({ username, password, clientAddress: clientAddress(c) });
    if (!result.ok) fail(result.error);
    const { user, token, session } = result.value;
    setSessionCookie(c, token, session.expiresAt, cookies);
    return c.json({ user: toUserJson(user), token }, 200);
  });

  app.openapi(withSession(logout), async (c) => {
    await useCases.logOut.execute({ session: c.get('principal').session });
    clearSessionCookie(c, cookies);
    return c.body(null, 204);
  });

  app.openapi(withSession(me), async (c) => {
    const { user, email } = await useCases.showAccount.execute(c.get('principal'));
    return c.json({ user: toUserJson(user), email }, 200);
  });

  app.openapi(withSession(changeEmail), async (c) => {
    const result = await useCases.changeEmail.execute({ ...c.get('principal'), ...c.req.valid('json') });
    if (!result.ok) fail(result.error);
    return c.body(null, 204);
  });

  app.openapi(requestReset, async (c) => {
    const result = await useCases.requestPasswordReset.execute({ ...c.req.valid('json'), clientAddress: clientAddress(c) });
    if (!result.ok) fail(result.error);
    return c.body(null, 202);
  });

  app.openapi(confirmReset, async (c) => {
    const result = await useCases.resetPassword.execute(c.req.valid('json'));
    if (!result.ok) fail(result.error);
    return c.body(null, 204);
  });

  app.openapi(withSession(changePassword), async (c) => {
    const result = await useCases.changePassword.execute({ ...c.get('principal'), ...c.req.valid('json') });
    if (!result.ok) fail(result.error);
    return c.body(null, 204);
  });

  app.openapi(withSession(wsTicket), async (c) => {
    const { ticket } = await useCases.issueWsTicket.execute(c.get('principal'));
    return c.json({ ticket }, 200);
  });

  return app;
}
