import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, Field } from '../../shared/components';
import { useLoad } from './use-load';
import './keys-records.css';
import './schedules-access.css';

interface Schedule {
  id: number;
  name: string;
  windows: Array<{ id: number; day: string; hours: string }>;
  exceptions: Array<{ id: number; date: string; kind: string; hours: string | null }>;
  usedBy: number;
}

type Result = { kind: 'ok' | 'error'; text: string } | null;

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const DAY_NAMES: Record<string, string> = {
  Mon: 'Monday',
  Tue: 'Tuesday',
  Wed: 'Wednesday',
  Thu: 'Thursday',
  Fri: 'Friday',
  Sat: 'Saturday',
  Sun: 'Sunday',
};

/** `08:00-18:00` as minutes, for drawing: the server wrote it, so it is well formed. */
function minutesOf(hours: string): { start: number; end: number } {
  const [from = '0:0', until = '0:0'] = hours.split('-');
  const minute = (t: string) => {
    const [h = 0, m = 0] = t.split(':').map(Number);
    return h * 60 + m;
  };
  return { start: minute(from), end: minute(until) };
}

/** "Fri 25 Dec 2026": a date as a calendar day, whatever the browser's own zone. */
function dayOf(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * The weekly schedules a grant may follow: each week drawn as seven bars of 24 hours in the
 * cabinet's time, with the windows written out beside them, and the dated exceptions. A
 * custodian adds schedules, windows and exceptions, and removes a schedule no grant uses.
 */
export function SchedulesPage(props: { canChange: boolean }) {
  const list = useLoad(() => api.get<{ schedules: Schedule[] }>('/api/schedules'), []);
  // Said at the top (a schedule added or removed) and in each schedule's own card (its windows
  // and exceptions), next to the form that was used.
  const page = useActor(list.reload);
  return (
    <div class="fit-table">
      <p class="note">
        Times are the cabinet's own (its time zone), as the cabinet reads them. A grant with a
        schedule lets its key be taken only inside a window, or on an exception&apos;s open hours; a
        grant without one applies at any time. See <a href="#/access">Access</a> for who has which.
      </p>
      {page.result ? <Banner kind={page.result.kind}>{page.result.text}</Banner> : null}
      {list.error ? <Banner kind="error">{list.error}</Banner> : null}
      {props.canChange ? (
        <NewSchedule
          onAdd={(name) =>
            page.act(
              () => api.post('/api/schedules', { name }),
              `Schedule ${name} added: it is closed until it has windows.`,
            )
          }
        />
      ) : null}
      {list.value === null ? (
        <p class="loading">Loading…</p>
      ) : list.value.schedules.length === 0 ? (
        <p>No schedules yet: every grant applies at any time.</p>
      ) : (
        list.value.schedules.map((s) => (
          <ScheduleCard
            key={s.id}
            schedule={s}
            canChange={props.canChange}
            reload={list.reload}
            remove={page.act}
          />
        ))
      )}
    </div>
  );
}

/** Runs a change, then says how it went and reads the schedules again. */
function useActor(reload: () => void) {
  const [result, setResult] = useState<Result>(null);
  const act: Act = async (action, ok) => {
    try {
      await action();
      setResult({ kind: 'ok', text: ok });
      reload();
      return true;
    } catch (error) {
      setResult({ kind: 'error', text: (error as Error).message });
      return false;
    }
  };
  return { result, act };
}

function NewSchedule(props: { onAdd: (name: string) => Promise<boolean> }) {
  const [name, setName] = useState('');
  return (
    <form
      class="panel"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onAdd(name.trim()).then((ok) => ok && setName(''));
      }}
    >
      <h2>Add a schedule</h2>
      <div class="form-row">
        <Field label="Schedule name">
          {(id) => (
            <input
              id={id}
              required
              maxLength={200}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit">Add schedule</button>
      </div>
    </form>
  );
}

type Act = (action: () => Promise<unknown>, ok: string) => Promise<boolean>;

function ScheduleCard(props: {
  schedule: Schedule;
  canChange: boolean;
  reload: () => void;
  /** Removing is said at the top of the page: the card goes with the schedule. */
  remove: Act;
}) {
  const s = props.schedule;
  const card = useActor(props.reload);
  const titleId = `schedule-${s.id}`;
  return (
    <section class="schedule panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{s.name}</h2>
      <p class="note">
        {s.usedBy === 0
          ? 'No grant uses this schedule.'
          : `Used by ${s.usedBy} grant${s.usedBy === 1 ? '' : 's'}.`}
      </p>
      <WeekGrid schedule={s} />
      <h3>Exceptions</h3>
      {s.exceptions.length === 0 ? (
        <p class="note">None: every week is the same.</p>
      ) : (
        <ul class="exceptions">
          {s.exceptions.map((x) => (
            <li key={x.id}>
              <strong>{dayOf(x.date)}</strong>:{' '}
              {x.kind === 'closed'
                ? x.hours
                  ? `closed ${x.hours}`
                  : 'closed all day'
                : x.hours
                  ? `open ${x.hours}`
                  : 'open all day'}
            </li>
          ))}
        </ul>
      )}
      {props.canChange ? (
        <>
          {card.result ? <Banner kind={card.result.kind}>{card.result.text}</Banner> : null}
          <WindowForm schedule={s} act={card.act} />
          <ExceptionForm schedule={s} act={card.act} />
          <RemoveSchedule schedule={s} act={props.remove} />
        </>
      ) : null}
    </section>
  );
}

/** Seven bars of a day each, the windows filled in; the same windows in words for every reader. */
function WeekGrid(props: { schedule: Schedule }) {
  const s = props.schedule;
  return (
    <table class="week">
      <caption class="visually-hidden">{s.name}: open hours each day, in cabinet time</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Open (cabinet time)</th>
          <th scope="col" class="week-bar-head">
            <span class="visually-hidden">Hours of the day</span>
            <span class="week-scale" aria-hidden="true">
              <span>00</span>
              <span>06</span>
              <span>12</span>
              <span>18</span>
              <span>24</span>
            </span>
          </th>
        </tr>
      </thead>
      <tbody>
        {DAYS.map((day) => {
          const windows = s.windows.filter((w) => w.day === day);
          return (
            <tr key={day}>
              <th scope="row">
                <abbr title={DAY_NAMES[day]}>{day}</abbr>
              </th>
              <td class="week-hours">
                {windows.length === 0 ? 'closed' : windows.map((w) => w.hours).join(', ')}
              </td>
              <td class="week-bar" aria-hidden="true">
                {windows.map((w) => {
                  const { start, end } = minutesOf(w.hours);
                  return (
                    <span
                      key={w.id}
                      class="week-window"
                      style={{
                        left: `${(start / 1440) * 100}%`,
                        width: `${((end - start) / 1440) * 100}%`,
                      }}
                    />
                  );
                })}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function WindowForm(props: { schedule: Schedule; act: Act }) {
  const [day, setDay] = useState<string>('Mon');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    void props
      .act(
        () => api.post(`/api/schedules/${props.schedule.id}/windows`, { day, from, until }),
        `${props.schedule.name}: open ${DAY_NAMES[day] ?? day} ${from}–${until}.`,
      )
      .then((ok) => {
        if (!ok) return;
        setFrom('');
        setUntil('');
      });
  };
  return (
    <form class="subform" onSubmit={submit} aria-label={`Add a window to ${props.schedule.name}`}>
      <h3>Add a window</h3>
      <div class="form-row">
        <Field label="Day">
          {(id) => (
            <select id={id} value={day} onChange={(e) => setDay(e.currentTarget.value)}>
              {DAYS.map((d) => (
                <option value={d}>{DAY_NAMES[d]}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From" hint="HH:MM, cabinet time">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              required
              inputMode="numeric"
              placeholder="08:00"
              maxLength={5}
              value={from}
              onInput={(e) => setFrom(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Until" hint="24:00 is midnight">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              required
              inputMode="numeric"
              placeholder="18:00"
              maxLength={5}
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit">Add window</button>
      </div>
      <p class="note">
        A window ends by midnight. For a night shift, add two: until 24:00 on the first day, and
        from 00:00 on the next.
      </p>
    </form>
  );
}

function ExceptionForm(props: { schedule: Schedule; act: Act }) {
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<'closed' | 'open'>('closed');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const hours = from || until ? { from, until } : {};
    void props
      .act(
        () => api.post(`/api/schedules/${props.schedule.id}/exceptions`, { date, kind, ...hours }),
        `${props.schedule.name}: ${date} ${kind}${from ? ` ${from}–${until}` : ' all day'}.`,
      )
      .then((ok) => {
        if (!ok) return;
        setDate('');
        setFrom('');
        setUntil('');
      });
  };
  return (
    <form
      class="subform"
      onSubmit={submit}
      aria-label={`Add an exception to ${props.schedule.name}`}
    >
      <h3>Add an exception</h3>
      <div class="form-row">
        <Field label="Date" hint="In cabinet time">
          {(id, describedBy) => (
            <input
              id={id}
              type="date"
              aria-describedby={describedBy}
              required
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="The cabinet is">
          {(id) => (
            <select
              id={id}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as 'closed' | 'open')}
            >
              <option value="closed">closed</option>
              <option value="open">open</option>
            </select>
          )}
        </Field>
        <Field label="From (optional)" hint="Empty: all day">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              inputMode="numeric"
              placeholder="08:00"
              maxLength={5}
              value={from}
              onInput={(e) => setFrom(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Until (optional)">
          {(id) => (
            <input
              id={id}
              inputMode="numeric"
              placeholder="12:00"
              maxLength={5}
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit">Add exception</button>
      </div>
    </form>
  );
}

function RemoveSchedule(props: { schedule: Schedule; act: Act }) {
  const s = props.schedule;
  if (s.usedBy > 0) {
    return (
      <p class="note">
        It cannot be removed while a grant uses it: revoke or replace those grants on{' '}
        <a href="#/access">Access</a> first (a grant never silently loses its schedule).
      </p>
    );
  }
  return (
    <p>
      <button
        type="button"
        class="secondary"
        onClick={() =>
          void props.act(
            () => api.delete(`/api/schedules/${s.id}`),
            `Schedule ${s.name} removed, with its windows and exceptions.`,
          )
        }
      >
        Remove {s.name}
      </button>
    </p>
  );
}
