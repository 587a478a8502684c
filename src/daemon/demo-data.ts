import type { Database } from '../store/database.js';
import { hasAnyHolder } from '../store/cabinet-contents.js';
import type { CustodianApp } from '../app/custodian-app.js';
import type { Actor } from '../domain/events.js';
import type { HardwareProfile } from '../config/profile.js';

/** The demo holders' cards: Alice's, Bob's, and Carol's, who has left. */
export type DemoCards = Readonly<Record<'alice' | 'bob' | 'carol', string>>;

/** On the simulated RDM6300 reader (`npm start`): 10 hex digits, as the module sends them. */
export const DEMO_CARDS = {
  alice: '100086F444',
  bob: '2000ABCDEF',
  carol: '3000000001',
} as const;

/** The facility code of the OSDP demo's cards (H10301 carries 8 bits of it). */
export const DEMO_OSDP_FACILITY = 42;

/**
 * On the OSDP demo's simulated reader (`npm run start:osdp`): H10301 cards of facility 42,
 * numbers 1001-1003, as the cabinet turns an H10301 read into a card string (facility in 3
 * digits, card number in 5; drivers/osdp/osdp-card-number.ts).
 */
export const DEMO_OSDP_CARDS = {
  alice: '04201001',
  bob: '04201002',
  carol: '04201003',
} as const;

/** The demo's cards for the profile's badge reader: an OSDP reader reads H10301 cards. */
export function demoCardsFor(profile: HardwareProfile): DemoCards {
  return profile.readers.badge.protocol === 'osdp' ? DEMO_OSDP_CARDS : DEMO_CARDS;
}

/** Who the demo's own history says made its holders and keys. */
export const DEMO_ACTOR: Actor = { kind: 'custodian', account: 'demo' };

/**
 * The demo cabinet of `npm start`: Alice may take keys 1-6, Bob 5-10, Carol has left (disabled).
 * Ten keys hang in slots 1-10; 11 and 12 are spare. Seeded once, through the application layer
 * in the name of DEMO_ACTOR, so the demo's own history shows how custodian changes are
 * recorded: `app` is opened for the database, its event log and DEMO_ACTOR
 * (`CustodianApp.open(db, log, DEMO_ACTOR)`).
 */
export function seedDemo(db: Database, app: CustodianApp, cards: DemoCards = DEMO_CARDS): boolean {
  if (hasAnyHolder(db)) return false;
  const alice = app.holders.add('Alice Example');
  const bob = app.holders.add('Bob Example');
  const carol = app.holders.add('Carol Example');
  app.credentials.add(alice, cards.alice);
  app.credentials.add(bob, cards.bob);
  app.credentials.add(carol, cards.carol);
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
