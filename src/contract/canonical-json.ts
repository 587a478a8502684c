/**
 * The canonical JSON encoding that event hashes and command signatures are computed over
 * (docs/mqtt.md, "Canonical encoding"). It is RFC 8785 (JCS) for the values Keywarden uses:
 * object keys sorted by UTF-16 code units, no white space, strings escaped as JSON.stringify
 * does, integers as plain decimals. Non-integral or non-finite numbers, undefined and other
 * non-JSON values are refused rather than encoded ambiguously.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`canonical JSON takes only safe integers, not ${value}`);
      }
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort(compareUtf16);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
