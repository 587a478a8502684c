import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../shared/api';
import { Banner, DataTable, Field } from '../../shared/components';
import { formatDate, formatInstant } from '../../shared/format';
import { ROLE_LABELS, type Role } from '../session';
import './accounts.css';

/** An account as GET /api/accounts lists it. */
interface Account {
  account: string;
  role: Role;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
  passwordChangedAt: string;
}

const ROLES: Role[] = ['admin', 'custodian', 'viewer'];

const message = (error: unknown): string =>
  error instanceof ApiError ? error.message : String(error);

function state(a: Account): string {
  if (a.disabled) return 'Disabled';
  // Only the addresses that guessed wrong are locked out; the owner elsewhere still signs in.
  if (a.lockedUntil) return `Enabled; an address locked out until ${formatInstant(a.lockedUntil)}`;
  return 'Enabled';
}

function RoleSelect(props: { id: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <select
      id={props.id}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as Role)}
    >
      {ROLES.map((role) => (
        <option value={role}>{ROLE_LABELS[role]}</option>
      ))}
    </select>
  );
}

/** A new account: name, role, first password (the person changes it after signing in). */
function AddAccount(props: { onAdded: (name: string) => void }) {
  const [account, setAccount] = useState('');
  const [role, setRole] = useState<Role>('custodian');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await api.post('/api/accounts', { account, role, password });
      setAccount('');
      setPassword('');
      setError(null);
      props.onAdded(account);
    } catch (failure) {
      setError(message(failure));
    }
  };
  return (
    <form class="account-form" onSubmit={(e) => void submit(e)} aria-labelledby="add-account">
      <h2 id="add-account">Add an account</h2>
      {error ? <Banner kind="error">{error}</Banner> : null}
      <Field label="Account" hint="Letters, digits and . _ -; it names them in every event.">
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            autoComplete="off"
            required
            maxLength={64}
            value={account}
            onInput={(e) => setAccount(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Role">{(id) => <RoleSelect id={id} value={role} onChange={setRole} />}</Field>
      <Field label="Password" hint="At least 12 characters, not containing the account's name.">
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit">Add account</button>
    </form>
  );
}

/** One account's changes: role, disabled, a new password. Any of them ends its sessions. */
function EditAccount(props: { account: Account; onDone: (note: string | null) => void }) {
  const [role, setRole] = useState<Role>(props.account.role);
  const [disabled, setDisabled] = useState(props.account.disabled);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const change: { role?: Role; disabled?: boolean; password?: string } = {};
    if (role !== props.account.role) change.role = role;
    if (disabled !== props.account.disabled) change.disabled = disabled;
    if (password !== '') change.password = password;
    if (Object.keys(change).length === 0) return props.onDone(null);
    try {
      await api.patch(`/api/accounts/${encodeURIComponent(props.account.account)}`, change);
      props.onDone(`${props.account.account} changed; their sessions have ended.`);
    } catch (failure) {
      setError(message(failure));
    }
  };
  const title = `edit-${props.account.account}`;
  return (
    <form class="account-form" onSubmit={(e) => void submit(e)} aria-labelledby={title}>
      <h2 id={title}>Change {props.account.account}</h2>
      {error ? <Banner kind="error">{error}</Banner> : null}
      <Field label="Role">{(id) => <RoleSelect id={id} value={role} onChange={setRole} />}</Field>
      <div class="field checkbox-field">
        <label>
          <input
            type="checkbox"
            checked={disabled}
            onChange={(e) => setDisabled(e.currentTarget.checked)}
          />{' '}
          Disabled (cannot sign in)
        </label>
      </div>
      <Field label="New password" hint="Leave empty to keep the password.">
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            type="password"
            autoComplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit">Save</button>
        <button type="button" class="secondary" onClick={() => props.onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The administrators' page: the console's accounts, adding one, changing one. */
export function AccountsPage() {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [editing, setEditing] = useState<Account | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setAccounts((await api.get<{ accounts: Account[] }>('/api/accounts')).accounts);
    } catch (failure) {
      setError(message(failure));
    }
  };
  useEffect(() => void load(), []);

  return (
    <div class="accounts-page">
      {error ? <Banner kind="error">{error}</Banner> : null}
      {note ? <Banner kind="ok">{note}</Banner> : null}
      <DataTable
        caption="Who may sign in to this console"
        rows={accounts ?? []}
        rowKey={(a) => a.account}
        empty={accounts === null ? 'Loading…' : 'No accounts.'}
        columns={[
          { title: 'Account', cell: (a) => a.account },
          { title: 'Role', cell: (a) => ROLE_LABELS[a.role] },
          { title: 'State', cell: state },
          {
            title: 'Password set',
            cell: (a) => formatDate(a.passwordChangedAt),
          },
          {
            title: 'Change',
            cell: (a) => (
              <button
                type="button"
                class="secondary"
                aria-label={`Change ${a.account}`}
                onClick={() => {
                  setNote(null);
                  setEditing(a);
                }}
              >
                Change
              </button>
            ),
          },
        ]}
      />
      {editing ? (
        <EditAccount
          key={editing.account}
          account={editing}
          onDone={(done) => {
            setEditing(null);
            setNote(done);
            void load();
          }}
        />
      ) : (
        <AddAccount
          onAdded={(name) => {
            setNote(`${name} added.`);
            void load();
          }}
        />
      )}
    </div>
  );
}
