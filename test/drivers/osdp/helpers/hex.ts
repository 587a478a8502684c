/** "53 00 08 00" ↔ bytes, for byte-exact expectations that read like the specification's. */
export function unhex(text: string): Buffer {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex bytes: ${text}`);
  return Buffer.from(digits, 'hex');
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** As {@link unhex}, but a plain Uint8Array: what decoders return, so toEqual compares alike. */
export function bytes(text: string): Uint8Array {
  return Uint8Array.from(unhex(text));
}
