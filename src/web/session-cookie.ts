import type { FastifyReply, FastifyRequest } from 'fastify';

/** The one cookie of the console: a session token, or a not-signed-in browser's token. */
export const SESSION_COOKIE = 'kw_session';

/**
 * HttpOnly: no script (an injected one included) reads the token. SameSite=Strict: no other
 * site's page, link or form makes the browser send it. Secure under TLS, so it never crosses
 * plain HTTP; `secure` is what the server was told, and a request that came over TLS counts too.
 */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  options: { secure: boolean; maxAgeSeconds?: number },
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: options.secure || request.protocol === 'https',
    ...(options.maxAgeSeconds === undefined ? {} : { maxAge: options.maxAgeSeconds }),
  });
}

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE];
}
