import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../shared/base.css';
import './cabinet.css';
import { CabinetDrawing } from './cabinet-drawing.js';
import { AuthoriserPrompt, Countdown, PinPad, ReasonPicker } from './entry-pads.js';
import { send, watchView } from './screen-link.js';
import type { ScreenView } from './screen-view.js';

/**
 * The cabinet screen: the touchscreen on the cabinet, run by Chromium in kiosk mode. Everything
 * is a tap (no keyboard, no mouse), every target at least 48 px, dark on light at high contrast;
 * the daemon's view decides what shows, the page only draws it.
 */
function CabinetScreen() {
  const [view, setView] = useState<ScreenView | null>(null);
  const [lost, setLost] = useState(false);
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  useEffect(
    () =>
      watchView(
        (next) => {
          setLost(false);
          setView(next);
        },
        () => setLost(true),
      ),
    [],
  );
  // A pick belongs to the session it was made in: whatever is no longer offered is dropped.
  const offered = new Set(view?.slots.filter((s) => s.kind === 'offered').map((s) => s.slot));
  const chosen = [...picked].filter((slot) => offered.has(slot));
  const toggle = (slot: number) => {
    const next = new Set(chosen);
    if (next.has(slot)) next.delete(slot);
    else next.add(slot);
    setPicked(next);
  };
  const release = () => {
    setPicked(new Set());
    void send({ kind: 'pick', slots: chosen.sort((a, b) => a - b) });
  };
  if (view === null) {
    return (
      <main class="screen">
        <p class="headline">{lost ? 'The cabinet is not answering…' : 'Starting…'}</p>
      </main>
    );
  }
  return (
    <main class={`screen stage-${view.stage}`}>
      {view.alarms.length > 0 && (
        <ul class="alarms" role="alert" aria-label="Alarms">
          {view.alarms.map((a, i) => (
            <li key={`${a.type}-${i}`}>{a.text}</li>
          ))}
        </ul>
      )}
      {lost && <p class="lost">The cabinet is not answering; this screen may be out of date.</p>}
      <div class="layout">
        <section class="drawing" aria-label="Cabinet">
          <CabinetDrawing
            slotCount={view.slotCount}
            slots={view.slots}
            picked={new Set(chosen)}
            onToggle={toggle}
          />
          {view.heldOpenSeconds !== null && (
            <p class="door">
              Close the door: alarm in <strong>{view.heldOpenSeconds} s</strong>
            </p>
          )}
        </section>
        <section class="panel" aria-live="polite">
          <Panel view={view} chosen={chosen} onRelease={release} />
        </section>
      </div>
    </main>
  );
}

function Panel(props: { view: ScreenView; chosen: number[]; onRelease: () => void }) {
  const { view } = props;
  const refusals = view.refusals.length > 0 && (
    <ul class="refusals" aria-label="Refused">
      {view.refusals.map((text, i) => (
        <li key={i}>{text}</li>
      ))}
    </ul>
  );
  if (view.stage === 'idle') {
    return <h1 class="headline">Present your badge</h1>;
  }
  if (view.stage === 'refused') {
    return (
      <>
        <h1 class="headline bad">Not opened</h1>
        {refusals}
      </>
    );
  }
  const prompt = view.prompt;
  return (
    <>
      <h1 class="name">{view.holderName}</h1>
      {refusals}
      {prompt?.kind === 'pin' && <PinPad typed={prompt.typed} secondsLeft={prompt.secondsLeft} />}
      {prompt?.kind === 'reason_code' && <ReasonPicker {...prompt} />}
      {prompt?.kind === 'authorisers' && <AuthoriserPrompt {...prompt} />}
      {(view.stage === 'session' || view.relockSeconds !== null) && <Session {...props} />}
      {view.keysOut.length > 0 && <KeysOut view={view} />}
    </>
  );
}

function Session(props: { view: ScreenView; chosen: number[]; onRelease: () => void }) {
  const { view, chosen } = props;
  const take = view.slots.filter((s) => s.kind === 'take');
  const offered = view.slots.filter((s) => s.kind === 'offered');
  return (
    <>
      {offered.length > 0 && (
        <div class="pick">
          <p>Tap the keys you want, then release them.</p>
          <button
            type="button"
            class="go wide"
            disabled={chosen.length === 0}
            onClick={props.onRelease}
          >
            {chosen.length === 0
              ? 'Release'
              : `Release ${chosen.length} key${chosen.length === 1 ? '' : 's'}`}
          </button>
        </div>
      )}
      {take.length > 0 && (
        <p class="take-list">
          Take: {take.map((s) => `${s.keyLabel ?? 'key'} (slot ${s.slot})`).join(', ')}
        </p>
      )}
      {view.returns.length > 0 && (
        <ul class="returns" aria-label="Returns">
          {view.returns.map((r, i) => (
            <li key={i}>{r.text}</li>
          ))}
        </ul>
      )}
      {view.relockSeconds !== null && (
        <Countdown seconds={view.relockSeconds} what="until it locks" />
      )}
    </>
  );
}

function KeysOut(props: { view: ScreenView }) {
  const { view } = props;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: view.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <section class="keys-out" aria-labelledby="out-title">
      <h2 id="out-title">Your keys out</h2>
      <ul>
        {view.keysOut.map((k) => (
          <li key={k.keyLabel} class={k.overdue ? 'overdue' : ''}>
            {k.keyLabel}:{' '}
            {k.dueAt === null
              ? 'no due time'
              : `${k.overdue ? 'overdue since' : 'due'} ${time.format(new Date(k.dueAt))}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

const root = document.getElementById('app');
if (root) render(<CabinetScreen />, root);
