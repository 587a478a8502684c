/**
 * What a parser reports when it drops bytes it cannot make sense of. `bytes` is for a person
 * debugging a reader on the bench; it can contain most of a card number, so never log it.
 */
export interface Garbled {
  reason: string;
  /** Hex of the dropped bytes, space separated, at most {@link MAX_SHOWN_BYTES} shown. */
  bytes: string;
}

export const MAX_SHOWN_BYTES = 32;

export function hexPreview(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, MAX_SHOWN_BYTES), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join(' ');
  return bytes.length > MAX_SHOWN_BYTES ? `${shown} …` : shown;
}

/** What a reader reports: the reason only, because the dropped bytes can hold a card number. */
export interface ReaderGarbled {
  reason: string;
}
