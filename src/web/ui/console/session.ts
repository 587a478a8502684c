/** Who is signed in, as GET /api/session answers (src/web: the session module). */
export type Role = 'viewer' | 'custodian' | 'admin';

export interface SessionUser {
  account: string;
  role: Role;
}

export interface SessionState {
  user: SessionUser | null;
  csrfToken: string;
}

const ORDER: Role[] = ['viewer', 'custodian', 'admin'];

export function roleAllows(role: Role, needed: Role): boolean {
  return ORDER.indexOf(role) >= ORDER.indexOf(needed);
}

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Auditor',
  custodian: 'Custodian',
  admin: 'Administrator',
};
