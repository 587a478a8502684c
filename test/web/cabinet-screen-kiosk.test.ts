import { Writable } from 'node:stream';
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { startScreenDaemon, type ScreenDaemon } from '../support/screen-daemon.js';

/**
 * screen.kioskUser through the real daemon and the kernel's own table of connections: the
 * kiosk user's connections use the screen; any other local user's are refused before any
 * route, and logged with their uid. This test's own connections play the kiosk (kioskUser: this
 * process's user) or the stranger (kioskUser: some other uid).
 */
function capturedLogger() {
  const lines: { level: number; msg: string; uid?: number | null }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as (typeof lines)[number]);
      }
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', pretty: false, destination }) };
}

const WARN = 40;

async function statuses(cabinet: ScreenDaemon): Promise<Record<string, number>> {
  const stream = new AbortController();
  const answers = {
    page: (await fetch(`${cabinet.url}/cabinet`)).status,
    view: (await fetch(`${cabinet.url}/api/cabinet/view`)).status,
    stream: (await fetch(`${cabinet.url}/api/cabinet/stream`, { signal: stream.signal })).status,
    input: (
      await fetch(`${cabinet.url}/api/cabinet/input`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'cancel' }),
      })
    ).status,
  };
  stream.abort();
  return answers;
}

describe('the cabinet screen kept for the kiosk user', () => {
  it("answers the kiosk user's connections on every route", async () => {
    const cabinet = await startScreenDaemon({ kioskUser: userInfo().username });
    try {
      // 409: the input reached the screen, which had nothing to take (nobody at the cabinet).
      expect(await statuses(cabinet)).toEqual({ page: 200, view: 200, stream: 200, input: 409 });
    } finally {
      await cabinet.stop();
    }
  });

  it("attack: refuses another user's connections with 403 before any route, logging their uid once", async () => {
    const me = userInfo().uid;
    const { lines, logger } = capturedLogger();
    const cabinet = await startScreenDaemon({ kioskUser: String(me + 1), logger });
    try {
      const budget = cabinet.daemon.screen.budget();
      expect(await statuses(cabinet)).toEqual({ page: 403, view: 403, stream: 403, input: 403 });
      const refused = await fetch(`${cabinet.url}/api/cabinet/view`);
      expect(await refused.json()).toEqual({
        error: 'FORBIDDEN',
        message: "the cabinet screen answers the kiosk's user only",
      });
      // Refused inputs never reached the screen's input budget, so the kiosk keeps all of it.
      expect(cabinet.daemon.screen.budget()).toBe(budget);
      const warnings = lines.filter((l) => l.level === WARN && l.msg.includes('refused'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        uid: me,
        msg: `cabinet screen refused a connection of uid ${me}: only the kiosk user may use it`,
      });
    } finally {
      await cabinet.stop();
    }
  });

  it('warns at start when unset (the demo: any local user), and refuses a user who does not exist', async () => {
    const { lines, logger } = capturedLogger();
    const open = await startScreenDaemon({ logger });
    try {
      expect((await fetch(`${open.url}/api/cabinet/view`)).status).toBe(200);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: WARN,
          msg: 'screen.kioskUser is unset: any local user may open the cabinet screen, watch who is at the cabinet and type on its pad',
        }),
      );
    } finally {
      await open.stop();
    }
    await expect(startScreenDaemon({ kioskUser: 'no-such-kiosk-user' })).rejects.toThrow(
      'screen.kioskUser: no Unix user "no-such-kiosk-user" on this machine',
    );
  });
});
