import { afterEach, describe, expect, it } from 'vitest';
import { signInByApi, startConsoleServer, type ConsoleServer } from '../support/console-server.js';

const PASSWORD = 'a long enough password';

let server: ConsoleServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The console's live stream, read until it ends (it must, once its session is over). */
async function openStream(url: string, cookie: string) {
  const response = await fetch(`${url}/api/live`, { headers: { cookie } });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  return {
    async readUntil(pattern: RegExp): Promise<void> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${String(pattern)}`);
        text += new TextDecoder().decode(value);
      }
    },
    async ended(): Promise<boolean> {
      for (;;) if ((await reader.read()).done) return true;
    },
  };
}

describe("the console's live stream, with the real sessions", () => {
  it('ends when its person signs out, though the request it came in on remembered the session', async () => {
    server = await startConsoleServer();
    await server.accounts.add('test', { account: 'vic', role: 'viewer', password: PASSWORD });
    const session = await signInByApi(server.app, 'vic', PASSWORD);
    const stream = await openStream(server.url, session.cookie);
    await stream.readUntil(/event: ready/);
    const out = await server.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(out.statusCode).toBeLessThan(300);
    expect(await stream.ended()).toBe(true);
  });

  it('ends when an administrator disables the account', async () => {
    server = await startConsoleServer();
    await server.accounts.add('test', { account: 'vic', role: 'viewer', password: PASSWORD });
    const session = await signInByApi(server.app, 'vic', PASSWORD);
    const stream = await openStream(server.url, session.cookie);
    await stream.readUntil(/event: ready/);
    await server.accounts.update('test', 'vic', { disabled: true });
    expect(await stream.ended()).toBe(true);
  });
});
