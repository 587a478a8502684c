import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, DataTable, Field } from '../../shared/components';
import { ConfirmButton } from './confirm-button';
import { useAction } from './use-action';
import { useLoad } from './use-load';

interface KeySet {
  id: number;
  name: string;
  keys: Array<{ id: number; label: string }>;
}

/** The key sets with their keys by label; custodians add, rename and remove them. */
export function KeySetsSection(props: { canChange: boolean }) {
  const sets = useLoad(() => api.get<{ keySets: KeySet[] }>('/api/key-sets'), []);
  const keys = useLoad(
    () =>
      props.canChange
        ? api.get<{ keys: Array<{ id: number; label: string }> }>('/api/keys')
        : Promise.resolve({ keys: [] }),
    [props.canChange],
  );
  const action = useAction(sets.reload);
  const [name, setName] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);
  const labels = [...new Set((keys.value?.keys ?? []).map((k) => k.label))].sort();
  const list = sets.value?.keySets ?? [];
  const open = list.find((s) => s.id === openId);
  return (
    <section aria-labelledby="key-sets-title">
      <h2 id="key-sets-title">Key sets</h2>
      <p class="note">
        A key set that a permission names cannot be removed: revoke that permission first. Removing
        a set leaves its keys as they are.
      </p>
      {sets.error ? <Banner kind="error">{sets.error}</Banner> : null}
      <DataTable
        caption="Key sets, with their keys"
        rows={list}
        rowKey={(s) => s.id}
        empty={sets.value ? 'No key sets yet.' : 'Loading…'}
        columns={[
          {
            title: 'Key set',
            cell: (s) =>
              props.canChange ? (
                <button
                  type="button"
                  class="link"
                  aria-expanded={s.id === openId}
                  onClick={() => setOpenId(s.id === openId ? null : s.id)}
                >
                  {s.name}
                </button>
              ) : (
                s.name
              ),
          },
          { title: 'Keys', cell: (s) => s.keys.map((k) => k.label).join(', ') || '–' },
        ]}
      />
      {action.note ? <Banner kind={action.note.kind}>{action.note.text}</Banner> : null}
      {props.canChange && open ? (
        <KeySetPanel
          key={open.id}
          set={open}
          labels={labels}
          run={action.run}
          onRemoved={() => setOpenId(null)}
        />
      ) : null}
      {props.canChange ? (
        <form
          class="panel"
          aria-labelledby="add-key-set-title"
          onSubmit={(e) => {
            e.preventDefault();
            void action
              .run(async () => {
                const { id } = await api.post<{ id: number }>('/api/key-sets', { name });
                setOpenId(id);
                return `Key set ${name.trim()} added.`;
              })
              .then((ok) => {
                if (ok) setName('');
              });
          }}
        >
          <h3 id="add-key-set-title">Add a key set</h3>
          <div class="form-row">
            <Field label="Key set name" hint="Up to 200 characters; no two sets share a name.">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  required
                  maxLength={200}
                  value={name}
                  onInput={(e) => setName(e.currentTarget.value)}
                />
              )}
            </Field>
            <div class="form-action">
              <button type="submit">Add key set</button>
            </div>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** One key set opened by a custodian: its keys (each taken out by a button), a key added by label, rename, remove. */
function KeySetPanel(props: {
  set: KeySet;
  labels: string[];
  run: (change: () => Promise<string>) => Promise<boolean>;
  onRemoved: () => void;
}) {
  const { set } = props;
  const [label, setLabel] = useState('');
  const [name, setName] = useState(set.name);
  const headingId = `key-set-${set.id}`;
  return (
    <div class="panel key-set" role="region" aria-labelledby={headingId}>
      <h3 id={headingId}>{set.name}</h3>
      {set.keys.length === 0 ? (
        <p class="quiet">No keys in this set.</p>
      ) : (
        <ul class="chips" aria-label={`Keys in ${set.name}`}>
          {set.keys.map((k) => (
            <li key={k.id}>
              {k.label}{' '}
              <button
                type="button"
                class="secondary chip-remove"
                onClick={() =>
                  void props.run(async () => {
                    await api.delete(`/api/key-sets/${set.id}/keys/${k.id}`);
                    return `${k.label} is no longer in ${set.name}.`;
                  })
                }
              >
                Take out<span class="visually-hidden"> {k.label}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void props.run(async () => {
            const { changed } = await api.post<{ changed: boolean }>(
              `/api/key-sets/${set.id}/keys`,
              { label },
            );
            return changed ? `${label} is now in ${set.name}.` : `${label} was already there.`;
          });
        }}
      >
        <Field label={`Key to add to ${set.name}`}>
          {(id) => (
            <select
              id={id}
              required
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
            >
              <option value="">Choose a key…</option>
              {props.labels.map((l) => (
                <option value={l}>{l}</option>
              ))}
            </select>
          )}
        </Field>
        <div class="form-action">
          <button type="submit">Add key</button>
        </div>
      </form>
      <form
        class="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void props.run(async () => {
            await api.patch(`/api/key-sets/${set.id}`, { name });
            return `Key set ${set.name} is now named ${name.trim()}.`;
          });
        }}
      >
        <Field label={`New name for ${set.name}`}>
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
        <div class="form-action">
          <button type="submit">Rename</button>
        </div>
      </form>
      <ConfirmButton
        label={`Remove the key set ${set.name}`}
        confirm={`Yes, remove ${set.name}`}
        onConfirm={() =>
          void props
            .run(async () => {
              await api.delete(`/api/key-sets/${set.id}`);
              return `Key set ${set.name} removed.`;
            })
            .then((ok) => {
              if (ok) props.onRemoved();
            })
        }
      />
    </div>
  );
}
