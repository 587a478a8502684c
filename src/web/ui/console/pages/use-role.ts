import { api } from '../../shared/api';
import type { Role, SessionState } from '../session';
import { useLoad } from './use-load';

/**
 * The signed-in user's role, to offer only the changes it allows (the API refuses the rest
 * whatever the page shows); null until known.
 */
export function useRole(): Role | null {
  const session = useLoad(() => api.get<SessionState>('/api/session'), []);
  return session.value?.user?.role ?? null;
}
