import type { FastifyError, FastifyInstance } from 'fastify';
import { isKeywardenError, type KeywardenErrorCode } from '../errors.js';

/** What the browser (and an integrator) gets for every failure: a stable code and a sentence. */
export interface ApiError {
  error: string;
  message: string;
}

const STATUS: Record<KeywardenErrorCode, number> = {
  USAGE: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  CONFIG_INVALID: 500,
  PROFILE_INVALID: 500,
  DATABASE_TOO_NEW: 500,
  MIGRATION_FAILED: 500,
  GPIO_UNAVAILABLE: 500,
  CABINET_IN_USE: 500,
  CABINET_LOCK_FAILED: 500,
  // The console runs on while the cabinet's daemon restarts: say so, and that nothing was done.
  DAEMON_UNAVAILABLE: 503,
};

/**
 * The application layer's errors with their code and message, as the command line shows them;
 * a request the route's schema refuses names the field ("body/validUntil must be string");
 * anything else is logged and answered without a stack or a path.
 */
export function answerErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isKeywardenError(error)) {
      const status = STATUS[error.code];
      if (status < 500 || status === 503) {
        return reply.code(status).send({ error: error.code, message: error.message });
      }
    } else if (error.validation) {
      const first = error.validation[0];
      const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
      const message = first ? `${where} ${first.message ?? 'is invalid'}` : error.message;
      return reply.code(400).send({ error: 'USAGE', message: `${message}; nothing was changed` });
    } else if (error.statusCode !== undefined && error.statusCode < 500) {
      // fastify's own refusals: a body too large, a wrong content type, malformed JSON.
      return reply
        .code(error.statusCode)
        .send({ error: error.code ?? 'BAD_REQUEST', message: error.message });
    }
    request.log.error({ err: error }, 'web request failed');
    return reply.code(500).send({
      error: 'INTERNAL',
      message: 'the request failed (see the server log); nothing was changed',
    });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: 'NOT_FOUND', message: 'no such page or API call' }),
  );
}
