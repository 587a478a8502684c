import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { Banner, Field } from '../../shared/components';
import { formatInstant, localInputToInstant } from '../../shared/format';
import './overview-people.css';

interface Choices {
  keys: Array<{ id: number; label: string; slot: number }>;
  keySets: Array<{ id: number; name: string; keys: number }>;
}

const value = (event: Event) => (event.target as HTMLInputElement).value;

/**
 * A contractor in one step: who, their company and card, which keys (or a key set), from and
 * until. One call adds all of it or nothing; their access ends by itself at "until".
 */
export function Contractor() {
  const [choices, setChoices] = useState<Choices | null>(null);
  const [form, setForm] = useState({ name: '', company: '', card: '', from: '', until: '' });
  const [keyIds, setKeyIds] = useState<number[]>([]);
  const [keySetId, setKeySetId] = useState('');
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    void api
      .get<Choices>('/api/contractors/choices')
      .then(setChoices)
      .catch((e: unknown) => setResult({ kind: 'error', text: String(e) }));
  }, []);
  const set = (name: keyof typeof form) => (e: Event) => setForm({ ...form, [name]: value(e) });
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const added = await api.post<{ holderId: number }>('/api/contractors', {
        name: form.name,
        company: form.company,
        card: form.card,
        keyIds,
        keySetId: keySetId ? Number(keySetId) : null,
        validFrom: form.from ? localInputToInstant(form.from) : null,
        validUntil: form.until ? localInputToInstant(form.until) : '',
      });
      setResult({
        kind: 'ok',
        text: `${form.name} (${form.company}) added: access until ${formatInstant(
          localInputToInstant(form.until),
        )}, then it ends by itself (holder ${added.holderId}).`,
      });
      setForm({ name: '', company: '', card: '', from: '', until: '' });
      setKeyIds([]);
      setKeySetId('');
    } catch (e) {
      setResult({ kind: 'error', text: e instanceof ApiError ? e.message : String(e) });
    }
  };
  const text = (label: string, name: keyof typeof form, type = 'text', hint?: string) => (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id, describedBy) => (
        <input
          id={id}
          type={type}
          aria-describedby={describedBy}
          value={form[name]}
          autocomplete="off"
          onInput={set(name)}
        />
      )}
    </Field>
  );
  return (
    <form onSubmit={(e) => void submit(e)}>
      {result ? <Banner kind={result.kind}>{result.text}</Banner> : null}
      <div class="form-grid">
        {text('Name', 'name')}
        {text('Company', 'company')}
        {text('Card number', 'card')}
        {text('From (cabinet time)', 'from', 'datetime-local', 'Empty: from now')}
        {text('Until (cabinet time)', 'until', 'datetime-local', 'Access ends by itself then')}
      </div>
      <fieldset class="key-choices">
        <legend>Keys</legend>
        {choices?.keys.map((k) => (
          <label key={k.id}>
            <input
              type="checkbox"
              checked={keyIds.includes(k.id)}
              onChange={(e) =>
                setKeyIds(
                  (e.target as HTMLInputElement).checked
                    ? [...keyIds, k.id]
                    : keyIds.filter((id) => id !== k.id),
                )
              }
            />{' '}
            {k.label} (slot {k.slot})
          </label>
        ))}
      </fieldset>
      <div class="form-grid">
        <Field label="Or a key set">
          {(id) => (
            <select id={id} value={keySetId} onChange={(e) => setKeySetId(value(e))}>
              <option value="">None</option>
              {choices?.keySets.map((s) => (
                <option value={String(s.id)}>
                  {s.name} ({s.keys} keys)
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <p>
        <button type="submit">Add contractor</button>
      </p>
    </form>
  );
}
