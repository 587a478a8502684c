import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SignInResult, WebAccounts } from '../app/web-accounts/web-accounts.js';
import {
  ApiErrorSchema,
  OwnPasswordBody,
  SessionAnswer,
  SignInBody,
  withRefusals,
} from './accounts-schemas.js';
import { sessionOf } from './session-authenticator.js';
import { sessionToken, setSessionCookie } from './session-cookie.js';
import type { Static } from '@sinclair/typebox';

const minutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A wait in words: seconds while under a minute and a half, minutes beyond. */
const wait = (ms: number): string =>
  ms < 90_000 ? plural(Math.max(1, Math.ceil(ms / 1000)), 'second') : plural(minutes(ms), 'minute');

/**
 * Sign-in, sign-out, who is signed in, and changing one's own password. A browser not signed in
 * gets a token of its own in the cookie from `GET /api/session`, and the CSRF token bound to it,
 * so even the sign-in is a change another site cannot make on its behalf.
 */
export function sessionRoutes(
  app: FastifyInstance,
  accounts: WebAccounts,
  options: { secure: boolean },
): void {
  const maxAgeSeconds = Math.floor(accounts.lifetimes.absoluteMs / 1000);
  const startSession = (
    request: FastifyRequest,
    reply: FastifyReply,
    session: { token: string; csrfToken: string; user: { account: string; role: string } },
  ) => {
    setSessionCookie(request, reply, session.token, { secure: options.secure, maxAgeSeconds });
    return { user: session.user, csrfToken: session.csrfToken };
  };
  /** A browser not signed in: its own token (kept if it has one), and the CSRF token from it. */
  const anonymous = (request: FastifyRequest, reply: FastifyReply) => {
    let token = sessionToken(request);
    let csrfToken = token === undefined ? null : accounts.anonymousCsrf(token);
    if (token === undefined || csrfToken === null) {
      token = accounts.newAnonymousToken();
      csrfToken = accounts.anonymousCsrf(token) ?? '';
      setSessionCookie(request, reply, token, { secure: options.secure });
    }
    return { user: null, csrfToken };
  };

  app.get(
    '/api/session',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Who is signed in, and the CSRF token to send with every change',
        tags: ['session'],
        response: { 200: SessionAnswer },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request, accounts);
      if (session) return { user: session.user, csrfToken: session.csrfToken };
      return anonymous(request, reply);
    },
  );

  app.post<{ Body: Static<typeof SignInBody> }>(
    '/api/session',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign in: starts a session (cookie kw_session)',
        description:
          'The same answer for an unknown account and a wrong password. Wrong passwords for an ' +
          'account from one address make that address wait, then lock it out of the account ' +
          '(429 SLOWED, LOCKED); the owner from another address still signs in. Many wrong ' +
          'passwords in a day slow the account from addresses it has not signed in from ' +
          '(429 SLOWED); too many wrong sign-ins from one address, any names, refuse that ' +
          'address for a while (429 TOO_MANY_ATTEMPTS). Every 429 has Retry-After.',
        tags: ['session'],
        body: SignInBody,
        response: withRefusals({ 200: SessionAnswer, 429: ApiErrorSchema, 503: ApiErrorSchema }),
      },
    },
    async (request, reply) => {
      const result = await accounts.signIn(request.body.account, request.body.password, request.ip);
      if (result.ok) return startSession(request, reply, result);
      return refuseSignIn(reply, result);
    },
  );

  app.delete(
    '/api/session',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Sign out: ends this session',
        tags: ['session'],
        response: withRefusals({ 200: SessionAnswer }),
      },
    },
    async (request, reply) => {
      accounts.signOut(sessionToken(request));
      const token = accounts.newAnonymousToken();
      setSessionCookie(request, reply, token, { secure: options.secure });
      return { user: null, csrfToken: accounts.anonymousCsrf(token) ?? '' };
    },
  );

  app.post<{ Body: Static<typeof OwnPasswordBody> }>(
    '/api/account/password',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          "Change one's own password: every session of the account ends, this one is renewed",
        tags: ['accounts'],
        body: OwnPasswordBody,
        response: withRefusals({ 200: SessionAnswer, 429: ApiErrorSchema, 503: ApiErrorSchema }),
      },
    },
    async (request, reply) => {
      const account = request.webUser?.account ?? '';
      const result = await accounts.changeOwnPassword(
        account,
        request.body.currentPassword,
        request.body.newPassword,
        request.ip,
      );
      if (typeof result === 'object' && 'ok' in result) return refuseSignIn(reply, result);
      if (result === 'wrong') {
        return reply.code(403).send({
          error: 'WRONG_PASSWORD',
          message: 'currentPassword is wrong; nothing was changed',
        });
      }
      return startSession(request, reply, result);
    },
  );
}

type Refusal = Exclude<SignInResult, { ok: true }>;

function refuseSignIn(reply: FastifyReply, result: Refusal) {
  switch (result.reason) {
    case 'wrong':
      return reply
        .code(401)
        .send({ error: 'SIGN_IN_FAILED', message: 'wrong account or password' });
    case 'locked': {
      const left = minutes(result.retryAfterMs);
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)))
        .send({
          error: 'LOCKED',
          message: `too many wrong passwords from this address: locked for ${plural(left, 'more minute')}`,
        });
    }
    case 'slowed':
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)))
        .send({
          error: 'SLOWED',
          message: `too many wrong passwords: try again in ${wait(result.retryAfterMs)}`,
        });
    case 'throttled': {
      const left = minutes(result.retryAfterMs);
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)))
        .send({
          error: 'TOO_MANY_ATTEMPTS',
          message: `too many wrong sign-ins from this address: try again in ${plural(left, 'minute')}`,
        });
    }
    case 'disabled':
      return reply
        .code(403)
        .send({ error: 'DISABLED', message: 'this account is disabled; ask an administrator' });
    case 'busy':
      return reply.code(503).header('retry-after', '1').send({
        error: 'BUSY',
        message: 'the server is checking many sign-ins at once; try again in a moment',
      });
  }
}
