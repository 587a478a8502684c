import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, simPost, writeCabinetFiles } from '../support/daemon-process.js';
import { runCli } from '../support/run-cli.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The custodian's requests to the running daemon, end to end: the real daemon as a child
 * process (simulated readers, driven over its HTTP control interface) and the CLI on the same
 * database file. No broker: the events are read from the database.
 */
let daemon: DaemonProcess;
let files: ReturnType<typeof writeCabinetFiles>;

const cli = (...args: string[]) => runCli([...args, '--config', files.configFile, '--as', 'carol']);
const list = (...args: string[]) =>
  runCli(['lockout', 'list', ...args, '--config', files.configFile]);

function events(): Array<{ type: string; data: Record<string, unknown> }> {
  const db = new BetterSqlite3(files.database, { readonly: true });
  try {
    return (
      db.prepare('SELECT type, payload FROM events ORDER BY seq').all() as Array<{
        type: string;
        payload: string;
      }>
    ).map((r) => ({
      type: r.type,
      data: (JSON.parse(r.payload) as { data: Record<string, unknown> }).data,
    }));
  } finally {
    db.close();
  }
}

function pendingRequests(): number {
  const db = new BetterSqlite3(files.database, { readonly: true });
  try {
    return (
      db.prepare('SELECT count(*) AS n FROM custodian_requests WHERE done_at IS NULL').get() as {
        n: number;
      }
    ).n;
  } finally {
    db.close();
  }
}

/** A presentation of `card` (the reader's quiet time is 0: the same card again counts). */
async function badge(card: string): Promise<void> {
  await simPost(daemon.simUrl(), '/badge', { card });
}

beforeAll(async () => {
  files = writeCabinetFiles({
    cabinetId: 'req-cab',
    brokerUrl: 'mqtt://127.0.0.1:1',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
    badgeQuietMs: 0,
  });
  expect((await cli('holder', 'add', '--name', 'Dana')).code).toBe(0);
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
});

describe('enrolment by tap', () => {
  it('the next badge is enrolled for the holder, in the custodian’s name, and not decided', async () => {
    const enrol = cli('credential', 'enrol', '1', '--timeout', '20');
    await waitFor(() => pendingRequests() === 1, 'the enrol request');
    await badge('5500A1B2C3');
    const result = await enrol;
    expect(result).toMatchObject({
      code: 0,
      out: expect.stringContaining('tap the card now') as string,
    });
    expect(result.out).toContain('credential 1 added: card …B2C3 for holder 1');
    const recorded = events();
    expect(recorded.find((e) => e.type === 'credential.added')?.data).toEqual({
      actor: { kind: 'custodian', account: 'carol' },
      credentialId: 1,
      holderId: 1,
      card: '…B2C3',
    });
    expect(recorded.some((e) => e.type.startsWith('access.'))).toBe(false);
    // The next badge of that card is decided as usual (no permission yet: denied).
    await badge('5500A1B2C3');
    await waitFor(() => events().some((e) => e.type === 'access.denied'), 'access.denied');
    expect(events().find((e) => e.type === 'access.denied')?.data).toMatchObject({
      reason: 'nothing_permitted',
      credentialId: 1,
    });
  }, 30_000);

  it('a card already enrolled is read but refused, and the custodian is told why', async () => {
    const enrol = cli('credential', 'enrol', '1', '--timeout', '20');
    await waitFor(() => pendingRequests() === 1, 'the enrol request');
    await badge('5500A1B2C3');
    const result = await enrol;
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'the card was read but not enrolled: card …B2C3 is already enrolled to holder 1',
    );
  }, 30_000);

  it('with no card tapped before the time runs out, says so, exits 1, and leaves no request behind', async () => {
    const result = await cli('credential', 'enrol', '1', '--timeout', '1');
    expect(result.code).toBe(1);
    expect(result.err).toContain('no card was enrolled within 1 s. Is the daemon running');
    expect(pendingRequests()).toBe(0);
  });
});

describe('lockouts', () => {
  it('lists the reader lockout after three unknown cards, and clears it through the daemon', async () => {
    for (const card of ['1111000001', '1111000002', '1111000003']) await badge(card);
    await waitFor(() => events().some((e) => e.type === 'lockout.started'), 'lockout.started');
    expect(JSON.parse((await list('--json')).out)).toMatchObject([{ subject: 'reader', level: 1 }]);

    const cleared = await cli('lockout', 'clear', 'reader');
    expect(cleared).toMatchObject({ code: 0, out: 'lockout of the reader cleared' });
    expect(events().at(-1)).toEqual({
      type: 'lockout.cleared',
      // With the flood's count of unknown cards refused meanwhile (none here).
      data: { subject: 'reader', actor: { kind: 'custodian', account: 'carol' }, refusedCards: 0 },
    });
    expect((await list()).out).toBe('no lockout in force');
    expect(await cli('lockout', 'clear', 'reader')).toMatchObject({
      code: 0,
      out: 'no lockout in force for the reader; nothing changed',
    });
  }, 30_000);

  it('without a running daemon, says nobody answered and exits 1', async () => {
    await daemon.stop();
    const result = await cli('lockout', 'clear', 'reader', '--timeout', '1');
    expect(result.code).toBe(1);
    expect(result.err).toContain('no daemon answered within 1 s. Is the daemon running');
    expect(pendingRequests()).toBe(0);
  });
});
