import type { SimApiError, SimEventView, SimPageData, SimStateView } from './sim-view';

/** The simulator's API on the same origin (src/web/routes/sim.ts). */
const BASE = '/api/sim';

export async function loadSimPage(): Promise<SimPageData> {
  return answer<SimPageData>(await fetch(`${BASE}/state`));
}

/** One action at the cabinet; resolves to the cabinet after it, or throws the reason refused. */
export async function act(path: string, body: Record<string, unknown>): Promise<SimStateView> {
  const response = await fetch(`${BASE}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answer<SimStateView>(response);
}

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const message = (body as Partial<SimApiError> | null)?.message;
    throw new Error(message ?? `the simulator answered ${response.status}`);
  }
  return body as T;
}

/** The live stream: the cabinet after each change, and each event as it is recorded. */
export function openSimStream(handlers: {
  state: (state: SimStateView) => void;
  event: (event: SimEventView) => void;
  connected: (connected: boolean) => void;
}): () => void {
  const source = new EventSource(`${BASE}/stream`);
  source.addEventListener('state', (message) => {
    handlers.connected(true);
    handlers.state(JSON.parse((message as MessageEvent<string>).data) as SimStateView);
  });
  source.addEventListener('event', (message) =>
    handlers.event(JSON.parse((message as MessageEvent<string>).data) as SimEventView),
  );
  // EventSource reconnects by itself; the first `state` after it says it is back.
  source.addEventListener('error', () => handlers.connected(false));
  return () => source.close();
}
