import { ensureSlots } from '../src/store/slots.js';
import { openDatabase } from '../src/store/database.js';
import { randomInt, type Random } from './prng.js';

export interface SeedOptions {
  holders: number;
  slotCount: number;
  random: Random;
}

export interface SeededCabinet {
  /** Card of holder i+1 at index i: every holder has exactly one. */
  cards: string[];
  /** Fob tag of the key whose home is slot i+1, at index i. */
  keyTags: string[];
  permissions: number;
  ms: number;
}

/** Rows per transaction: large enough that the per-commit fsync stops mattering. */
const BATCH = 10_000;

/**
 * A cabinet database at production scale, written straight through prepared statements in
 * batched transactions. The custodian store would also write one event per change, which at
 * 100,000 holders takes minutes and is not what is being measured; the schema, the indexes the
 * daemon's lookups use, and the migration are the real ones.
 */
export function seedHolders(file: string, options: SeedOptions): SeededCabinet {
  const started = performance.now();
  const db = openDatabase(file);
  try {
    ensureSlots(db, options.slotCount);
    const createdAt = new Date().toISOString();
    const keyTags = Array.from({ length: options.slotCount }, (_, i) => keyTag(i + 1));
    const insertKey = db.prepare(
      'INSERT INTO keys (tag, label, home_slot, created_at) VALUES (?, ?, ?, ?)',
    );
    db.transaction(() => {
      keyTags.forEach((tag, i) =>
        insertKey.run(tag, `K-${String(i + 1).padStart(2, '0')}`, i + 1, createdAt),
      );
    })();

    const insertHolder = db.prepare('INSERT INTO holders (id, name, created_at) VALUES (?, ?, ?)');
    const insertCard = db.prepare(
      'INSERT INTO credentials (holder_id, card, created_at) VALUES (?, ?, ?)',
    );
    const insertPermission = db.prepare(
      'INSERT INTO permissions (holder_id, slot, created_at) VALUES (?, ?, ?)',
    );
    const cards: string[] = [];
    let permissions = 0;
    const writeBatch = db.transaction((from: number, to: number) => {
      for (let id = from; id <= to; id++) {
        const card = cardNumber(id);
        cards.push(card);
        insertHolder.run(id, `Holder ${id}`, createdAt);
        insertCard.run(id, card, createdAt);
        for (const slot of permittedSlots(options.random, options.slotCount)) {
          insertPermission.run(id, slot, createdAt);
          permissions += 1;
        }
      }
    });
    for (let from = 1; from <= options.holders; from += BATCH) {
      writeBatch(from, Math.min(options.holders, from + BATCH - 1));
    }
    // The daemon starts on fresh statistics, as it would after a custodian's bulk import.
    db.exec('ANALYZE');
    return { cards, keyTags, permissions, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

/**
 * Distinct 10-hex-digit card numbers that look random: multiplying by an odd constant is a
 * bijection modulo 2^40, so no two holders share a card and no lookup is needed to check it.
 */
export function cardNumber(holderId: number): string {
  const scrambled = (holderId * 0x9e3779b1) % 2 ** 40;
  return scrambled.toString(16).toUpperCase().padStart(10, '0');
}

function keyTag(slot: number): string {
  return `B0000000${String(slot).padStart(2, '0')}`;
}

/**
 * Most staff may take one key, fewer two or three: 60 % one slot, 30 % two, 10 % three, the
 * slots themselves spread evenly.
 */
function permittedSlots(random: Random, slotCount: number): Set<number> {
  const roll = random();
  const count = roll < 0.6 ? 1 : roll < 0.9 ? 2 : 3;
  const slots = new Set<number>();
  while (slots.size < count) slots.add(randomInt(random, 1, slotCount));
  return slots;
}
