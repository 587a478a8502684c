/**
 * The central server's acknowledgement, on `<prefix>/<cabinetId>/ack`: `{"seq": N}`, the
 * highest sequence number it holds with no gap before it.
 *
 * The contract is docs/schemas/ack.json, and this parser accepts exactly what it accepts (a test
 * holds the two together), plus a size limit a schema cannot state:
 * - an object with the one member `seq`; any other member is refused, not ignored, so that a
 *   server that believes it says more than it does hears so;
 * - `seq` is a JSON number whose value is a whole number from 0 to 2^53−1. A JSON number is a
 *   value, not a spelling: `78`, `78.0` and `78e0` are one number, 78, as JSON Schema's
 *   `integer` has it. A fraction, a negative or a larger number is refused.
 * The daemon does not compile the schemas at run time: this is on the path of every ack.
 */
export const MAX_ACK_BYTES = 256;

export function parseAck(
  payload: Buffer,
): { ok: true; seq: number } | { ok: false; reason: string } {
  if (payload.length > MAX_ACK_BYTES)
    return { ok: false, reason: `payload of ${payload.length} bytes is too long` };
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'must be a JSON object {"seq": N}' };
  }
  const extra = Object.keys(value).find((key) => key !== 'seq');
  if (extra !== undefined) {
    return { ok: false, reason: `unknown member ${JSON.stringify(extra.slice(0, 40))}: only seq` };
  }
  const seq = (value as { seq?: unknown }).seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return { ok: false, reason: 'seq: must be a whole number from 0 to 2^53−1' };
  }
  return { ok: true, seq };
}
