import type { SimReaderView, SimSlotState, SimStateView } from './sim-view';

const CELL_W = 96;
const CELL_H = 128;
const MARGIN = 20;
const TOP = 64;
const DOOR_SWING = 70;

/**
 * The simulated cabinet drawn as it is: the body with its LEDs and buzzer, a cell per slot with
 * its solenoid and the fob hanging there, and the door, closed over the slots or swung open (red
 * when forced) with its lock. A picture for the eye; what it shows is also said in words beside
 * it (the slot list and the status lines), so the drawing is one image to a screen reader.
 * Clicking a slot moves the focus to that slot's controls.
 */
export function CabinetDrawing({
  state,
  onPickSlot,
}: {
  state: SimStateView;
  onPickSlot: (slot: number) => void;
}) {
  const count = state.slots.length;
  // Rows of at most six, as even as they come: 12 slots in two rows of six, 8 in two of four.
  const cols = Math.max(1, Math.ceil(count / Math.ceil(count / 6)));
  const rows = Math.ceil(count / cols);
  const bodyW = cols * CELL_W + MARGIN * 2;
  const bodyH = TOP + rows * CELL_H + MARGIN;
  const width = MARGIN + bodyW + DOOR_SWING + MARGIN;
  const height = bodyH + MARGIN * 2;
  const { door, indicators } = state;
  return (
    <svg
      class="cabinet-drawing"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby="drawing-title"
    >
      <title id="drawing-title">{summary(state)}</title>
      <rect x={MARGIN} y={MARGIN} width={bodyW} height={bodyH} rx="10" class="body" />
      <Led x={MARGIN + 30} y={MARGIN + 30} on={indicators.green} colour="green" label="green" />
      <Led x={MARGIN + 110} y={MARGIN + 30} on={indicators.red} colour="red" label="red" />
      <Buzzer x={MARGIN + 190} y={MARGIN + 30} on={indicators.buzzer} />
      {state.reader ? (
        <Reader x={MARGIN + bodyW - 96} y={MARGIN + 10} reader={state.reader} />
      ) : (
        <text x={MARGIN + bodyW - 16} y={MARGIN + 36} class="brand" text-anchor="end">
          Keywarden sim
        </text>
      )}
      {state.slots.map((slot, i) => (
        <Slot
          key={slot.slot}
          slot={slot}
          x={MARGIN * 2 + (i % cols) * CELL_W}
          y={MARGIN + TOP + Math.floor(i / cols) * CELL_H}
          onPick={onPickSlot}
        />
      ))}
      <Door
        open={door.open}
        forced={door.forced}
        unlocked={door.unlocked}
        x={MARGIN + 10}
        y={MARGIN + TOP - 10}
        w={bodyW - 20}
        h={rows * CELL_H + 10}
      />
    </svg>
  );
}

function summary(state: SimStateView): string {
  const { door, indicators } = state;
  const doorText = door.forced
    ? 'door forced open'
    : `door ${door.open ? 'open' : 'closed'}, lock ${door.unlocked ? 'released' : 'locked'}`;
  const keys = state.slots.filter((s) => s.fob !== null).length;
  const released = state.slots.filter((s) => s.solenoid).map((s) => s.slot);
  const lit = [indicators.green && 'green LED on', indicators.red && 'red LED on']
    .filter(Boolean)
    .join(', ');
  return (
    `The simulated cabinet: ${doorText}; ${keys} of ${state.slots.length} slots hold a key` +
    (released.length > 0 ? `; released: slot ${released.join(', ')}` : '') +
    (lit ? `; ${lit}` : '') +
    (indicators.buzzer ? '; buzzer sounding' : '') +
    (state.reader ? `; ${readerSummary(state.reader)}` : '')
  );
}

function readerSummary(reader: SimReaderView): string {
  if (!reader.connected) return 'OSDP reader unplugged';
  const led = reader.led.color === 'black' ? 'dark' : reader.led.color;
  return (
    `OSDP reader ${reader.secured ? 'secured' : 'not secured'}, LED ${led}` +
    (reader.led.flashing ? ' blinking' : '') +
    (reader.buzzer ? ', beeping' : '')
  );
}

/** The OSDP badge reader on the cabinet's front: its LED in the colour the cabinet set. */
function Reader(props: { x: number; y: number; reader: SimReaderView }) {
  const { x, y, reader } = props;
  const led = reader.connected ? reader.led : { color: 'black', flashing: false };
  return (
    <g class={`osdp-reader${reader.connected ? '' : ' unplugged'}`}>
      <rect x={x} y={y} width="80" height="40" rx="8" class="reader-body" />
      <circle
        cx={x + 18}
        cy={y + 20}
        r="9"
        class={`reader-led led-${led.color}${led.flashing ? ' flashing' : ''}`}
      />
      <text x={x + 34} y={y + 17} class="reader-label">
        OSDP
      </text>
      <text x={x + 34} y={y + 32} class="reader-state">
        {!reader.connected ? 'unplugged' : reader.secured ? 'secured' : 'offline'}
      </text>
      {reader.buzzer && (
        <path
          class="reader-beep"
          d={`M${x + 84} ${y + 12}q6 8 0 16M${x + 89} ${y + 7}q11 13 0 26`}
          fill="none"
        />
      )}
    </g>
  );
}

function Led(props: { x: number; y: number; on: boolean; colour: 'green' | 'red'; label: string }) {
  return (
    <g class={`led led-${props.colour}${props.on ? ' on' : ''}`}>
      <circle cx={props.x} cy={props.y} r="12" />
      <text x={props.x + 18} y={props.y + 5}>
        {props.label}
      </text>
    </g>
  );
}

function Buzzer(props: { x: number; y: number; on: boolean }) {
  const { x, y, on } = props;
  return (
    <g class={`buzzer${on ? ' on' : ''}`}>
      <path d={`M${x - 8} ${y - 6}h6l8 -8v28l-8 -8h-6z`} />
      {on && (
        <path
          class="waves"
          d={`M${x + 12} ${y - 8}q8 8 0 16M${x + 17} ${y - 13}q13 13 0 26`}
          fill="none"
        />
      )}
      <text x={x + 34} y={y + 5}>
        {on ? 'buzzer!' : 'buzzer'}
      </text>
    </g>
  );
}

function Slot(props: { slot: SimSlotState; x: number; y: number; onPick: (n: number) => void }) {
  const { slot, x, y } = props;
  const w = CELL_W - 10;
  const h = CELL_H - 10;
  const fob = slot.fob;
  const kind =
    fob === null ? 'empty' : fob.label === null ? 'unknown' : slot.wrongKey ? 'wrong' : 'key';
  return (
    <g
      class={`slot slot-${kind}${slot.solenoid ? ' released' : ''}`}
      onClick={() => props.onPick(slot.slot)}
    >
      <rect x={x} y={y} width={w} height={h} rx="6" class="cell" />
      <text x={x + 8} y={y + 20} class="slot-number">
        {slot.slot}
      </text>
      <rect x={x + w - 34} y={y + 8} width="26" height="14" rx="3" class="solenoid" />
      <line x1={x + w / 2} y1={y + 28} x2={x + w / 2} y2={y + 44} class="hook" />
      {fob === null ? (
        <rect x={x + 14} y={y + 46} width={w - 28} height={h - 58} rx="8" class="fob-outline" />
      ) : (
        <g class="fob">
          <rect x={x + 14} y={y + 46} width={w - 28} height={h - 58} rx="8" />
          <circle cx={x + w / 2} cy={y + 56} r="4" class="fob-hole" />
          <text x={x + w / 2} y={y + 86} text-anchor="middle" class="fob-label">
            {fob.label ?? '?'}
          </text>
          {slot.wrongKey && (
            <text x={x + w / 2} y={y + 104} text-anchor="middle" class="fob-note">
              home {fob.homeSlot}
            </text>
          )}
        </g>
      )}
    </g>
  );
}

function Door(props: {
  open: boolean;
  forced: boolean;
  unlocked: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
}) {
  const { open, forced, unlocked, x, y, w, h } = props;
  const lockX = open ? x + w + DOOR_SWING - 14 : x + w - 22;
  const lockY = y + h / 2;
  return (
    <g class={`door${open ? ' open' : ' closed'}${forced ? ' forced' : ''}`}>
      {open ? (
        // Swung out to the right on its hinge: seen edge-on, a narrow slanted panel.
        <path
          d={`M${x + w} ${y}l${DOOR_SWING} -14v${h + 28}l-${DOOR_SWING} -14z`}
          class="door-panel"
        />
      ) : (
        <rect x={x} y={y} width={w} height={h} rx="6" class="door-panel" />
      )}
      <g class={`lock${unlocked ? ' unlocked' : ''}`}>
        <path
          d={
            unlocked
              ? `M${lockX - 6} ${lockY - 4}v-8a6 6 0 0 1 12 0`
              : `M${lockX - 6} ${lockY - 4}v-6a6 6 0 0 1 12 0v6`
          }
          class="shackle"
          fill="none"
        />
        <rect x={lockX - 10} y={lockY - 4} width="20" height="16" rx="3" class="lock-body" />
      </g>
      {forced && (
        <text x={x + w / 2} y={y + h + 16} text-anchor="middle" class="forced-label">
          DOOR FORCED
        </text>
      )}
    </g>
  );
}
