import type { ScreenPrompt } from './screen-view.js';
import { send } from './screen-link.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The on-screen PIN pad: the digits go to the daemon one by one; only their count comes back. */
export function PinPad(props: { typed: number; secondsLeft: number; title?: string }) {
  return (
    <section class="entry" aria-labelledby="pin-title">
      <h2 id="pin-title">{props.title ?? 'Enter your PIN'}</h2>
      <p class="dots" aria-live="polite" aria-label={`${props.typed} digits typed`}>
        {props.typed === 0 ? '—' : '●'.repeat(props.typed)}
      </p>
      <div class="pad">
        {KEYS.map((digit) => (
          <button key={digit} type="button" onClick={() => void send({ kind: 'digit', digit })}>
            {digit}
          </button>
        ))}
        <button type="button" class="quiet" onClick={() => void send({ kind: 'clear' })}>
          Clear
        </button>
        <button type="button" onClick={() => void send({ kind: 'digit', digit: '0' })}>
          0
        </button>
        <button type="button" class="go" onClick={() => void send({ kind: 'submit' })}>
          OK
        </button>
      </div>
      <Countdown seconds={props.secondsLeft} what="to enter it" />
      <CancelButton />
    </section>
  );
}

/** The site's reason codes as large buttons: one tap enters it. */
export function ReasonPicker(props: Extract<ScreenPrompt, { kind: 'reason_code' }>) {
  // A site without a list of codes takes any: typed on the pad (or the keypad).
  if (props.codes.length === 0) {
    return (
      <PinPad typed={props.typed} secondsLeft={props.secondsLeft} title="Enter a reason code" />
    );
  }
  return (
    <section class="entry" aria-labelledby="reason-title">
      <h2 id="reason-title">Why do you need this key?</h2>
      <div class="reasons">
        {props.codes.map((c) => (
          <button
            key={c.code}
            type="button"
            onClick={() => void send({ kind: 'reason', code: c.code })}
          >
            <span class="code">{c.code}</span> {c.description}
          </button>
        ))}
      </div>
      <Countdown seconds={props.secondsLeft} what="to choose" />
      <CancelButton />
    </section>
  );
}

export function AuthoriserPrompt(props: Extract<ScreenPrompt, { kind: 'authorisers' }>) {
  const more = props.required - props.given;
  const who = more === 1 ? 'a second person' : `${more} more people`;
  return (
    <section class="entry waiting-for" aria-labelledby="auth-title">
      <h2 id="auth-title">Waiting for {who} to authorise</h2>
      <p>
        {props.keys.join(', ')} {props.keys.length === 1 ? 'needs' : 'need'} {who}: they badge, take
        the card away, and badge again.
      </p>
      {props.confirming && <p class="note">Badge the same card again to confirm.</p>}
      <Countdown seconds={props.secondsLeft} what="left" />
      <CancelButton />
    </section>
  );
}

export function Countdown(props: { seconds: number; what: string }) {
  return (
    <p class="countdown" role="timer">
      <strong>{props.seconds} s</strong> {props.what}
    </p>
  );
}

function CancelButton() {
  return (
    <button type="button" class="cancel" onClick={() => void send({ kind: 'cancel' })}>
      Cancel
    </button>
  );
}
