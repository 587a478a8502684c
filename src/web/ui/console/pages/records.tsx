import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, DataTable, Field } from '../../shared/components';
import { formatInstant, localInputToInstant } from '../../shared/format';
import { EVENT_TYPES } from './event-types';
import { EVENT_WORDS, eventFacts, eventTypeWords, type EventNames } from './event-words';
import { useLoad } from './use-load';
import './keys-records.css';
import './records.css';

interface EventRow {
  seq: number;
  time: string;
  type: string;
  holderId: number | null;
  holderName: string | null;
  keyId: number | null;
  keyLabel: string | null;
  actor: string | null;
  data: Record<string, unknown>;
}
interface EventPage {
  events: EventRow[];
  more: boolean;
  names: EventNames;
}

/** The picker's types in words, in the order of their words. */
const TYPE_CHOICES = [...EVENT_TYPES].sort((a, b) => EVENT_WORDS[a].localeCompare(EVENT_WORDS[b]));

const NO_NAMES: EventNames = { holders: {}, keys: {}, groups: {}, keySets: {}, schedules: {} };

/**
 * An event's details as label/value pairs with names, and the data exactly as recorded behind
 * a disclosure, for an auditor who needs the raw record.
 */
function EventDetails({ event, names }: { event: EventRow; names: EventNames }) {
  const facts = eventFacts(event, names);
  return (
    <>
      {facts.length > 0 ? (
        <dl class="event-facts">
          {facts.map((f) => (
            <div>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <details class="event-raw">
        <summary>Recorded data</summary>
        <pre>{JSON.stringify({ seq: event.seq, type: event.type, data: event.data }, null, 2)}</pre>
      </details>
    </>
  );
}
interface Filter {
  type: string;
  holderId: string;
  keyId: string;
  from: string;
  to: string;
}

const EMPTY: Filter = { type: '', holderId: '', keyId: '', from: '', to: '' };
const PAGE = 50;

/**
 * The event log, newest first, filtered by the server (type, holder, key, a time range typed in
 * the cabinet's wall time) and paged by sequence number: "Older" asks for the events before the
 * last one shown, "Newer" goes back a page.
 */
export function RecordsPage() {
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  // The seq each page shown so far started below (undefined: the newest page).
  const [pages, setPages] = useState<Array<number | undefined>>([undefined]);
  const before = pages[pages.length - 1];
  const keys = useLoad(
    () => api.get<{ keys: Array<{ id: number; label: string }> }>('/api/keys'),
    [],
  );
  const events = useLoad(
    () =>
      api.get<EventPage>('/api/events', {
        type: filter.type,
        holderId: filter.holderId,
        keyId: filter.keyId,
        from: filter.from && localInputToInstant(filter.from),
        to: filter.to && localInputToInstant(filter.to),
        beforeSeq: before,
        limit: PAGE,
      }),
    [filter, before],
  );
  const set = (name: keyof Filter) => (e: Event) =>
    setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value });
  const apply = (event: Event) => {
    event.preventDefault();
    setFilter(draft);
    setPages([undefined]);
  };
  const rows = events.value?.events ?? [];
  const last = rows[rows.length - 1];
  return (
    <div class="fit-table event-log">
      <form class="filters" onSubmit={apply} aria-label="Filter the events">
        <Field label="Event type">
          {(id) => (
            <select id={id} value={draft.type} onChange={set('type')}>
              <option value="">any</option>
              {TYPE_CHOICES.map((t) => (
                <option value={t}>{EVENT_WORDS[t]}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Holder number" hint="As on the People page.">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              inputMode="numeric"
              value={draft.holderId}
              onInput={set('holderId')}
            />
          )}
        </Field>
        <Field label="Key">
          {(id) => (
            <select id={id} value={draft.keyId} onChange={set('keyId')}>
              <option value="">any</option>
              {(keys.value?.keys ?? []).map((k) => (
                <option value={String(k.id)}>{k.label}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From">
          {(id) => <input id={id} type="datetime-local" value={draft.from} onInput={set('from')} />}
        </Field>
        <Field label="Until">
          {(id) => <input id={id} type="datetime-local" value={draft.to} onInput={set('to')} />}
        </Field>
        <div class="actions">
          <button type="submit">Show</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft(EMPTY);
              setFilter(EMPTY);
              setPages([undefined]);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {events.error ? <Banner kind="error">{events.error}</Banner> : null}
      <DataTable
        caption="Events, newest first"
        rows={rows}
        rowKey={(e) => e.seq}
        empty={events.value ? 'No events match.' : 'Loading…'}
        columns={[
          { title: 'Time', cell: (e) => formatInstant(e.time) },
          { title: 'Event', cell: (e) => eventTypeWords(e.type) },
          {
            title: 'Holder',
            cell: (e) => e.holderName ?? (e.holderId === null ? '' : `holder ${e.holderId}`),
          },
          { title: 'Key', cell: (e) => e.keyLabel ?? (e.keyId === null ? '' : `key ${e.keyId}`) },
          { title: 'By', cell: (e) => e.actor ?? '' },
          {
            title: 'Details',
            cell: (e) => <EventDetails event={e} names={events.value?.names ?? NO_NAMES} />,
            className: 'details',
          },
        ]}
      />
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={pages.length === 1}
          onClick={() => setPages(pages.slice(0, -1))}
        >
          Newer
        </button>
        <span aria-live="polite">Page {pages.length}</span>
        <button
          type="button"
          disabled={!events.value?.more || !last}
          onClick={() => last && setPages([...pages, last.seq])}
        >
          Older
        </button>
      </nav>
    </div>
  );
}
