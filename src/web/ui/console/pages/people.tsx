import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { Banner, DataTable, Field } from '../../shared/components';
import {
  formatDate,
  formatInstant,
  instantToLocalInput,
  localInputToInstant,
} from '../../shared/format';
import './overview-people.css';

interface Row {
  id: number;
  name: string;
  company: string | null;
  enabled: boolean;
  validUntil: string | null;
  expired: boolean;
  cards: number;
  keysOut: number;
}

interface Person {
  id: number;
  name: string;
  company: string | null;
  enabled: boolean;
  validFrom: string | null;
  validUntil: string | null;
  groups: Array<{ id: number; name: string }>;
  keysOut: Array<{ keyId: number; keyLabel: string; slot: number; outAt: string }>;
  cards: Array<{ id: number; card: string; enabled: boolean; pin: boolean }>;
}

const PAGE = 25;
const message = (error: unknown) => (error instanceof ApiError ? error.message : String(error));
const value = (event: Event) => (event.target as HTMLInputElement).value;

export function StatusBadges(props: { row: Pick<Row, 'enabled' | 'expired' | 'keysOut'> }) {
  const { row } = props;
  return (
    <span>
      {row.expired ? <span class="badge badge-expired">expired</span> : null}{' '}
      {!row.enabled ? <span class="badge badge-disabled">disabled</span> : null}{' '}
      {row.keysOut > 0 ? <span class="badge badge-out">{row.keysOut} out</span> : null}
    </span>
  );
}

function PersonPanel(props: { id: number; onChanged: () => void; onClose: () => void }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [until, setUntil] = useState('');
  const [card, setCard] = useState('');
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const load = async () => {
    const p = await api.get<Person>(`/api/people/${props.id}`);
    setPerson(p);
    setUntil(instantToLocalInput(p.validUntil));
  };
  useEffect(() => {
    void load().catch((e: unknown) => setNote({ kind: 'error', text: message(e) }));
  }, [props.id]);
  // Leaving the person (another person, another console page, sign-out) ends a wait for a tap:
  // the server cancels the enrolment when its request goes away, so a card tapped later is not
  // enrolled for someone no longer on the screen.
  const enrolWait = useRef<AbortController | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  useEffect(() => () => enrolWait.current?.abort(), [props.id]);
  const act = async (what: () => Promise<string>) => {
    try {
      setNote({ kind: 'ok', text: await what() });
      await load();
      props.onChanged();
    } catch (e) {
      setNote({ kind: 'error', text: message(e) });
    }
  };
  if (!person) return note ? <Banner kind="error">{note.text}</Banner> : null;
  return (
    <section class="person" aria-labelledby="person-name">
      <h2 id="person-name">
        {person.name}
        {person.company ? ` · ${person.company}` : ''}
      </h2>
      {note ? <Banner kind={note.kind}>{note.text}</Banner> : null}
      <p>
        Valid {person.validFrom ? `from ${formatInstant(person.validFrom)} ` : ''}
        {person.validUntil ? `until ${formatInstant(person.validUntil)}` : 'with no end'}
        {person.groups.length > 0
          ? ` · groups: ${person.groups.map((g) => g.name).join(', ')}`
          : ''}
      </p>
      <h3>Keys out</h3>
      {person.keysOut.length === 0 ? (
        <p class="quiet">None.</p>
      ) : (
        <ul>
          {person.keysOut.map((k) => (
            <li key={k.keyId}>
              {k.keyLabel} (slot {k.slot}) since {formatInstant(k.outAt)}
            </li>
          ))}
        </ul>
      )}
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await api.patch(`/api/people/${person.id}`, {
              validUntil: until ? localInputToInstant(until) : null,
            });
            return 'Validity saved.';
          });
        }}
      >
        <Field label="Valid until (cabinet time)">
          {(id, describedBy) => (
            <input
              id={id}
              type="datetime-local"
              aria-describedby={describedBy}
              value={until}
              onInput={(e) => setUntil(value(e))}
            />
          )}
        </Field>
        <button type="submit">Save validity</button>
      </form>
      <div class="actions">
        {person.enabled ? (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void act(async () => {
                const r = await api.post<{ outstanding: Person['keysOut'] }>(
                  `/api/people/${person.id}/disable`,
                );
                return r.outstanding.length > 0
                  ? `Disabled. Still out: ${r.outstanding.map((k) => k.keyLabel).join(', ')}.`
                  : 'Disabled.';
              })
            }
          >
            Disable{person.keysOut.length > 0 ? ` (${person.keysOut.length} key(s) still out)` : ''}
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void act(async () => {
                await api.post(`/api/people/${person.id}/enable`);
                return 'Enabled.';
              })
            }
          >
            Enable
          </button>
        )}
        <button type="button" class="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
      <h3>Cards</h3>
      <ul>
        {person.cards.map((c) => (
          <li key={c.id}>
            Card {c.card} {c.enabled ? '' : '(disabled) '}
            {c.pin ? '· PIN set ' : ''}
            <button
              type="button"
              class="link"
              onClick={() =>
                void act(async () => {
                  await api.patch(`/api/people/cards/${c.id}`, { enabled: !c.enabled });
                  return c.enabled ? 'Card disabled.' : 'Card enabled.';
                })
              }
            >
              {c.enabled ? 'Disable card' : 'Enable card'}
            </button>{' '}
            <button
              type="button"
              class="link"
              onClick={() =>
                void act(async () => {
                  await api.post(`/api/people/cards/${c.id}/pin-reset`);
                  return 'PIN reset: the holder sets a new one.';
                })
              }
            >
              Reset PIN
            </button>
          </li>
        ))}
      </ul>
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await api.post(`/api/people/${person.id}/cards`, { card });
            setCard('');
            return 'Card added.';
          });
        }}
      >
        <Field label="Card number">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={card}
              autocomplete="off"
              onInput={(e) => setCard(value(e))}
            />
          )}
        </Field>
        <button type="submit">Add card</button>
        <button
          type="button"
          class="secondary"
          // One wait at a time: a second click while one runs would lose the first one's
          // cancel handle, and leaving the page would then leave the first wait armed.
          disabled={enrolling}
          onClick={() => {
            if (enrolWait.current !== null) return;
            const waiting = new AbortController();
            enrolWait.current = waiting;
            setEnrolling(true);
            void act(async () => {
              setNote({ kind: 'ok', text: 'Tap the card at the cabinet now (one minute)…' });
              let r: { enrolled: boolean; message: string };
              try {
                r = await api.post(`/api/people/${person.id}/cards/enrol`, {}, waiting.signal);
              } catch (e) {
                if (waiting.signal.aborted) return 'Enrolment cancelled: no card was enrolled.';
                throw e;
              } finally {
                if (enrolWait.current === waiting) enrolWait.current = null;
                setEnrolling(false);
              }
              if (!r.enrolled) throw new Error(r.message);
              return r.message;
            });
          }}
        >
          Enrol by tapping at the cabinet
        </button>
      </form>
    </section>
  );
}

interface PeoplePage {
  rows: Row[];
  total: number;
  /** The server stopped counting: more than `total` match. */
  moreThanTotal: boolean;
}

/**
 * The pager, saying "of more than 1,000" when the server stopped counting a broad search (an
 * exact count would read every holder at each page); Next stays available while more follow.
 */
function PeoplePager(props: { offset: number; page: PeoplePage; onOffset: (n: number) => void }) {
  const { offset, page } = props;
  const last = offset + page.rows.length;
  const more = page.moreThanTotal ? page.total >= offset + PAGE : last < page.total;
  const of = page.moreThanTotal
    ? `more than ${page.total.toLocaleString()}`
    : page.total.toLocaleString();
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => props.onOffset(Math.max(0, offset - PAGE))}
      >
        Previous
      </button>
      <span aria-live="polite">
        {page.rows.length === 0
          ? page.total === 0
            ? 'none'
            : `none here, of ${of}`
          : `${offset + 1}–${last} of ${of}`}
      </span>
      <button type="button" disabled={!more} onClick={() => props.onOffset(offset + PAGE)}>
        Next
      </button>
    </nav>
  );
}

/** Holders: search, filters and paging done by the server; a person opened below the list. */
export function People() {
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [groups, setGroups] = useState<Array<{ id: number; name: string }>>([]);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<PeoplePage | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  // Searching again for the same words reads again: the records may have changed meanwhile.
  const [searches, setSearches] = useState(0);

  const load = async () => {
    try {
      setPage(await api.get('/api/people', { text: query, ...filters, offset, limit: PAGE }));
      setFailure(null);
    } catch (e) {
      setFailure(message(e));
    }
  };
  useEffect(() => {
    void load();
  }, [query, filters, offset, searches]);
  useEffect(() => {
    void api
      .get<{ groups: Array<{ id: number; name: string }> }>('/api/people/filters')
      .then((r) => setGroups(r.groups));
  }, []);
  const filter = (name: string) => (e: Event) => {
    setOffset(0);
    setFilters({ ...filters, [name]: value(e) });
  };
  const select = (label: string, name: string, options: Array<[string, string]>) => (
    <Field label={label}>
      {(id) => (
        <select id={id} value={filters[name] ?? ''} onChange={filter(name)}>
          <option value="">Any</option>
          {options.map(([v, l]) => (
            <option value={v}>{l}</option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <div>
      {failure ? <Banner kind="error">{failure}</Banner> : null}
      <form
        class="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setQuery(text);
          setSearches(searches + 1);
        }}
      >
        <Field label="Name, company or card">
          {(id) => <input id={id} type="search" value={text} onInput={(e) => setText(value(e))} />}
        </Field>
        <button type="submit">Search</button>
        {select(
          'Group',
          'groupId',
          groups.map((g) => [String(g.id), g.name]),
        )}
        {select('Enabled', 'enabled', [
          ['true', 'Enabled'],
          ['false', 'Disabled'],
        ])}
        {select('Validity', 'expired', [
          ['false', 'Current'],
          ['true', 'Expired'],
        ])}
        {select('Keys out', 'keysOut', [
          ['true', 'Has keys out'],
          ['false', 'No keys out'],
        ])}
      </form>
      {page ? (
        <>
          <DataTable<Row>
            caption="Holders"
            rows={page.rows}
            rowKey={(r) => r.id}
            empty="Nobody matches."
            columns={[
              {
                title: 'Name',
                cell: (r) => (
                  <button type="button" class="link" onClick={() => setOpen(r.id)}>
                    {r.name}
                  </button>
                ),
              },
              { title: 'Company', cell: (r) => r.company ?? '' },
              { title: 'Valid until', cell: (r) => formatDate(r.validUntil) },
              { title: 'Cards', cell: (r) => r.cards },
              { title: 'Status', cell: (r) => <StatusBadges row={r} /> },
            ]}
          />
          <PeoplePager offset={offset} page={page} onOffset={setOffset} />
        </>
      ) : (
        <p class="loading">Loading…</p>
      )}
      {open !== null ? (
        <PersonPanel id={open} onChanged={() => void load()} onClose={() => setOpen(null)} />
      ) : null}
    </div>
  );
}
