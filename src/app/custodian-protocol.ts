/**
 * The custodian socket's protocol: JSON lines, one request and then its one response per line,
 * over a local Unix socket (src/daemon/services/custodian-socket.ts serves it,
 * custodian-client.ts speaks it). Who is asking is never part of a request: the daemon takes the
 * caller's Unix user from the socket's peer credentials and maps it to an account. The one
 * exception is a delegate account (`"delegate": true` in custodians.accounts: the web console's
 * process), whose requests may name the signed-in person they act for, recorded as
 * `<person>@<delegate>` with the lesser of the two roles:
 *
 *   → {"id":2,"op":"holders.disable","args":[3],"as":{"account":"alice","role":"custodian"}}
 *
 *   → {"id":1,"op":"holders.add","args":["Dana Smith",{"validUntil":null}]}
 *   ← {"id":1,"ok":true,"result":3}
 *   ← {"id":1,"ok":false,"error":{"code":"NOT_FOUND","message":"no holder 9"}}
 */
import { isKeywardenError, type KeywardenErrorCode } from '../errors.js';

/**
 * The longest request line, in bytes. The largest requests are CSV imports: about 40,000 rows
 * of holders fit; a longer file is imported in parts.
 */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface CustodianRequest {
  id: number;
  op: string;
  args: unknown[];
  /**
   * Only from a delegate account (the web console's process): the person the request acts for,
   * as it came; checked by actingFor (delegate-account.ts), so a bad one is answered on its own
   * and the delegate's other users keep their connection.
   */
  as?: unknown;
}

export type CustodianResponse =
  | { id: number | null; ok: true; result: unknown }
  | {
      id: number | null;
      ok: false;
      error: { code: KeywardenErrorCode | 'INTERNAL'; message: string };
    };

/** Why a line is not a request; answered with code USAGE and the connection closed. */
export class BadRequest extends Error {}

const FIELDS = new Set(['id', 'op', 'args']);
const DELEGATE_FIELDS = new Set([...FIELDS, 'as']);

/**
 * A request line checked for its shape only: an integer id, an operation name and an argument
 * list, and no other field (an `actor`, say, is refused rather than ignored, so a client that
 * believes it can name someone learns at once that it cannot). A delegate account's request may
 * also carry `as`, the person it acts for; anyone else's is refused for it like for any field.
 */
export function parseRequest(
  line: string,
  from: { delegate: boolean } = { delegate: false },
): CustodianRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BadRequest('a request is one JSON object per line');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest('a request is one JSON object per line');
  }
  const allowed = from.delegate ? DELEGATE_FIELDS : FIELDS;
  const extra = Object.keys(value).filter((key) => !allowed.has(key));
  if (extra.length > 0) {
    throw new BadRequest(
      `unknown field${extra.length === 1 ? '' : 's'} ${extra.join(', ')}: a request has only id, op and args (who asks is taken from the socket)`,
    );
  }
  const { id, op, args, as } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(id)) throw new BadRequest('id must be an integer');
  if (typeof op !== 'string' || !/^[A-Za-z]+\.[A-Za-z]+$/.test(op)) {
    throw new BadRequest('op must name an operation, e.g. "holders.list"');
  }
  if (!Array.isArray(args)) throw new BadRequest('args must be a list');
  const request: CustodianRequest = { id: id as number, op, args: args as unknown[] };
  if (from.delegate && Object.hasOwn(value, 'as')) request.as = as;
  return request;
}

/** A failure as the client shows it: the app's code and message, never a stack or a path. */
export function errorResponse(id: number | null, error: unknown): CustodianResponse {
  if (isKeywardenError(error)) {
    return { id, ok: false, error: { code: error.code, message: error.message } };
  }
  if (error instanceof BadRequest) {
    return { id, ok: false, error: { code: 'USAGE', message: error.message } };
  }
  return {
    id,
    ok: false,
    error: { code: 'INTERNAL', message: 'the daemon failed to carry it out (see its log)' },
  };
}

export const encodeResponse = (response: CustodianResponse): string =>
  JSON.stringify(response) + '\n';
