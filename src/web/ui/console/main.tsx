import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onSignedOut, useCsrfToken } from '../shared/api';
import { Banner } from '../shared/components';
import { useTimeZone } from '../shared/format';
import '../shared/base.css';
import './console.css';
import { PAGES } from './pages';
import { roleAllows, ROLE_LABELS, type SessionState, type SessionUser } from './session';
import { SignIn } from './sign-in';

interface CabinetInfo {
  cabinetId: string;
  timeZone: string;
}

/** The page the hash names (#/people → '/people'), or the overview. */
function currentPath(): string {
  const path = location.hash.replace(/^#/, '');
  return path.startsWith('/') ? (path.split('?')[0] ?? '/') : '/';
}

function useHashPath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return path;
}

function Shell(props: { user: SessionUser; cabinet: CabinetInfo; onSignOut: () => void }) {
  const path = useHashPath();
  const visible = PAGES.filter((p) => roleAllows(props.user.role, p.role));
  const page = visible.find((p) => p.path === path) ?? visible[0];
  useEffect(() => {
    document.title = `${page?.title ?? 'Console'} · Keywarden`;
  }, [page]);
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Keywarden</span>
        <span class="cabinet-name">{props.cabinet.cabinetId}</span>
        <span class="who">
          {props.user.account} · {ROLE_LABELS[props.user.role]}
        </span>
        <a
          class="account-link"
          href="#/account"
          aria-current={path === '/account' ? 'page' : undefined}
        >
          My account
        </a>
        <button type="button" class="link-button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="mainnav" aria-label="Console">
        <ul>
          {visible.map((p) => (
            <li>
              <a href={`#${p.path}`} aria-current={p === page ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        <h1>{page?.title}</h1>
        {page ? <page.component /> : null}
      </main>
    </div>
  );
}

function Console() {
  const [session, setSession] = useState<SessionState | null>(null);
  const [cabinet, setCabinet] = useState<CabinetInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = async () => {
    try {
      const state = await api.get<SessionState>('/api/session');
      useCsrfToken(state.csrfToken);
      if (state.user) {
        const info = await api.get<CabinetInfo>('/api/cabinet');
        useTimeZone(info.timeZone);
        setCabinet(info);
      }
      setSession(state);
      setFailure(null);
    } catch (error) {
      setFailure((error as Error).message);
    }
  };
  useEffect(() => {
    void load();
    return onSignedOut(() => void load());
  }, []);

  if (failure)
    return <Banner kind="error">The console could not reach the server: {failure}</Banner>;
  if (!session) return <p class="loading">Loading…</p>;
  if (!session.user || !cabinet) return <SignIn onSignedIn={() => void load()} />;
  const signOut = async () => {
    await api.delete('/api/session').catch(() => undefined);
    await load();
  };
  return <Shell user={session.user} cabinet={cabinet} onSignOut={() => void signOut()} />;
}

const root = document.getElementById('app');
if (root) render(<Console />, root);
