import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, Field } from '../../shared/components';

/** A holder as the people search lists them. */
export interface FoundPerson {
  id: number;
  name: string;
  company: string | null;
}

/** Finds people by part of a name or company (the people search), to add one to the group. */
export function MemberSearch(props: { onAdd: (person: FoundPerson) => void }) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<FoundPerson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async () => {
    try {
      const page = await api.get<{ rows: FoundPerson[] }>('/api/people', { text, limit: 8 });
      setFound(page.rows);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div class="member-search">
      <form
        class="form-row"
        role="search"
        aria-label="People search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <Field label="Find a person to add" hint="Part of a name or company, or a whole card.">
          {(id, describedBy) => (
            <input
              id={id}
              type="search"
              aria-describedby={describedBy}
              maxLength={200}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-action">
          <button type="submit">Find</button>
        </div>
      </form>
      {error ? <Banner kind="error">{error}</Banner> : null}
      {found ? (
        found.length === 0 ? (
          <p class="quiet">Nobody found.</p>
        ) : (
          <ul class="found-people">
            {found.map((p) => (
              <li key={p.id}>
                <span>
                  {p.name}
                  {p.company ? ` · ${p.company}` : ''}
                </span>{' '}
                <button type="button" onClick={() => props.onAdd(p)}>
                  Add<span class="visually-hidden"> {p.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
