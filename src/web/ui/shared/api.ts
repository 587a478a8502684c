/**
 * The pages' only way to the server: its JSON API. Every change carries the session's CSRF token
 * (header x-csrf-token), which the server checks against the session; a 401 means the session
 * ended, and the console goes back to its sign-in.
 */

/** A refusal or failure as the server words it: a stable code and a sentence for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
const signedOutListeners = new Set<() => void>();

/** The token GET /api/session handed out; sent with every change. */
export function useCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server says the session is over (a 401). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  const text = await response.text();
  const value: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const { error, message } = (value ?? {}) as { error?: string; message?: string };
    if (response.status === 401) for (const listener of signedOutListeners) listener();
    throw new ApiError(response.status, error ?? 'HTTP', message ?? response.statusText);
  }
  return value as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  /** `signal` aborts a long wait (the enrolment by tap) when the page that asked goes away. */
  post: <T>(path: string, body?: unknown, signal?: AbortSignal) =>
    request<T>('POST', path, body ?? {}, signal),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
