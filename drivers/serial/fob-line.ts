/**
 * Fob (key tag) reader line protocol: the slot readers in the cabinet report changes, one
 * line each, terminated by CR, LF or CR LF (see LineReader):
 *
 *   S<slot>:<tag>   a fob is seen in the slot   e.g. "S03:100086F444"
 *   S<slot>:-       the slot reads empty        e.g. "S03:-"
 *
 * slot: 1–3 decimal digits, numbered from 1, at most the cabinet's slot count.
 * tag:  4–32 hex digits, upper-cased on the way in.
 * Surrounding whitespace is ignored.
 */
export type FobLineResult =
  { ok: true; slot: number; tag: string | null } | { ok: false; reason: string };

const FOB_LINE = /^S([0-9]{1,3}):(-|[0-9A-Fa-f]+)$/;
const TAG = /^[0-9A-Fa-f]{4,32}$/;

export function parseFobLine(line: string, slotCount: number): FobLineResult {
  const match = FOB_LINE.exec(line.trim());
  if (!match) return { ok: false, reason: 'not S<slot>:<tag> or S<slot>:-' };
  const [, slotText = '', tagText = ''] = match;
  const slot = Number.parseInt(slotText, 10);
  if (slot < 1 || slot > slotCount) {
    return { ok: false, reason: `slot ${slot} out of range 1-${slotCount}` };
  }
  if (tagText === '-') return { ok: true, slot, tag: null };
  if (!TAG.test(tagText)) return { ok: false, reason: 'tag is not 4-32 hex digits' };
  return { ok: true, slot, tag: tagText.toUpperCase() };
}

/** The canonical line for a slot reading, as the simulator sends it: "S03:100086F444", "S12:-". */
export function formatFobLine(slot: number, tag: string | null): string {
  if (!Number.isInteger(slot) || slot < 1 || slot > 999) {
    throw new RangeError(`slot must be an integer 1-999, got ${slot}`);
  }
  if (tag !== null && !TAG.test(tag)) {
    throw new RangeError('tag must be 4-32 hex digits');
  }
  return `S${String(slot).padStart(2, '0')}:${tag === null ? '-' : tag.toUpperCase()}`;
}
