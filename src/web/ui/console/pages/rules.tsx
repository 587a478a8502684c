import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, DataTable } from '../../shared/components';
import { AccessMatrix } from './access-matrix';
import { useLoad } from './use-load';
import './keys-records.css';

interface TierRule {
  tier: string;
  authorisers: number;
  authoriserGroupId: number | null;
  pin: boolean;
  maxLoanMinutes: number | null;
  reasonCode: boolean;
}
interface Rules {
  tiers: TierRule[];
  groups: Array<{ id: number; name: string; maxLoanMinutes: number | null; members: number }>;
  keySets: Array<{ id: number; name: string; keys: Array<{ id: number; label: string }> }>;
  schedules: Array<{
    id: number;
    name: string;
    windows: Array<{ id: number; day: string; hours: string }>;
    exceptions: Array<{ id: number; date: string; kind: string; hours: string | null }>;
  }>;
  reasonCodes: Array<{ code: string; description: string }>;
  policy: Array<{
    name: string;
    title: string;
    description: string;
    value: number | boolean | null;
  }>;
}

const yesNo = (v: boolean) => (v ? 'yes' : 'no');
const settingText = (v: number | boolean | null) =>
  v === null ? 'no limit' : typeof v === 'boolean' ? yesNo(v) : String(v);

/** Who may take what and what taking asks for; tiers are an administrator's to change. */
export function RulesPage(props: { isAdmin: boolean }) {
  const rules = useLoad(() => api.get<Rules>('/api/rules'), []);
  const r = rules.value;
  if (rules.error) return <Banner kind="error">{rules.error}</Banner>;
  if (!r) return <p class="loading">Loading…</p>;
  const groupName = (id: number | null) =>
    id === null
      ? 'any permitted holder'
      : (r.groups.find((g) => g.id === id)?.name ?? `group ${id}`);
  return (
    <div class="fit-table">
      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">Tiers: what taking a key asks for</h2>
        <DataTable
          caption="Tier rules"
          rows={r.tiers}
          rowKey={(t) => t.tier}
          columns={[
            { title: 'Tier', cell: (t) => t.tier.replace('_', ' ') },
            {
              title: 'Further people',
              cell: (t) => (t.authorisers === 0 ? 'none' : String(t.authorisers)),
            },
            {
              title: 'Authorisers from',
              cell: (t) => (t.authorisers === 0 ? '–' : groupName(t.authoriserGroupId)),
            },
            { title: 'PIN', cell: (t) => yesNo(t.pin) },
            { title: 'Reason code', cell: (t) => yesNo(t.reasonCode) },
            {
              title: 'Loan limit',
              cell: (t) => (t.maxLoanMinutes === null ? '–' : `${t.maxLoanMinutes} min`),
            },
          ]}
        />
        {props.isAdmin ? (
          <TierForm tiers={r.tiers} groups={r.groups} onChanged={rules.reload} />
        ) : null}
      </section>
      <section aria-labelledby="matrix-title">
        <h2 id="matrix-title">Access matrix</h2>
        <AccessMatrix />
      </section>
      <section aria-labelledby="groups-link-title">
        <h2 id="groups-link-title">Groups, key sets and reason codes</h2>
        <p class="note">
          They have a page of their own: <a href="#/groups">Groups and key sets</a> (members, keys
          by label, reason codes).
        </p>
      </section>
      <section aria-labelledby="schedules-title">
        <h2 id="schedules-title">Weekly schedules, permissions and grants</h2>
        <p class="note">
          {r.schedules.length === 0
            ? 'No schedules: grants apply at any time.'
            : `${r.schedules.length} weekly schedule${r.schedules.length === 1 ? '' : 's'}: `}
          see <a href="#/schedules">Schedules</a> for their windows and exceptions, and{' '}
          <a href="#/access">Access</a> to give or revoke a permission or a grant.
        </p>
      </section>
      <section aria-labelledby="policy-title">
        <h2 id="policy-title">The cabinet's policy settings</h2>
        <p class="note">
          These are set in the configuration file (the <code>policy</code> section) and read by the
          daemon at start: change them there and restart it. Shown here read-only.
        </p>
        <DataTable
          caption="Policy settings"
          rows={r.policy}
          rowKey={(p) => p.name}
          columns={[
            { title: 'Setting', cell: (p) => p.title },
            { title: 'Value', cell: (p) => settingText(p.value) },
            { title: 'What it does', cell: (p) => p.description },
          ]}
        />
      </section>
    </div>
  );
}

function TierForm(props: { tiers: TierRule[]; groups: Rules['groups']; onChanged: () => void }) {
  const [tier, setTier] = useState(props.tiers[0]?.tier ?? 'master');
  const current = props.tiers.find((t) => t.tier === tier);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const change = async (patch: Partial<TierRule>) => {
    try {
      await api.put(`/api/tiers/${tier}`, patch);
      setResult({ kind: 'ok', text: `The ${tier.replace('_', ' ')} tier's rule was changed.` });
      props.onChanged();
    } catch (error) {
      setResult({ kind: 'error', text: (error as Error).message });
    }
  };
  return (
    <div class="panel">
      <h3>Change a tier (administrators)</h3>
      {result ? <Banner kind={result.kind}>{result.text}</Banner> : null}
      <label class="inline">
        Tier{' '}
        <select value={tier} onChange={(e) => setTier(e.currentTarget.value)}>
          {props.tiers.map((t) => (
            <option value={t.tier}>{t.tier.replace('_', ' ')}</option>
          ))}
        </select>
      </label>
      {current ? (
        <div class="form-row">
          <label class="inline">
            <input
              type="checkbox"
              checked={current.pin}
              onChange={(e) => void change({ pin: e.currentTarget.checked })}
            />{' '}
            PIN
          </label>
          <label class="inline">
            <input
              type="checkbox"
              checked={current.reasonCode}
              onChange={(e) => void change({ reasonCode: e.currentTarget.checked })}
            />{' '}
            Reason code
          </label>
          <label class="inline">
            Further people{' '}
            <select
              value={String(current.authorisers)}
              onChange={(e) => void change({ authorisers: Number(e.currentTarget.value) })}
            >
              <option value="0">none</option>
              <option value="1">1 (two-person rule)</option>
              <option value="2">2 (three-person rule)</option>
            </select>
          </label>
          <label class="inline">
            Authorisers from{' '}
            <select
              value={current.authoriserGroupId === null ? '' : String(current.authoriserGroupId)}
              disabled={current.authorisers === 0}
              aria-describedby="authoriser-group-note"
              onChange={(e) => {
                const value = e.currentTarget.value;
                void change({ authoriserGroupId: value === '' ? null : Number(value) });
              }}
            >
              <option value="">anyone permitted</option>
              {props.groups.map((g) => (
                <option value={String(g.id)}>group {g.name}</option>
              ))}
            </select>
          </label>
          <p id="authoriser-group-note" class="note">
            {current.authorisers === 0
              ? 'Choose further people first: a group of authorisers applies only when someone is asked for.'
              : 'Who may be the further people: anyone permitted to take the key, or only members of a group.'}
          </p>
        </div>
      ) : null}
    </div>
  );
}
