import { useState } from 'preact/hooks';
import type { Act } from './controls';
import type { SimKeyView, SimSlotState, SimStateView } from './sim-view';

/** Each slot in words, with what a hand can do there: take the key, or put one back. */
export function SlotList({ state, act }: { state: SimStateView; act: Act }) {
  return (
    <section class="panel slots-panel" aria-labelledby="slots-heading">
      <h2 id="slots-heading">Slots</h2>
      <ul class="slot-list">
        {state.slots.map((slot) => (
          <SlotItem key={slot.slot} slot={slot} outside={state.keysOutside} act={act} />
        ))}
      </ul>
    </section>
  );
}

function SlotItem(props: { slot: SimSlotState; outside: readonly SimKeyView[]; act: Act }) {
  const { slot, outside, act } = props;
  const n = slot.slot;
  const fob = slot.fob;
  return (
    <li class={`slot-item${slot.solenoid ? ' released' : ''}${slot.wrongKey ? ' wrong' : ''}`}>
      <h3 id={`slot-${n}`} tabIndex={-1}>
        Slot {n}
      </h3>
      <p class="slot-state" data-testid={`slot-${n}-state`}>
        {describe(slot)}
      </p>
      {fob !== null ? (
        <div class="buttons">
          <button
            type="button"
            aria-describedby={`slot-${n}`}
            onClick={() =>
              act(`take ${fob.label ?? 'the fob'} from slot ${n}`, `slots/${n}/take`, {})
            }
          >
            Take {fob.label ?? 'fob'}
          </button>
          <button
            type="button"
            class="danger"
            aria-describedby={`slot-${n}`}
            onClick={() =>
              act(`force ${fob.label ?? 'the fob'} out of slot ${n}`, `slots/${n}/take`, {
                force: true,
              })
            }
          >
            Force out
          </button>
        </div>
      ) : (
        <PutBack slot={n} outside={outside} act={act} />
      )}
    </li>
  );
}

function PutBack(props: { slot: number; outside: readonly SimKeyView[]; act: Act }) {
  const { slot, outside, act } = props;
  const home = outside.find((key) => key.homeSlot === slot);
  const [chosen, setChosen] = useState<string>('');
  const tag =
    chosen !== '' && outside.some((k) => k.tag === chosen) ? chosen : (home ?? outside[0])?.tag;
  if (tag === undefined) return <p class="muted">No key is out to put back.</p>;
  const label = outside.find((k) => k.tag === tag)?.label ?? tag;
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        act(`put ${label} back in slot ${slot}`, `slots/${slot}/insert`, { tag });
      }}
    >
      <label for={`put-back-${slot}`}>Key to put back</label>
      <select
        id={`put-back-${slot}`}
        value={tag}
        onChange={(event) => setChosen(event.currentTarget.value)}
      >
        {outside.map((key) => (
          <option key={key.tag} value={key.tag}>
            {key.label}
            {key.homeSlot === null ? '' : ` (home slot ${key.homeSlot})`}
          </option>
        ))}
      </select>
      <button type="submit">Put back</button>
    </form>
  );
}

function describe(slot: SimSlotState): string {
  const lock = slot.solenoid ? 'released' : 'locked';
  const fob = slot.fob;
  if (fob === null) return `Empty · ${lock}`;
  if (fob.label === null) return `Unknown fob ${fob.tag} · ${lock}`;
  if (slot.wrongKey) return `${fob.label}, wrong slot (its home is ${fob.homeSlot}) · ${lock}`;
  return `${fob.label} · ${lock}`;
}
