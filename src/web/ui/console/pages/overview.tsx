import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { Banner } from '../../shared/components';
import { formatInstant, formatRelative } from '../../shared/format';
import { useLive } from '../live';
import { roleAllows, type SessionState } from '../session';
import './overview-people.css';

interface Slot {
  slot: number;
  keyLabel: string | null;
  keyState: string | null;
  status: 'in' | 'out' | 'empty';
  inSlot: string | null;
  holderName: string | null;
  outSince: string | null;
  dueAt: string | null;
}

interface Alarm {
  seq: number;
  type: string;
  slot: number | null;
  reader: string | null;
  since: string;
  data: Record<string, unknown>;
  acknowledged: { actor: { account: string }; note: string; at: string } | null;
}

const ALARM_WORDS: Record<string, string> = {
  'door.forced': 'Door forced open',
  'door.held_open': 'Door held open',
  'key.forced': 'Key pulled without a release',
  'key.wrong_slot': 'Key in the wrong slot',
  'key.unknown_fob': 'Unknown fob in a slot',
  'key.overdue': 'Key overdue',
  'key.swapped': 'Keys swapped',
  'key.duplicate_fob': 'Same fob in two slots',
  'key.missing': 'Key missing',
  'reader.offline': 'Reader offline',
  'reader.card_flood': 'Many unknown cards at the reader',
  'cabinet.tamper': 'Cabinet tampered with',
  'power.failed': 'Mains power lost',
  'storage.backlog': 'Events waiting for the central server',
};

function slotClass(slot: Slot, now: number): string {
  if (slot.status === 'out' && slot.dueAt && Date.parse(slot.dueAt) < now) return 'slot overdue';
  return `slot slot-${slot.status}`;
}

function SlotCard(props: { slot: Slot; now: number }) {
  const { slot, now } = props;
  const overdue = slot.status === 'out' && slot.dueAt !== null && Date.parse(slot.dueAt) < now;
  return (
    <li class={slotClass(slot, now)}>
      <span class="slot-number">Slot {slot.slot}</span>
      <strong class="slot-key">{slot.keyLabel ?? 'No key'}</strong>
      <span class="slot-state">
        {slot.status === 'empty'
          ? slot.inSlot
            ? `Holds ${slot.inSlot}`
            : 'Empty'
          : slot.status === 'in'
            ? slot.inSlot === slot.keyLabel
              ? 'Hanging here'
              : slot.inSlot
                ? `Holds ${slot.inSlot} instead`
                : 'Not seen in the slot'
            : `Out with ${slot.holderName ?? 'someone'}`}
      </span>
      {slot.status === 'out' && slot.outSince ? (
        <span class="slot-when">since {formatInstant(slot.outSince)}</span>
      ) : null}
      {slot.status === 'out' && slot.dueAt ? (
        <span class={overdue ? 'slot-due is-overdue' : 'slot-due'}>
          {overdue ? 'Overdue: ' : 'Due '}
          {formatInstant(slot.dueAt)} ({formatRelative(slot.dueAt, now)})
        </span>
      ) : null}
    </li>
  );
}

function AlarmItem(props: { alarm: Alarm; canAcknowledge: boolean; onDone: () => void }) {
  const { alarm } = props;
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = `ack-${alarm.seq}`;
  const where = [
    alarm.slot !== null ? `slot ${alarm.slot}` : null,
    typeof alarm.data.keyLabel === 'string' ? alarm.data.keyLabel : null,
    typeof alarm.data.holderName === 'string' ? `with ${alarm.data.holderName}` : null,
    alarm.reader !== null ? `${alarm.reader} reader` : null,
  ].filter((x): x is string => x !== null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await api.post(`/api/alarms/${alarm.seq}/acknowledge`, { note });
      setError(null);
      props.onDone();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  return (
    <li class={alarm.acknowledged ? 'alarm is-acknowledged' : 'alarm'}>
      <div class="alarm-head">
        <strong>{ALARM_WORDS[alarm.type] ?? alarm.type}</strong>
        {where.length > 0 ? <span> · {where.join(' · ')}</span> : null}
        <span class="alarm-when"> · since {formatInstant(alarm.since)}</span>
      </div>
      {alarm.acknowledged ? (
        <p class="alarm-ack">
          Acknowledged by {alarm.acknowledged.actor.account} at{' '}
          {formatInstant(alarm.acknowledged.at)}: “{alarm.acknowledged.note}”
        </p>
      ) : props.canAcknowledge ? (
        <form class="ack-form" onSubmit={(e) => void submit(e)}>
          <label for={id}>Note</label>
          <input
            id={id}
            value={note}
            maxLength={500}
            required
            placeholder="What you saw or did"
            onInput={(e) => setNote((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Acknowledge</button>
          {error ? (
            <p class="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </li>
  );
}

/** What the live stream carries at `ready` and at each change (the server's LiveOverview). */
interface LiveView {
  seq: number;
  slots: Slot[];
  alarms: Alarm[];
}

/** The cabinet at a glance: the slot map and the alarms in force, kept live. */
export function Overview() {
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [role, setRole] = useState<SessionState['user']>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  // Live views shown so far: a read of the page's own that a live view overtook is dropped,
  // since the view may be the fresher of the two (the next change brings anything it lacks).
  const views = useRef(0);

  const show = (s: Slot[], a: Alarm[]) => {
    setSlots(s);
    setAlarms(a);
    setNow(Date.now());
    setFailure(null);
  };
  // The page's own read: the first paint before the stream is ready (or if it is refused), and
  // right after an acknowledgement.
  const load = async () => {
    const before = views.current;
    try {
      const [s, a] = await Promise.all([
        api.get<Slot[]>('/api/overview/slots'),
        api.get<Alarm[]>('/api/alarms'),
      ]);
      if (views.current === before) show(s, a);
    } catch (error) {
      if (views.current === before) setFailure((error as Error).message);
    }
  };
  useEffect(() => {
    void load();
    void api.get<SessionState>('/api/session').then((s) => setRole(s.user));
    // Overdue is a matter of time passing too, not only of events.
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  useLive<LiveView>((view) => {
    views.current += 1;
    show(view.slots, view.alarms);
  });

  const canAcknowledge = role !== null && roleAllows(role.role, 'custodian');
  const out = slots?.filter((s) => s.status === 'out').length ?? 0;
  return (
    <div class="overview">
      {failure ? <Banner kind="error">{failure}</Banner> : null}
      <section aria-labelledby="alarms-title">
        <h2 id="alarms-title">Alarms ({alarms.length})</h2>
        {alarms.length === 0 ? (
          <p class="quiet">No alarm in force.</p>
        ) : (
          <ul class="alarms">
            {alarms.map((alarm) => (
              <AlarmItem
                key={alarm.seq}
                alarm={alarm}
                canAcknowledge={canAcknowledge}
                onDone={() => void load()}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="slots-title">
        <h2 id="slots-title">
          Slots{slots ? ` (${out} of ${slots.filter((s) => s.keyLabel).length} keys out)` : ''}
        </h2>
        {slots === null ? (
          <p class="loading">Loading…</p>
        ) : (
          <ul class="slot-map">
            {slots.map((slot) => (
              <SlotCard key={slot.slot} slot={slot} now={now} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
