/** A validator's verdict: the value, or why it was refused and every problem found. */

export type Validation<T> =
  { ok: true; value: T } | { ok: false; kind: 'malformed' | 'invalid'; problems: string[] };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function malformed(problems: string[]): Validation<never> {
  return { ok: false, kind: 'malformed', problems };
}

export function accept<T>(value: T): Validation<T> {
  return { ok: true, value };
}
