/**
 * The top-level members of a large command, read without parsing what is nested in it: a byte
 * scan that steps over objects and arrays (minding strings and escapes) and parses only the
 * scalar members (id, name, cabinetId, the times, keyId, counter, signature). A permission set
 * of 30 MiB costs one pass over its bytes here, where JSON.parse would build millions of values
 * first; so the checks that need only the envelope (this cabinet, signed, a known key, the
 * validity window) refuse an unauthenticated `sync` before anything is built from it.
 *
 * Nested values stand in as an empty object or array (their content is read by JSON.parse, once
 * the envelope passed). Undefined when the bytes are not one JSON object; a scan that passes
 * proves nothing about what it stepped over, which the full parse still checks.
 */
export function scanEnvelope(bytes: Buffer): Record<string, unknown> | undefined {
  const members: Record<string, unknown> = {};
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_OBJECT) return atEnd(bytes, i + 1) ? members : undefined;
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, i);
    const key = keyEnd < 0 ? undefined : parseSlice(bytes, i, keyEnd);
    if (typeof key !== 'string') return undefined;
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    i = skipSpace(bytes, i + 1);
    const opener = bytes[i];
    const valueEnd =
      opener === OPEN_OBJECT || opener === OPEN_ARRAY
        ? containerEnd(bytes, i)
        : scalarEnd(bytes, i);
    if (valueEnd < 0) return undefined;
    if (opener === OPEN_OBJECT) members[key] = {};
    else if (opener === OPEN_ARRAY) members[key] = [];
    else {
      const value = parseSlice(bytes, i, valueEnd);
      if (value === NOT_JSON) return undefined;
      members[key] = value;
    }
    i = skipSpace(bytes, valueEnd);
    if (bytes[i] === CLOSE_OBJECT) return atEnd(bytes, i + 1) ? members : undefined;
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const NOT_JSON = Symbol('not JSON');

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Buffer, from: number): number {
  let i = from;
  while (isSpace(bytes[i])) i++;
  return i;
}

function atEnd(bytes: Buffer, from: number): boolean {
  return skipSpace(bytes, from) === bytes.length;
}

/** Just past the string opening at `start`, or -1 if it never closes. */
function stringEnd(bytes: Buffer, start: number): number {
  for (let from = start + 1; ;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Just past the object or array opening at `start`, or -1 if it never closes. */
function containerEnd(bytes: Buffer, start: number): number {
  let depth = 0;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      const end = stringEnd(bytes, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Just past the string, number or literal at `start`. */
function scalarEnd(bytes: Buffer, start: number): number {
  if (bytes[start] === QUOTE) return stringEnd(bytes, start);
  let i = start;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)) break;
    i++;
  }
  return i === start ? -1 : i;
}

function parseSlice(bytes: Buffer, start: number, end: number): unknown {
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as unknown;
  } catch {
    return NOT_JSON;
  }
}
