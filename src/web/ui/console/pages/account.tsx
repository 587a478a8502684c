import { useState } from 'preact/hooks';
import { api, useCsrfToken } from '../../shared/api';
import { Banner, Field } from '../../shared/components';
import { ROLE_LABELS, type Role, type SessionState } from '../session';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, newPasswordProblem } from './password-rules';
import type { ActionNote } from './use-action';
import { useLoad } from './use-load';
import './keys-records.css';
import './groups.css';

const MAY: Record<Role, string> = {
  viewer: 'read every page and report; change nothing.',
  custodian: "change the cabinet's records: people, cards, keys, groups, key sets, reason codes.",
  admin: "change everything a custodian may, the tiers' rules, and the console's accounts.",
};

/** Who I am, my role, and changing my own password (every role). */
export function AccountPage() {
  const session = useLoad(() => api.get<SessionState>('/api/session'), []);
  const user = session.value?.user;
  if (session.error) return <Banner kind="error">{session.error}</Banner>;
  if (!user) return <p class="loading">Loading…</p>;
  return (
    <div class="account-page">
      <section aria-labelledby="me-title">
        <h2 id="me-title">Signed in</h2>
        <dl class="facts">
          <dt>Account</dt>
          <dd>{user.account}</dd>
          <dt>Role</dt>
          <dd>
            {ROLE_LABELS[user.role]}: may {MAY[user.role]}
          </dd>
        </dl>
        <p class="note">
          What you change in the cabinet's records is recorded in its event log under your account
          name. Only an administrator can change your role.
        </p>
      </section>
      <PasswordForm account={user.account} />
    </div>
  );
}

function PasswordForm(props: { account: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [tried, setTried] = useState(false);
  const [note, setNote] = useState<ActionNote | null>(null);
  const nextProblem = newPasswordProblem(props.account, next);
  const againProblem = again === next ? null : 'The two new passwords differ.';
  const submit = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    if (nextProblem || againProblem) return;
    try {
      const answer = await api.post<SessionState>('/api/account/password', {
        currentPassword: current,
        newPassword: next,
      });
      // The server renewed this session: its new token guards the next change.
      useCsrfToken(answer.csrfToken);
      setCurrent('');
      setNext('');
      setAgain('');
      setTried(false);
      setNote({
        kind: 'ok',
        text: 'Your password was changed. Every other session of your account has ended; this one goes on.',
      });
    } catch (error) {
      setNote({ kind: 'error', text: (error as Error).message });
    }
  };
  return (
    <form class="panel" aria-labelledby="password-title" onSubmit={(e) => void submit(e)}>
      <h2 id="password-title">Change my password</h2>
      <ul class="rules" id="password-rules">
        <li>
          At least {MIN_PASSWORD_LENGTH} characters (at most {MAX_PASSWORD_LENGTH}); any characters,
          spaces too: a few words make a good one.
        </li>
        <li>It may not contain your account name.</li>
        <li>
          Changing it ends every other session of your account (a browser left signed in elsewhere);
          this one goes on. There is no other "sign out everywhere".
        </li>
        <li>
          Wrong current passwords count as at sign-in: from the third in a row this address waits
          before the next try, and the fifth locks it out of the account for 15 minutes.
        </li>
      </ul>
      {note ? <Banner kind={note.kind}>{note.text}</Banner> : null}
      <Field label="Current password">
        {(id) => (
          <input
            id={id}
            type="password"
            autoComplete="current-password"
            required
            maxLength={MAX_PASSWORD_LENGTH * 4}
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="New password" error={tried ? (nextProblem ?? undefined) : undefined}>
        {(id, describedBy) => (
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            required
            aria-describedby={describedBy ? `${describedBy} password-rules` : 'password-rules'}
            aria-invalid={tried && nextProblem !== null}
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        label="New password again"
        error={tried && !nextProblem ? (againProblem ?? undefined) : undefined}
      >
        {(id, describedBy) => (
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            required
            aria-describedby={describedBy}
            aria-invalid={tried && !nextProblem && againProblem !== null}
            value={again}
            onInput={(e) => setAgain(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit">Change password</button>
    </form>
  );
}
