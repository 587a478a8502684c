import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, DataTable, Field } from '../../shared/components';
import { formatMinute } from './rule-text';
import { useLoad } from './use-load';
import './keys-records.css';

type KeyState = 'active' | 'lost' | 'stolen' | 'retired';
interface KeyView {
  id: number;
  label: string;
  tag: string | null;
  homeSlot: number | null;
  state: KeyState;
  tier: string | null;
  maxLoanMinutes: number | null;
  curfewMinute: number | null;
  returnPolicy: string;
  outWith: { id: number; name: string } | null;
}

const STATES: KeyState[] = ['active', 'lost', 'stolen', 'retired'];

/** The keys, where each lives and who has it; a custodian marks one lost, stolen or retired. */
export function KeysPage(props: { canChange: boolean }) {
  const keys = useLoad(() => api.get<{ keys: KeyView[] }>('/api/keys'), []);
  return (
    <div class="fit-table">
      {keys.error ? <Banner kind="error">{keys.error}</Banner> : null}
      <DataTable
        caption="Keys"
        rows={keys.value?.keys ?? []}
        rowKey={(k) => k.id}
        rowClass={(k) => (k.state === 'active' ? undefined : 'key-unusable')}
        empty={keys.value ? 'No keys yet.' : 'Loading…'}
        columns={[
          { title: 'Key', cell: (k) => k.label },
          { title: 'Slot', cell: (k) => k.homeSlot ?? '–' },
          { title: 'State', cell: (k) => <span class={`state state-${k.state}`}>{k.state}</span> },
          { title: 'Tier', cell: (k) => k.tier?.replace('_', ' ') ?? '–' },
          {
            title: 'Loan limit',
            cell: (k) =>
              [
                k.maxLoanMinutes === null ? '' : `${k.maxLoanMinutes} min`,
                k.curfewMinute === null ? '' : `back by ${formatMinute(k.curfewMinute)}`,
              ]
                .filter(Boolean)
                .join(', ') || '–',
          },
          { title: 'Out with', cell: (k) => k.outWith?.name ?? 'in the cabinet' },
        ]}
      />
      {props.canChange && keys.value && keys.value.keys.length > 0 ? (
        <KeyStateForm keys={keys.value.keys} onChanged={keys.reload} />
      ) : null}
    </div>
  );
}

function KeyStateForm(props: { keys: KeyView[]; onChanged: () => void }) {
  const [keyId, setKeyId] = useState(String(props.keys[0]?.id ?? ''));
  const [state, setState] = useState<KeyState>('lost');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const { changed } = await api.post<{ changed: boolean }>(`/api/keys/${keyId}/state`, {
        state,
        reason,
      });
      const label = props.keys.find((k) => String(k.id) === keyId)?.label ?? keyId;
      setResult({
        kind: 'ok',
        text: changed ? `${label} is now ${state}.` : `${label} was already ${state}.`,
      });
      setReason('');
      props.onChanged();
    } catch (error) {
      setResult({ kind: 'error', text: (error as Error).message });
    }
  };
  return (
    <form class="panel" onSubmit={(e) => void submit(e)}>
      <h2>Change a key's state</h2>
      {result ? <Banner kind={result.kind}>{result.text}</Banner> : null}
      <div class="form-row">
        <Field label="Key">
          {(id) => (
            <select id={id} value={keyId} onChange={(e) => setKeyId(e.currentTarget.value)}>
              {props.keys.map((k) => (
                <option value={String(k.id)}>{k.label}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="New state">
          {(id) => (
            <select
              id={id}
              value={state}
              onChange={(e) => setState(e.currentTarget.value as KeyState)}
            >
              {STATES.map((s) => (
                <option value={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Reason" hint="Recorded in the audit log with your name.">
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            required
            maxLength={200}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit">Change state</button>
    </form>
  );
}
