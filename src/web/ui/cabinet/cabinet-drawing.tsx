import type { ScreenSlot } from './screen-view.js';

const WORDS: Record<ScreenSlot['kind'], string> = {
  take: 'take',
  offered: 'tap',
  waiting: 'waiting',
  return: 'return here',
  move: 'move home',
};

/**
 * The cabinet's slots in rows, as they hang: the ones that concern the person lit, with the key
 * and what to do. In pick-the-keys mode an offered slot is a button that toggles its pick.
 */
export function CabinetDrawing(props: {
  slotCount: number;
  slots: ScreenSlot[];
  picked: ReadonlySet<number>;
  onToggle: (slot: number) => void;
}) {
  const lit = new Map(props.slots.map((s) => [s.slot, s]));
  // Four across up to 16 slots (taller targets on the 7" screen), six beyond.
  const columns = props.slotCount <= 16 ? 4 : 6;
  return (
    <ol class={`cabinet cols-${columns}`} aria-label="The cabinet's slots">
      {Array.from({ length: props.slotCount }, (_, i) => {
        const number = i + 1;
        const slot = lit.get(number);
        const picked = props.picked.has(number);
        const label = slot?.keyLabel ?? '';
        const body = (
          <>
            <span class="slot-number">{number}</span>
            <span class="slot-key">{label}</span>
            <span class="slot-what">{slot ? (picked ? 'picked' : WORDS[slot.kind]) : ''}</span>
          </>
        );
        const kind = slot ? `lit ${slot.kind}${picked ? ' picked' : ''}` : 'dark';
        return (
          <li key={number} class={`slot ${kind}`}>
            {slot?.kind === 'offered' ? (
              <button
                type="button"
                aria-pressed={picked}
                aria-label={`Slot ${number}${label ? `, ${label}` : ''}`}
                onClick={() => props.onToggle(number)}
              >
                {body}
              </button>
            ) : (
              <div aria-label={`Slot ${number}${slot ? `, ${label} (${WORDS[slot.kind]})` : ''}`}>
                {body}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
