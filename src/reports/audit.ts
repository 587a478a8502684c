import type { Database } from 'better-sqlite3';
import type { Report } from './report.js';

interface KeyRecord {
  id: number;
  label: string;
  homeSlot: number | null;
  state: string;
}

interface OpenLoan {
  keyId: number;
  holderId: number;
  holderName: string;
  enabled: number;
  retired: number;
  since: string;
}

/** What is physically in a slot as last known. */
interface SlotSeen {
  occupied: boolean;
  keyId: number | null;
  tag: string | null;
  /** When an event last said so; null: no movement recorded, the home key is assumed there. */
  at: string | null;
}

/** The events that move keys in or out of slots, with the fields the audit reads. */
const MOVEMENTS_SQL = `
  SELECT time, type, json_extract(payload, '$.data.slot') AS slot,
         json_extract(payload, '$.data.keyId') AS keyId, json_extract(payload, '$.data.tag') AS tag,
         json_extract(payload, '$.data.alarm') AS alarm
    FROM events
   WHERE type IN ('key.checked_out', 'key.checked_in', 'key.forced', 'key.wrong_slot',
                  'key.unknown_fob', 'alarm.cleared')
   ORDER BY seq DESC`;

interface Movement {
  time: string;
  type: string;
  slot: number | null;
  keyId: number | null;
  tag: string | null;
  alarm: string | null;
}

/**
 * The physical inventory as last known, slot by slot, against the records. The daemon keeps the
 * live slot state in memory only, so the last known state is replayed from the events that move
 * keys (their slot-level facts are all recorded); a slot nothing was recorded for is assumed to
 * hold its home key. A cleared `key.forced` alarm means a fob arrived in that slot, and it was
 * the home key: any other registered fob raises `key.wrong_slot`, an unknown one
 * `key.unknown_fob`. Events pruned after the central server acknowledged them are not replayed;
 * pruning keeps the newest, and old movements are superseded by newer ones for busy slots.
 */
export function auditReport(db: Database): Report {
  const slots = db.prepare('SELECT number FROM slots ORDER BY number').pluck().all() as number[];
  const keys = db
    .prepare('SELECT id, label, home_slot AS homeSlot, state FROM keys ORDER BY id')
    .all() as KeyRecord[];
  const keyById = new Map(keys.map((k) => [k.id, k]));
  const homeOf = new Map(keys.filter((k) => k.homeSlot !== null).map((k) => [k.homeSlot, k]));
  const loans = db
    .prepare(
      `SELECT l.key_id AS keyId, l.holder_id AS holderId, h.name AS holderName, h.enabled, h.retired,
              l.out_at AS since
         FROM loans l JOIN holders h ON h.id = l.holder_id WHERE l.returned_at IS NULL`,
    )
    .all() as OpenLoan[];
  const loanOf = new Map(loans.map((l) => [l.keyId, l]));

  const seen = new Map<number, SlotSeen>(
    slots.map((n) => [
      n,
      { occupied: homeOf.has(n), keyId: homeOf.get(n)?.id ?? null, tag: null, at: null },
    ]),
  );
  // Each movement says all there is about its slot, so the newest one per slot decides: read
  // from the newest back and stop once every slot is settled (a busy cabinet reads little).
  const settled = new Set<number>();
  const set = (slot: number | null, value: SlotSeen) => {
    if (slot === null || !seen.has(slot) || settled.has(slot)) return;
    seen.set(slot, value);
    settled.add(slot);
  };
  for (const m of db.prepare(MOVEMENTS_SQL).iterate() as IterableIterator<Movement>) {
    const empty = { occupied: false, keyId: null, tag: null, at: m.time };
    switch (m.type) {
      case 'key.checked_out':
      case 'key.forced':
        set(m.slot, empty);
        break;
      case 'key.checked_in':
      case 'key.wrong_slot':
        set(m.slot, { occupied: true, keyId: m.keyId, tag: null, at: m.time });
        break;
      case 'key.unknown_fob':
        set(m.slot, { occupied: true, keyId: null, tag: m.tag, at: m.time });
        break;
      case 'alarm.cleared':
        if (m.alarm === 'key.forced' && m.slot !== null) {
          set(m.slot, {
            occupied: true,
            keyId: homeOf.get(m.slot)?.id ?? null,
            tag: null,
            at: m.time,
          });
        } else if (m.alarm === 'key.wrong_slot' || m.alarm === 'key.unknown_fob') {
          set(m.slot, empty);
        }
        break;
    }
    if (settled.size === seen.size) break;
  }
  // Where each key is, as last known: the slot that holds it, if any.
  const slotOfKey = new Map<number, number>();
  for (const [n, s] of seen) if (s.keyId !== null) slotOfKey.set(s.keyId, n);

  const rows = slots.map((n) => {
    const s = seen.get(n) as SlotSeen;
    const home = homeOf.get(n);
    const inSlot = s.keyId !== null ? keyById.get(s.keyId) : undefined;
    const loan = home ? loanOf.get(home.id) : undefined;
    const findings: string[] = [];
    if (home) {
      const where = slotOfKey.get(home.id);
      if (where === undefined && !loan && home.state === 'active') {
        findings.push(`${home.label} is out without a loan`);
      }
      if (loan && where !== undefined) {
        findings.push(
          `loan to ${loan.holderName} (${loan.holderId}) is open but ${home.label} is in slot ${where}`,
        );
      }
      if (loan && (loan.enabled === 0 || loan.retired === 1)) {
        findings.push(
          `${home.label} is out with ${loan.retired ? 'retired' : 'disabled'} holder ${loan.holderName} (${loan.holderId})`,
        );
      }
      if (home.state !== 'active') findings.push(`${home.label} is marked ${home.state}`);
    }
    if (inSlot && inSlot.homeSlot !== n) {
      findings.push(
        `${inSlot.label} is here, its home is ${inSlot.homeSlot === null ? 'none (vacated)' : `slot ${inSlot.homeSlot}`}`,
      );
    }
    if (s.tag !== null) findings.push(`unknown fob ${s.tag}`);
    return {
      slot: n,
      state: s.occupied ? 'occupied' : 'empty',
      inSlot: inSlot?.label ?? (s.tag !== null ? `fob ${s.tag}` : null),
      lastSeen: s.at,
      homeKey: home?.label ?? null,
      keyState: home?.state ?? null,
      loan: loan ? `${loan.holderName} (${loan.holderId})` : null,
      loanSince: loan?.since ?? null,
      findings: findings.join('; '),
    };
  });
  return {
    columns: [
      { key: 'slot', header: 'SLOT' },
      { key: 'state', header: 'LAST KNOWN' },
      { key: 'inSlot', header: 'IN SLOT' },
      { key: 'lastSeen', header: 'SINCE', instant: 'minute' },
      { key: 'homeKey', header: 'HOME OF' },
      { key: 'keyState', header: 'KEY STATE' },
      { key: 'loan', header: 'ON LOAN TO' },
      { key: 'loanSince', header: 'LOAN SINCE', instant: 'minute' },
      { key: 'findings', header: 'FINDINGS' },
    ],
    rows,
    empty: 'this cabinet has no slots',
  };
}
