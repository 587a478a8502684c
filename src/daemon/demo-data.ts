import type { Database } from '../store/database.js';
import { hasAnyHolder } from '../store/cabinet-contents.js';
import type { CustodianApp } from '../app/custodian-app.js';
import type { Actor } from '../domain/events.js';

export const DEMO_CARDS = {
  alice: '100086F444',
  bob: '2000ABCDEF',
  carol: '3000000001',
} as const;

/** Who the demo's own history says made its holders and keys. */
export const DEMO_ACTOR: Actor = { kind: 'custodian', account: 'demo' };

/**
 * The demo cabinet of `npm start`: Alice may take keys 1-6, Bob 5-10, Carol has left (disabled).
 * Ten keys hang in slots 1-10; 11 and 12 are spare. Seeded once, through the application layer
 * in the name of DEMO_ACTOR, so the demo's own history shows how custodian changes are
 * recorded: `app` is opened for the database, its event log and DEMO_ACTOR
 * (`CustodianApp.open(db, log, DEMO_ACTOR)`).
 */
export function seedDemo(db: Database, app: CustodianApp): boolean {
  if (hasAnyHolder(db)) return false;
  const alice = app.holders.add('Alice Example');
  const bob = app.holders.add('Bob Example');
  const carol = app.holders.add('Carol Example');
  app.credentials.add(alice, DEMO_CARDS.alice);
  app.credentials.add(bob, DEMO_CARDS.bob);
  app.credentials.add(carol, DEMO_CARDS.carol);
  for (let slot = 1; slot <= 10; slot++) {
    app.keys.add(demoTag(slot), slot, `K-${String(slot).padStart(2, '0')}`);
    if (slot <= 6) app.permissions.grant(alice, slot);
    if (slot >= 5) app.permissions.grant(bob, slot);
  }
  app.permissions.grant(carol, 1);
  app.holders.disable(carol);
  return true;
}

export function demoTag(slot: number): string {
  return `A0000000${String(slot).padStart(2, '0')}`;
}
