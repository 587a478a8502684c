import type { Database } from '../store/database.js';
import { hasAnyHolder } from '../store/cabinet-contents.js';
import type { CustodianStore } from '../store/custodian-store.js';

export const DEMO_CARDS = {
  alice: '100086F444',
  bob: '2000ABCDEF',
  carol: '3000000001',
} as const;

/**
 * The demo cabinet of `npm start`: Alice may take keys 1-6, Bob 5-10, Carol has left (disabled).
 * Ten keys hang in slots 1-10; 11 and 12 are spare. Seeded once, through the custodian store,
 * so the demo's own history shows how custodian changes are recorded.
 */
export function seedDemo(db: Database, store: CustodianStore): boolean {
  if (hasAnyHolder(db)) return false;
  const alice = store.addHolder('Alice Example');
  const bob = store.addHolder('Bob Example');
  const carol = store.addHolder('Carol Example');
  store.addCredential(alice, DEMO_CARDS.alice);
  store.addCredential(bob, DEMO_CARDS.bob);
  store.addCredential(carol, DEMO_CARDS.carol);
  for (let slot = 1; slot <= 10; slot++) {
    store.addKey(demoTag(slot), slot, `K-${String(slot).padStart(2, '0')}`);
    if (slot <= 6) store.grant(alice, slot);
    if (slot >= 5) store.grant(bob, slot);
  }
  store.grant(carol, 1);
  store.disableHolder(carol);
  return true;
}

export function demoTag(slot: number): string {
  return `A0000000${String(slot).padStart(2, '0')}`;
}
