import { useState } from 'preact/hooks';
import type { DemoBadge, SimReaderView, SimStateView } from './sim-view';

/** Runs one action at the cabinet: the page shows its outcome in the status line. */
export type Act = (what: string, path: string, body: Record<string, unknown>) => void;

/** The badge reader: a demo holder's card in one click, or any card number typed. */
export function BadgePanel({ badges, act }: { badges: readonly DemoBadge[]; act: Act }) {
  const [card, setCard] = useState('');
  return (
    <section class="panel" aria-labelledby="badge-heading">
      <h2 id="badge-heading">Badge reader</h2>
      <ul class="badges">
        {badges.map((badge) => (
          <li key={badge.card}>
            <button
              type="button"
              class="badge"
              onClick={() => act(`${badge.name}'s card`, 'badge', { card: badge.card })}
            >
              <span class="badge-name">Present {badge.name}'s card</span>
              <span class="badge-note">
                {badge.card} · {badge.note}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const typed = card.trim();
          if (typed !== '') act(`card ${typed}`, 'badge', { card: typed });
        }}
      >
        <label for="card-number">Any card number</label>
        <input
          id="card-number"
          value={card}
          onInput={(event) => setCard(event.currentTarget.value)}
          autocomplete="off"
          spellcheck={false}
          maxLength={32}
          placeholder={badges[0] ? `e.g. ${badges[0].card}` : undefined}
        />
        <button type="submit">Present</button>
      </form>
    </section>
  );
}

/**
 * The simulated OSDP badge reader: its link to the cabinet, the LED and buzzer the cabinet set
 * on it, and its cable, to pull (the cabinet has it offline after 8 s) and plug back.
 */
export function ReaderPanel({ reader, act }: { reader: SimReaderView; act: Act }) {
  const link = !reader.connected
    ? 'unplugged'
    : !reader.answering
      ? 'not answering'
      : reader.secured
        ? 'answering, Secure Channel'
        : 'answering, not secured';
  return (
    <section class="panel" aria-labelledby="reader-heading">
      <h2 id="reader-heading">OSDP reader {reader.address}</h2>
      <ul class="facts">
        <li>
          Link: <strong class={reader.answering ? undefined : 'bad'}>{link}</strong>
        </li>
        <li>
          LED:{' '}
          <strong>
            {reader.led.color === 'black' ? 'off' : reader.led.color}
            {reader.led.flashing ? ', blinking' : ''}
          </strong>
        </li>
        <li>
          Buzzer: <strong>{reader.buzzer ? 'sounding' : 'silent'}</strong>
        </li>
      </ul>
      <div class="buttons">
        {reader.connected ? (
          <button
            type="button"
            class="danger"
            onClick={() => act("unplug the reader's cable", 'reader', { connected: false })}
          >
            Unplug reader
          </button>
        ) : (
          <button
            type="button"
            onClick={() => act("plug the reader's cable in", 'reader', { connected: true })}
          >
            Plug reader in
          </button>
        )}
      </div>
    </section>
  );
}

export function DoorPanel({ state, act }: { state: SimStateView; act: Act }) {
  const { door, indicators } = state;
  return (
    <section class="panel" aria-labelledby="door-heading">
      <h2 id="door-heading">Door and signals</h2>
      <ul class="facts">
        <li>
          Door:{' '}
          <strong class={door.forced ? 'bad' : undefined}>
            {door.forced ? 'forced open' : door.open ? 'open' : 'closed'}
          </strong>
        </li>
        <li>
          Lock: <strong>{door.unlocked ? 'released' : 'locked'}</strong>
        </li>
        <li>
          LEDs:{' '}
          <strong>
            {[indicators.green && 'green', indicators.red && 'red'].filter(Boolean).join(' and ') ||
              'off'}
          </strong>
        </li>
        <li>
          Buzzer: <strong>{indicators.buzzer ? 'sounding' : 'silent'}</strong>
        </li>
      </ul>
      <div class="buttons">
        <button type="button" onClick={() => act('open the door', 'door', { action: 'open' })}>
          Open door
        </button>
        <button
          type="button"
          class="danger"
          onClick={() => act('force the door', 'door', { action: 'force' })}
        >
          Force door
        </button>
        <button type="button" onClick={() => act('close the door', 'door', { action: 'close' })}>
          Close door
        </button>
      </div>
    </section>
  );
}

const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** The reader's keypad: digits gather here; # sends them (a PIN or reason code), * clears. */
export function KeypadPanel({ act }: { act: Act }) {
  const [typed, setTyped] = useState('');
  const press = (key: (typeof KEYPAD)[number]) => {
    if (key === '*') {
      setTyped('');
      act('clear the keypad', 'keypad', { keys: '*' });
    } else if (key === '#') {
      if (typed === '') return;
      act('the keypad entry', 'keypad', { keys: `${typed}#` });
      setTyped('');
    } else if (typed.length < 16) {
      setTyped(typed + key);
    }
  };
  return (
    <section class="panel" aria-labelledby="keypad-heading">
      <h2 id="keypad-heading">Keypad</h2>
      <p class="keypad-display" aria-live="polite">
        <span class="visually-hidden">Typed: </span>
        {typed === '' ? <span class="muted">(nothing typed)</span> : '•'.repeat(typed.length)}
        <span class="visually-hidden">{typed.length > 0 ? `${typed.length} digits` : ''}</span>
      </p>
      <div class="keypad" role="group" aria-label="Keypad keys">
        {KEYPAD.map((key) => (
          <button
            type="button"
            key={key}
            aria-label={key === '#' ? 'Enter (#)' : key === '*' ? 'Clear (*)' : key}
            onClick={() => press(key)}
          >
            {key}
          </button>
        ))}
      </div>
    </section>
  );
}
