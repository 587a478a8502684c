/**
 * What the simulator page is sent (GET /api/sim/state and the `state` messages of
 * /api/sim/stream) and the summary of each recorded event (`event` messages). Shared by the
 * server (src/web/routes/sim.ts) and the page as types only.
 */

/** A registered key as the simulator page names it. */
export interface SimKeyView {
  tag: string;
  label: string;
  /** Where the key belongs, or null when it has no home slot. */
  homeSlot: number | null;
}

export interface SimSlotState {
  slot: number;
  /** The fob hanging here: a registered key, or an unknown tag (`label` null); null when empty. */
  fob: { tag: string; label: string | null; homeSlot: number | null } | null;
  /** A registered key hanging in a slot that is not its home. */
  wrongKey: boolean;
  /** The slot's solenoid is energised (the key may be pulled). */
  solenoid: boolean;
}

/** A demo holder's card, to present with one click. */
export interface DemoBadge {
  name: string;
  card: string;
  /** What the card may do, in a few words ("slots 1–6", "disabled"). */
  note: string;
}

export type SimContactName = 'tamper' | 'powerFail' | 'emergency';

/** The colours an OSDP reader's LED can show (the LED command's colour numbers 0-7). */
export type ReaderLedColor =
  'black' | 'red' | 'green' | 'amber' | 'blue' | 'magenta' | 'cyan' | 'white';

/** The simulated OSDP badge reader (OSDP profiles only): what the cabinet shows on it. */
export interface SimReaderView {
  address: number;
  /** Its cable is in. */
  connected: boolean;
  /** It answered the cabinet's polls within the last second. */
  answering: boolean;
  /** A Secure Channel session with the cabinet is open. */
  secured: boolean;
  /** LED 0: its lit colour, and whether it blinks. */
  led: { color: ReaderLedColor; flashing: boolean };
  buzzer: boolean;
}

export interface SimStateView {
  door: {
    open: boolean;
    /** The door lock output is on (released). */
    unlocked: boolean;
    /** The daemon recorded door.forced since the door last opened. */
    forced: boolean;
  };
  indicators: { green: boolean; red: boolean; buzzer: boolean };
  slots: SimSlotState[];
  /** Registered keys hanging in no slot: what "put back" may choose from. */
  keysOutside: SimKeyView[];
  inputs: Partial<Record<SimContactName, boolean>>;
  /** The badge reader, when it is a simulated OSDP reader. */
  reader?: SimReaderView;
}

/** One recorded event, in a line. */
export interface SimEventView {
  seq: number;
  type: string;
  time: string;
  /** Who, which key, which slots: the event's data in words. */
  detail: string;
}

/** What the page loads once: the demo badges and the cabinet as it is. */
export interface SimPageData {
  demoBadges: DemoBadge[];
  state: SimStateView;
  /** The latest events, newest last. */
  events: SimEventView[];
}

/** An error answer of the API. */
export interface SimApiError {
  error: string;
  message: string;
}
