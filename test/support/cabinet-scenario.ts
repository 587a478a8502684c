import type { CabinetInput } from '../../src/domain/cabinet-inputs.js';
import type { Effect } from '../../src/domain/cabinet-effects.js';
import { step } from '../../src/domain/cabinet-flow.js';
import {
  initialCabinetState,
  type CabinetSettings,
  type CabinetState,
} from '../../src/domain/cabinet-state.js';
import type { NewEvent } from '../../src/domain/events.js';
import { FakeClock } from './fake-clock.js';
import { MemoryDirectory } from './memory-directory.js';

export const ALICE_CARD = '100086F444';
export const BOB_CARD = '2000ABCDEF';

/**
 * A four-slot cabinet with two holders and three keys at home (slot 4 empty). Alice may take
 * slots 1 and 2; Bob slot 3. Feed inputs with `send`; the effects of the last step and every
 * event recorded so far are kept for assertions. Loans follow check-outs and check-ins, as the
 * store's projection would.
 */
export class CabinetScenario {
  readonly clock = new FakeClock();
  readonly directory = new MemoryDirectory();
  readonly settings: CabinetSettings;
  state: CabinetState;
  lastEffects: Effect[] = [];
  readonly events: NewEvent[] = [];

  /** `slotCount` beyond 4 adds empty slots (a larger profile's cabinet). */
  constructor(slotCount = 4) {
    this.settings = { slotCount, sessionMs: 10_000, wrongSlotPulseMs: 5_000 };
    this.state = initialCabinetState(slotCount);
    const d = this.directory;
    d.holders.push({ id: 1, name: 'Alice', enabled: true }, { id: 2, name: 'Bob', enabled: true });
    d.credentials.push(
      { id: 10, holderId: 1, card: ALICE_CARD, enabled: true },
      { id: 20, holderId: 2, card: BOB_CARD, enabled: true },
    );
    d.permissions.push(
      { holderId: 1, slot: 1 },
      { holderId: 1, slot: 2 },
      { holderId: 2, slot: 3 },
    );
    d.keys.push(
      { id: 100, tag: 'AA00000001', label: 'K-1', homeSlot: 1 },
      { id: 200, tag: 'AA00000002', label: 'K-2', homeSlot: 2 },
      { id: 300, tag: 'AA00000003', label: 'K-3', homeSlot: 3 },
    );
    for (const key of d.keys) this.insert(key.homeSlot, key.tag);
    this.events.length = 0;
  }

  send(input: CabinetInput): Effect[] {
    const result = step(this.state, input, {
      settings: this.settings,
      directory: this.directory,
      clock: this.clock,
    });
    this.state = result.state;
    this.lastEffects = result.effects;
    for (const effect of result.effects) {
      if (effect.kind !== 'record') continue;
      this.events.push(effect.event);
      this.project(effect.event);
    }
    return result.effects;
  }

  advance(ms: number): Effect[] {
    this.clock.advance(ms);
    return this.send({ kind: 'tick' });
  }

  /** Takes the key out of a slot the way the hardware reports it: switch, then fob reader. */
  take(slot: number): void {
    this.send({ kind: 'presence', slot, present: false });
    this.send({ kind: 'fob', slot, tag: null });
  }

  insert(slot: number, tag: string): void {
    this.send({ kind: 'presence', slot, present: true });
    this.send({ kind: 'fob', slot, tag });
  }

  eventTypes(): string[] {
    return this.events.map((e) => e.type);
  }

  private project(event: NewEvent): void {
    const loans = this.directory.loans;
    if (event.type === 'key.checked_out') {
      loans.push({
        keyId: event.data.keyId,
        holderId: event.data.holderId,
        slot: event.data.slot,
        outAtMs: this.clock.wallMs(),
        dueAtMs: event.data.dueAt === null ? null : Date.parse(event.data.dueAt),
      });
    } else if (event.type === 'key.overdue') {
      const loan = loans.find((l) => l.keyId === event.data.keyId);
      if (loan) loan.overdueAnnounced = true;
    } else if (event.type === 'key.checked_in' || event.type === 'key.returned_unrecorded') {
      this.directory.loans = loans.filter((l) => l.keyId !== event.data.keyId);
    } else if (event.type === 'access.denied' && event.data.reason === 'wrong_pin') {
      // Wrong PINs in a row, as the pin_failures projection counts them (migration 010).
      const credential = this.directory.credentials.find((c) => c.id === event.data.credentialId);
      if (credential) credential.wrongPins = (credential.wrongPins ?? 0) + 1;
    } else if (event.type === 'pin.reset') {
      const credential = this.directory.credentials.find((c) => c.id === event.data.credentialId);
      if (credential) credential.wrongPins = 0;
    }
  }
}

export function kinds(effects: Effect[]): string[] {
  return effects.map((e) => (e.kind === 'record' ? `record:${e.event.type}` : e.kind));
}
