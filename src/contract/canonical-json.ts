/**
 * The canonical JSON encoding that event hashes and command signatures are computed over
 * (docs/mqtt.md, "Canonical encoding"): RFC 8785, the JSON Canonicalization Scheme (JCS).
 *
 * - Object members sorted by key, comparing UTF-16 code units (JavaScript's `<` on strings);
 *   members whose value is `undefined` are left out, as JSON.stringify does.
 * - No white space.
 * - Strings escaped as ECMAScript's JSON.stringify escapes them, which is what RFC 8785 §3.2.2.2
 *   prescribes; a string with a lone surrogate is not I-JSON (RFC 7493) and is refused.
 * - Numbers as ECMAScript's Number-to-String (RFC 8785 §3.2.2.3), which JSON.stringify of a
 *   number gives: `1.5`, `1e+21`, `5e-324`, `-0` as `0`. NaN and the infinities are refused.
 *
 * The encoder is iterative: a value nested 100,000 deep is encoded like any other, and how deep
 * a value may be is a question for whoever accepts it (json-limits.ts), not for the stack.
 * Values that JSON cannot represent faithfully (functions, symbols, bigints, `undefined` in an
 * array, objects with a `toJSON` such as Date, cycles) are refused rather than encoded
 * ambiguously.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // One frame per open array or object, not per value: memory follows the depth, and a
  // 32 MiB permission set costs no more than its own output.
  const stack: Frame[] = [];
  // The objects and arrays being encoded, to refuse a cycle instead of looping for ever.
  const open = new Set<object>();
  const emit = (current: unknown): void => {
    if (current === null || typeof current !== 'object') {
      out.push(scalar(current));
      return;
    }
    if (open.has(current)) throw new CanonicalJsonError('a value that contains itself');
    if ('toJSON' in current && typeof current.toJSON === 'function') {
      throw new CanonicalJsonError(`an object with toJSON (${current.constructor?.name})`);
    }
    open.add(current);
    if (Array.isArray(current)) {
      stack.push({ container: current, keys: undefined, index: 0 });
      out.push('[');
    } else {
      const record = current as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort(compareUtf16);
      stack.push({ container: record, keys, index: 0 });
      out.push('{');
    }
  };
  emit(value);
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    const { container, keys } = frame;
    const length = keys ? keys.length : (container as unknown[]).length;
    if (frame.index === length) {
      out.push(keys ? '}' : ']');
      open.delete(container);
      stack.pop();
      continue;
    }
    const i = frame.index++;
    if (i > 0) out.push(',');
    if (keys) {
      const key = keys[i]!;
      out.push(`${string(key)}:`);
      emit((container as Record<string, unknown>)[key]);
    } else {
      const item = (container as unknown[])[i];
      if (item === undefined) throw new CanonicalJsonError('undefined in an array');
      emit(item);
    }
  }
  return out.join('');
}

/** Thrown for a value that has no canonical JSON encoding. */
export class CanonicalJsonError extends TypeError {
  constructor(what: string) {
    super(`canonical JSON (RFC 8785) cannot encode ${what}`);
    this.name = 'CanonicalJsonError';
  }
}

/** An array (no keys) or an object (its keys, sorted) being encoded, and the next member. */
interface Frame {
  container: object;
  keys: string[] | undefined;
  index: number;
}

function scalar(value: unknown): string {
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return string(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`the number ${value}`);
      // ECMAScript Number::toString, as RFC 8785 §3.2.2.3 requires; JSON.stringify gives "0" for -0.
      return JSON.stringify(value);
    case 'object':
      return 'null';
    default:
      throw new CanonicalJsonError(`a ${typeof value}`);
  }
}

function string(value: string): string {
  if (hasLoneSurrogate(value)) throw new CanonicalJsonError('a string with a lone surrogate');
  return JSON.stringify(value);
}

/** In a `u` regular expression a surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Cs}/u;

export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
