import { useState } from 'preact/hooks';
import { api, ApiError, useCsrfToken } from '../shared/api';
import { Banner, Field } from '../shared/components';
import type { SessionState } from './session';
import './sign-in.css';

/** What the person is told for each refusal of the sign-in (the server's own words otherwise). */
function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return `The server could not be reached: ${String(error)}`;
  switch (error.code) {
    case 'SIGN_IN_FAILED':
      return 'Wrong account or password.';
    case 'CSRF':
      return 'The page was out of date; it has been refreshed. Please sign in again.';
    default:
      // LOCKED ("locked for 12 more minutes"), SLOWED ("try again in 10 seconds"),
      // TOO_MANY_ATTEMPTS, DISABLED, BUSY, USAGE.
      return error.message.charAt(0).toUpperCase() + error.message.slice(1) + '.';
  }
}

/**
 * The console's sign-in: account and password, sent with the CSRF token of this browser (the
 * shell fetched it with GET /api/session). The answer's token replaces it for the session.
 */
export function SignIn(props: { onSignedIn: () => void }) {
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const state = await api.post<SessionState>('/api/session', { account, password });
      useCsrfToken(state.csrfToken);
      setPassword('');
      props.onSignedIn();
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'CSRF') {
        // A token from before a restart of the console: fetch this browser's token anew.
        const state = await api.get<SessionState>('/api/session').catch(() => null);
        if (state) useCsrfToken(state.csrfToken);
      }
      setPassword('');
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Keywarden</h1>
        <p class="sign-in-lead">Sign in to the cabinet's console.</p>
        {error ? <Banner kind="error">{error}</Banner> : null}
        <Field label="Account">
          {(id) => (
            <input
              id={id}
              name="account"
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
              maxLength={64}
              value={account}
              onInput={(e) => setAccount(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Password">
          {(id) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={1024}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
