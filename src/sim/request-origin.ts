import type { IncomingHttpHeaders } from 'node:http';

/**
 * Who may drive the simulated cabinet over HTTP: programs on this machine (the terminal, tests,
 * curl), never a web page. A page in the custodian's browser can send a "simple" cross-origin
 * POST (text/plain, no preflight) to a loopback port, and through DNS rebinding a hostile name
 * can resolve to 127.0.0.1 and read the answers. So every request must name a loopback host
 * (or the address the simulator was told to listen on), carry no Origin or its own, and a POST
 * must be JSON, which a page cannot send cross-origin without a preflight this server never
 * answers.
 */
export interface RequestRefusal {
  status: 403 | 415;
  message: string;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/** The names a Host header may give: loopback, plus the configured address if it is one. */
export function allowedHostNames(listenHost: string): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  const bracketed = listenHost.includes(':') ? `[${listenHost}]` : listenHost;
  if (!WILDCARD_ADDRESSES.has(bracketed)) names.add(bracketed.toLowerCase());
  return names;
}

/** Why the request must be refused, or undefined when it may go on. */
export function refuseForeignRequest(
  method: string,
  headers: IncomingHttpHeaders,
  hostNames: ReadonlySet<string>,
): RequestRefusal | undefined {
  const host = headers.host?.toLowerCase();
  if (!host || !hostNames.has(hostNameOf(host))) {
    return { status: 403, message: `Host ${host ?? '(none)'}: only a loopback name is served` };
  }
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return { status: 403, message: `Origin ${origin}: cross-origin requests are refused` };
  }
  if (method === 'POST') {
    const type = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return { status: 415, message: 'Content-Type must be application/json' };
    }
  }
  return undefined;
}

/** The host without its port: `localhost:8089` → `localhost`, `[::1]:8089` → `[::1]`. */
function hostNameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
