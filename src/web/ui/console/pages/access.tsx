import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, DataTable, Field, Pager } from '../../shared/components';
import { formatInstant, localInputToInstant } from '../../shared/format';
import { AccessMatrix } from './access-matrix';
import { useLoad } from './use-load';
import './keys-records.css';
import './schedules-access.css';

interface Named {
  id: number;
  name: string;
}
interface Choices {
  groups: Named[];
  keySets: Named[];
  keys: Array<{ id: number; label: string; slot: number }>;
  schedules: Named[];
}
interface Entry {
  kind: 'permission' | 'grant';
  id: number;
  holder: Named | null;
  group: Named | null;
  key: { slot: number; keyId: number | null; label: string | null } | null;
  keySet: Named | null;
  schedule: Named | null;
  validFrom: string | null;
  validUntil: string | null;
  when: 'current' | 'future';
}
interface Person {
  id: number;
  name: string;
  company: string | null;
  enabled: boolean;
  expired: boolean;
}

const PAGE = 25;
type Result = { kind: 'ok' | 'error' | 'info'; text: string } | null;

const whoOf = (e: Entry) => (e.holder ? e.holder.name : e.group ? `group ${e.group.name}` : '–');
const whatOf = (e: Entry) =>
  e.key
    ? (e.key.label ?? `slot ${e.key.slot} (empty)`)
    : e.keySet
      ? `key set ${e.keySet.name}`
      : '–';

/**
 * Who may take which key: give a person or a group a key or a key set, at any time or on a
 * schedule, from–until in cabinet time; the permissions and grants in force or still to come,
 * by name, each revocable; and the access matrix, which shows every change at once.
 */
export function AccessPage(props: { canChange: boolean }) {
  const [offset, setOffset] = useState(0);
  const [version, setVersion] = useState(0);
  const [result, setResult] = useState<Result>(null);
  const entries = useLoad(
    () => api.get<{ entries: Entry[]; total: number }>('/api/access', { offset, limit: PAGE }),
    [offset, version],
  );
  const changed = () => setVersion((v) => v + 1);
  const revoke = async (e: Entry) => {
    try {
      await api.delete(
        e.kind === 'grant' || !e.holder || !e.key
          ? `/api/access/grant/${e.id}`
          : `/api/access/permission/${e.holder.id}/${e.key.slot}`,
      );
      setResult({
        kind: 'ok',
        text: `Revoked: ${whoOf(e)} may no longer take ${whatOf(e)}. A key already out stays on loan.`,
      });
      changed();
    } catch (error) {
      setResult({ kind: 'error', text: (error as Error).message });
    }
  };
  return (
    <div class="fit-table">
      <p class="note">
        A <strong>permission</strong> is one person&apos;s on one key; a <strong>grant</strong>{' '}
        names a group, a key set or a <a href="#/schedules">schedule</a>. Either may be time-boxed
        (from–until, in cabinet time) and ends by itself.
      </p>
      {props.canChange ? (
        <GrantForm
          onDone={(r) => {
            setResult(r);
            if (r?.kind !== 'error') changed();
          }}
        />
      ) : null}
      {result ? <Banner kind={result.kind}>{result.text}</Banner> : null}
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">Permissions and grants in force or to come</h2>
        {entries.error ? <Banner kind="error">{entries.error}</Banner> : null}
        <DataTable
          caption="Who may take what, and when (ended ones are not listed)"
          rows={entries.value?.entries ?? []}
          rowKey={(e) => `${e.kind}-${e.id}`}
          empty={entries.value ? 'Nobody may take any key yet.' : 'Loading…'}
          columns={[
            { title: 'Who', cell: whoOf },
            { title: 'May take', cell: whatOf },
            { title: 'When', cell: (e) => e.schedule?.name ?? 'any time' },
            {
              title: 'From–until',
              cell: (e) =>
                e.validFrom || e.validUntil
                  ? `${e.validFrom ? formatInstant(e.validFrom) : 'now'} – ${e.validUntil ? formatInstant(e.validUntil) : 'no end'}`
                  : 'no end',
            },
            {
              title: 'Status',
              cell: (e) => (
                <span class={`entry-${e.when}`}>
                  {e.when === 'future' ? 'starts later' : 'in force'}
                </span>
              ),
            },
            ...(props.canChange
              ? [
                  {
                    title: 'Change',
                    cell: (e: Entry) => (
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`Revoke: ${whoOf(e)}, ${whatOf(e)}`}
                        onClick={() => void revoke(e)}
                      >
                        Revoke
                      </button>
                    ),
                  },
                ]
              : []),
          ]}
        />
        {entries.value ? (
          <Pager offset={offset} limit={PAGE} total={entries.value.total} onOffset={setOffset} />
        ) : null}
      </section>
      <section aria-labelledby="access-matrix-title">
        <h2 id="access-matrix-title">Access matrix</h2>
        <AccessMatrix version={version} />
      </section>
    </div>
  );
}

/** Finds a person by part of a name (a cabinet may have 100,000), then picks one of 20. */
function PersonPicker(props: { value: string; onPick: (id: string, name: string) => void }) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<Person[] | null>(null);
  const search = async () => {
    const page = await api.get<{ rows: Person[] }>('/api/people', { text, limit: 20 });
    setFound(page.rows);
    const first = page.rows[0];
    props.onPick(first ? String(first.id) : '', first?.name ?? '');
  };
  return (
    <>
      <Field label="Find a person" hint="Part of a name or a company">
        {(id, describedBy) => (
          <span class="find">
            <input
              id={id}
              aria-describedby={describedBy}
              type="search"
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void search();
                }
              }}
            />
            <button type="button" class="secondary" onClick={() => void search()}>
              Find
            </button>
          </span>
        )}
      </Field>
      <Field label="Person">
        {(id) => (
          <select
            id={id}
            required
            value={props.value}
            onChange={(e) => {
              const id = e.currentTarget.value;
              props.onPick(id, found?.find((p) => String(p.id) === id)?.name ?? '');
            }}
          >
            {found === null ? <option value="">Find someone first</option> : null}
            {found?.length === 0 ? <option value="">Nobody found</option> : null}
            {found?.map((p) => (
              <option value={String(p.id)}>
                {p.name}
                {p.company ? ` (${p.company})` : ''}
                {!p.enabled ? ', disabled' : p.expired ? ', access ended' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

function GrantForm(props: { onDone: (result: Result) => void }) {
  const choices = useLoad(() => api.get<Choices>('/api/access/choices'), []);
  const [who, setWho] = useState<'holder' | 'group'>('holder');
  const [what, setWhat] = useState<'key' | 'keySet'>('key');
  const [holderId, setHolderId] = useState('');
  const [personName, setPersonName] = useState('');
  const [groupId, setGroupId] = useState('');
  const [keyId, setKeyId] = useState('');
  const [keySetId, setKeySetId] = useState('');
  const [scheduleId, setScheduleId] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const c = choices.value;
  const firstOf = (list: Array<{ id: number }> | undefined, value: string) =>
    value || (list?.[0] ? String(list[0].id) : '');
  const submit = async (event: Event) => {
    event.preventDefault();
    const subject =
      who === 'holder'
        ? { holderId: Number(holderId) }
        : { groupId: Number(firstOf(c?.groups, groupId)) };
    const target =
      what === 'key'
        ? { keyId: Number(firstOf(c?.keys, keyId)) }
        : { keySetId: Number(firstOf(c?.keySets, keySetId)) };
    try {
      const added = await api.post<{ kind: string; outcome: string; warning: string | null }>(
        '/api/access',
        {
          ...subject,
          ...target,
          scheduleId: scheduleId ? Number(scheduleId) : null,
          validFrom: from ? localInputToInstant(from) : null,
          validUntil: until ? localInputToInstant(until) : null,
        },
      );
      const nameIn = (list: Named[] | undefined, id: number | undefined) =>
        list?.find((x) => x.id === id)?.name ?? '';
      const whoName =
        'holderId' in subject ? personName : `group ${nameIn(c?.groups, subject.groupId)}`;
      const whatName =
        'keyId' in target
          ? (c?.keys.find((k) => k.id === target.keyId)?.label ?? '')
          : `key set ${nameIn(c?.keySets, target.keySetId)}`;
      const when = [
        scheduleId ? `on ${nameIn(c?.schedules, Number(scheduleId))}` : 'at any time',
        from ? `from ${formatInstant(localInputToInstant(from))}` : '',
        until ? `until ${formatInstant(localInputToInstant(until))}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const text =
        added.outcome === 'unchanged'
          ? 'Already so: nothing was changed.'
          : `${added.kind === 'permission' ? 'Permission' : 'Grant'} ${added.outcome}: ${whoName} may take ${whatName} ${when}.`;
      props.onDone(
        added.warning
          ? { kind: 'info', text: `${text} Note: ${added.warning}.` }
          : { kind: 'ok', text },
      );
      setFrom('');
      setUntil('');
    } catch (error) {
      props.onDone({ kind: 'error', text: (error as Error).message });
    }
  };
  return (
    <form class="panel" onSubmit={(e) => void submit(e)}>
      <h2>Give access</h2>
      {choices.error ? <Banner kind="error">{choices.error}</Banner> : null}
      <fieldset class="choice">
        <legend>To</legend>
        <label class="inline">
          <input
            type="radio"
            name="who"
            checked={who === 'holder'}
            onChange={() => setWho('holder')}
          />
          a person
        </label>
        <label class="inline">
          <input
            type="radio"
            name="who"
            checked={who === 'group'}
            onChange={() => setWho('group')}
          />
          a group
        </label>
      </fieldset>
      <div class="form-row">
        {who === 'holder' ? (
          <PersonPicker
            value={holderId}
            onPick={(id, name) => {
              setHolderId(id);
              setPersonName(name);
            }}
          />
        ) : (
          <Field label="Group">
            {(id) => (
              <select
                id={id}
                value={firstOf(c?.groups, groupId)}
                onChange={(e) => setGroupId(e.currentTarget.value)}
              >
                {c?.groups.map((g) => (
                  <option value={String(g.id)}>{g.name}</option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <fieldset class="choice">
        <legend>May take</legend>
        <label class="inline">
          <input
            type="radio"
            name="what"
            checked={what === 'key'}
            onChange={() => setWhat('key')}
          />
          a key
        </label>
        <label class="inline">
          <input
            type="radio"
            name="what"
            checked={what === 'keySet'}
            onChange={() => setWhat('keySet')}
          />
          a key set
        </label>
      </fieldset>
      <div class="form-row">
        {what === 'key' ? (
          <Field label="Key">
            {(id) => (
              <select
                id={id}
                value={firstOf(c?.keys, keyId)}
                onChange={(e) => setKeyId(e.currentTarget.value)}
              >
                {c?.keys.map((k) => (
                  <option value={String(k.id)}>
                    {k.label} (slot {k.slot})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label="Key set">
            {(id) => (
              <select
                id={id}
                value={firstOf(c?.keySets, keySetId)}
                onChange={(e) => setKeySetId(e.currentTarget.value)}
              >
                {c?.keySets.map((s) => (
                  <option value={String(s.id)}>{s.name}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="When" hint="A schedule limits it to its open hours">
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={scheduleId}
              onChange={(e) => setScheduleId(e.currentTarget.value)}
            >
              <option value="">At any time</option>
              {c?.schedules.map((s) => (
                <option value={String(s.id)}>{s.name}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div class="form-row">
        <Field label="From (cabinet time)" hint="Empty: from now">
          {(id, describedBy) => (
            <input
              id={id}
              type="datetime-local"
              aria-describedby={describedBy}
              value={from}
              onInput={(e) => setFrom(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Until (cabinet time)" hint="Empty: no end">
          {(id, describedBy) => (
            <input
              id={id}
              type="datetime-local"
              aria-describedby={describedBy}
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <button type="submit">Give access</button>
    </form>
  );
}
