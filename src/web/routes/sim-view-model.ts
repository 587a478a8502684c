import type { RecordedEvent } from '../../domain/events.js';
import type { SimSnapshot } from '../../sim/sim-cabinet.js';
import type { SimEventView, SimKeyView, SimStateView } from '../ui/sim/sim-view.js';

/**
 * The simulated cabinet as the page draws it: each fob named by its key (or shown as an unknown
 * tag), a key hanging away from home marked, and the registered keys that hang nowhere, which
 * are what a person could put back.
 */
export function simStateView(
  snapshot: SimSnapshot,
  keys: readonly SimKeyView[],
  forced: boolean,
): SimStateView {
  const byTag = new Map(keys.map((key) => [key.tag.toUpperCase(), key]));
  const hanging = new Set<string>();
  const slots = snapshot.slots.map((slot) => {
    if (slot.tag === null)
      return { slot: slot.slot, fob: null, wrongKey: false, solenoid: slot.solenoid };
    const tag = slot.tag.toUpperCase();
    hanging.add(tag);
    const key = byTag.get(tag);
    return {
      slot: slot.slot,
      fob: { tag, label: key?.label ?? null, homeSlot: key?.homeSlot ?? null },
      wrongKey: key !== undefined && key.homeSlot !== null && key.homeSlot !== slot.slot,
      solenoid: slot.solenoid,
    };
  });
  return {
    door: { ...snapshot.door, forced: forced && snapshot.door.open },
    indicators: { ...snapshot.indicators },
    slots,
    keysOutside: keys.filter((key) => !hanging.has(key.tag.toUpperCase())),
    inputs: { ...snapshot.inputs },
    ...(snapshot.osdpReader && {
      reader: { ...snapshot.osdpReader, led: { ...snapshot.osdpReader.led } },
    }),
  };
}

/** An event in one line: who, which key, which slots; never the card (already shortened). */
export function simEventView(event: RecordedEvent): SimEventView {
  const data = event.data as Record<string, unknown>;
  const parts: string[] = [];
  const text = (key: string) => (typeof data[key] === 'string' ? data[key] : undefined);
  const number = (key: string) => (typeof data[key] === 'number' ? data[key] : undefined);
  const holder = text('holderName');
  if (holder) parts.push(holder);
  const label = text('keyLabel');
  if (label) parts.push(label);
  const slot = number('slot');
  if (slot !== undefined) parts.push(`slot ${slot}`);
  const slots = data.slots;
  if (Array.isArray(slots) && slots.length > 0) parts.push(`slots ${slots.join(', ')}`);
  const home = number('homeSlot');
  if (home !== undefined) parts.push(`home slot ${home}`);
  const reason = text('reason');
  if (reason) parts.push(reason.replaceAll('_', ' '));
  const tag = text('tag');
  if (tag) parts.push(`tag ${tag}`);
  return { seq: event.seq, type: event.type, time: event.time, detail: parts.join(' · ') };
}
