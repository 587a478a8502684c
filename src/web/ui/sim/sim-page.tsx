import { useCallback, useEffect, useState } from 'preact/hooks';
import { act as postAction, loadSimPage, openSimStream } from './sim-api';
import { CabinetDrawing } from './cabinet-drawing';
import { BadgePanel, DoorPanel, KeypadPanel, ReaderPanel, type Act } from './controls';
import { EventList } from './event-list';
import { SlotList } from './slot-list';
import type { DemoBadge, SimEventView, SimStateView } from './sim-view';

/** Events the page keeps (the same as the server's history). */
const EVENTS_SHOWN = 20;

interface Outcome {
  ok: boolean;
  text: string;
}

/**
 * The simulated cabinet in the browser: the drawing, the badge reader, door, keypad and slots,
 * and the events the daemon records, all kept live by the server's stream.
 */
export function SimPage() {
  const [badges, setBadges] = useState<readonly DemoBadge[]>([]);
  const [state, setState] = useState<SimStateView | null>(null);
  const [events, setEvents] = useState<readonly SimEventView[]>([]);
  const [connected, setConnected] = useState(true);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    let closed = false;
    loadSimPage()
      .then((page) => {
        if (closed) return;
        setBadges(page.demoBadges);
        setState(page.state);
        setEvents(page.events);
      })
      .catch((error: Error) => setOutcome({ ok: false, text: error.message }));
    const close = openSimStream({
      state: setState,
      event: (event) =>
        setEvents((shown) =>
          shown.some((e) => e.seq === event.seq) ? shown : [...shown, event].slice(-EVENTS_SHOWN),
        ),
      connected: setConnected,
    });
    return () => {
      closed = true;
      close();
    };
  }, []);

  const act: Act = useCallback((what, path, body) => {
    postAction(path, body)
      .then((next) => {
        setState(next);
        setOutcome({ ok: true, text: `Done: ${what}.` });
      })
      .catch((error: Error) => setOutcome({ ok: false, text: `Refused: ${error.message}.` }));
  }, []);

  const pickSlot = (slot: number) => document.getElementById(`slot-${slot}`)?.focus();

  return (
    <>
      <header class="page-header">
        <h1>Keywarden simulator</h1>
        <p>
          A simulated key cabinet. What you do here reaches the daemon as its hardware would: card
          frames{state?.reader ? ' (from an OSDP reader, over Secure Channel)' : ''}, door contact,
          key switches and fob reports.
        </p>
        <nav aria-label="Demo pages">
          <a href="/cabinet">Cabinet screen</a> · <a href="/">Console</a>
        </nav>
      </header>
      <main class="sim-layout">
        <div class="sim-drawing">
          {state ? (
            <CabinetDrawing state={state} onPickSlot={pickSlot} />
          ) : (
            <p class="muted">Loading the cabinet…</p>
          )}
          <p class={`outcome${outcome && !outcome.ok ? ' bad' : ''}`} role="status">
            {!connected && 'The live stream is reconnecting. '}
            {outcome?.text ?? ''}
          </p>
        </div>
        <div class="sim-controls">
          <BadgePanel badges={badges} act={act} />
          {state?.reader && <ReaderPanel reader={state.reader} act={act} />}
          {state && <DoorPanel state={state} act={act} />}
          <KeypadPanel act={act} />
        </div>
        {state && <SlotList state={state} act={act} />}
        <EventList events={events} />
      </main>
    </>
  );
}
