/**
 * The central server's acknowledgement, on `<prefix>/<cabinetId>/ack`: `{"seq": N}`, the
 * highest sequence number it holds with no gap before it.
 */
export function parseAck(
  payload: Buffer,
): { ok: true; seq: number } | { ok: false; reason: string } {
  if (payload.length > 256)
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
  const seq = (value as { seq?: unknown }).seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return { ok: false, reason: 'seq: must be a whole number ≥ 0' };
  }
  return { ok: true, seq };
}
