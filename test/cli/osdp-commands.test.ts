import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { osdpCommands } from '../../src/cli/commands/osdp.js';
import { main } from '../../src/cli/main.js';
import { acquireCabinetLock } from '../../src/daemon/cabinet-lock.js';
import { OPERATIONS } from '../../src/app/custodian-operations.js';
import { isKeywardenError } from '../../src/errors.js';
import { fakeOsdpLink, runOsdpCommand, writeOsdpCabinet } from '../support/osdp-cli.js';

const KEY = '00112233445566778899aabbccddeeff';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A cabinet on disk whose badge reader is an OSDP bus of two readers. */
function cabinet(secure: 'off' | 'on' | 'install' = 'on', protocol: 'osdp' | 'rdm6300' = 'osdp') {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-osdp-cli-'));
  dirs.push(dir);
  const database = join(dir, 'cabinet.db');
  const configFile = writeOsdpCabinet(
    dir,
    database,
    protocol === 'osdp'
      ? {
          readers: [
            { address: 1, name: 'front' },
            { address: 2, name: 'bench', role: 'polled' },
          ],
          secure,
        }
      : null,
  );
  const keyFile = join(dir, 'osdp-key');
  writeFileSync(keyFile, KEY, { mode: 0o600 });
  return { dir, configFile, keyFile, database };
}

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('keywarden osdp comset: argument errors name the option (exit 2, nothing opened)', () => {
  it.each([
    [[], '--address is required'],
    [['--address', '1', '--baud', '9600'], '--new-address is required'],
    [['--address', '1', '--new-address', '2'], '--baud is required'],
    [
      ['--address', 'x', '--new-address', '2', '--baud', '9600'],
      '--address must be a whole number',
    ],
    [
      ['--address', '127', '--new-address', '2', '--baud', '9600'],
      '--address must be 0-126 (127 is broadcast)',
    ],
    [['--address', '1', '--new-address', '127', '--baud', '9600'], '--new-address must be 0-126'],
    [['--address', '1', '--new-address', '-1', '--baud', '9600'], '-1'],
    [
      ['--address', '1', '--new-address', '2', '--baud', '230400'],
      '--baud must be one of 9600, 19200, 38400, 57600, 115200',
    ],
    [['--address', '1', '--new-address', '2', '--baud', '9600', '--adress', '3'], '--adress'],
  ])('%j', async (argv, message) => {
    const { configFile } = cabinet();
    const result = await cli(['osdp', 'comset', '--config', configFile, ...argv]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: keywarden osdp comset');
  });

  it('is listed with its help', async () => {
    const result = await cli(['osdp', 'comset', '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('--new-address');
    expect(result.out).toContain('with the daemon stopped');
  });
});

describe('keywarden osdp comset and status on the bus', () => {
  it('moves a reader: COMSET to it, and says to edit the profile', async () => {
    const { configFile } = cabinet();
    const { link, buses } = fakeOsdpLink((bus) => {
      bus.answer = (_address, command) =>
        command.kind === 'COMSET'
          ? { kind: 'COM', address: command.address, baudRate: command.baudRate }
          : { kind: 'ACK' };
      bus.start = () => bus.bringOnline(1);
    });
    const result = await runOsdpCommand(
      'comset',
      ['--config', configFile, '--address', '1', '--new-address', '5', '--baud', '19200'],
      link,
    );
    expect(result.code).toBe(0);
    expect(buses[0]?.sent).toEqual([
      { address: 1, command: { kind: 'COMSET', address: 5, baudRate: 19200 } },
    ]);
    expect(result.out.join('\n')).toMatch(/^front now answers at address 5, 19200 baud\./);
    expect(result.out.join('\n')).toContain('move the other readers to 19200 baud too');
    // The bus was secured with the cabinet's key, the lock released: a second run works.
    expect(Buffer.from(buses[0]?.options?.readers[0]?.scbk ?? []).toString('hex')).toBe(KEY);
    expect((await runOsdpCommand('status', ['--config', configFile], link)).code).toBe(1);
  });

  it('a reader that refuses: exit 1, nothing changed', async () => {
    const { configFile } = cabinet();
    const { link } = fakeOsdpLink((bus) => {
      bus.answer = () => ({
        kind: 'NAK',
        reason: 'UNKNOWN_COMMAND',
        reasonCode: 3,
        detail: new Uint8Array(),
      });
      bus.start = () => bus.bringOnline(1);
    });
    const result = await runOsdpCommand(
      'comset',
      ['--config', configFile, '--address', '1', '--new-address', '5', '--baud', '9600'],
      link,
    );
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      'keywarden osdp comset: front refused it (NAK UNKNOWN_COMMAND); nothing changed',
    ]);
  });

  it('a reader that does not answer: exit 1, nothing sent', async () => {
    const { configFile } = cabinet();
    const { link, buses } = fakeOsdpLink();
    const result = await runOsdpCommand(
      'comset',
      ['--config', configFile, '--address', '1', '--new-address', '5', '--baud', '9600'],
      link,
    );
    expect(result.code).toBe(1);
    expect(result.err[0]).toContain('front (address 1) does not answer');
    expect(buses[0]?.sent).toEqual([]);
  });

  it('status lists each reader: answering, secured, identity, tamper', async () => {
    const { configFile } = cabinet();
    const { link } = fakeOsdpLink((bus) => {
      bus.answer = (_address, command) =>
        command.kind === 'ID'
          ? {
              kind: 'PDID',
              identity: {
                vendorCode: Uint8Array.from([0x0a, 0x0b, 0x0c]),
                model: 1,
                version: 2,
                serialNumber: 12345,
                firmware: { major: 1, minor: 2, build: 3 },
              },
            }
          : { kind: 'LSTATR', tamper: true, powerFailure: false };
      bus.start = () => bus.bringOnline(1, true);
    });
    const result = await runOsdpCommand('status', ['--config', configFile], link);
    expect(result.out).toEqual([
      'front (address 1, badge): online, secured; vendor 0A0B0C model 1 version 2 serial 12345 firmware 1.2.3; tamper ACTIVE, power normal',
      'bench (address 2, polled): no answer',
    ]);
    expect(result.code).toBe(1);
  });
});

describe('who can move a reader or change its key through these', () => {
  const comset = ['--address', '1', '--new-address', '5', '--baud', '9600'];

  it('status in install mode keys no reader: its bus secures with the cabinet key only', async () => {
    // A bus in install mode sends the cabinet's key under the public SCBK-D to whatever
    // answers with it; status only asks, so it must not be one more such bus.
    const { configFile } = cabinet('install');
    const { link, buses } = fakeOsdpLink();
    await runOsdpCommand('status', ['--config', configFile], link);
    expect(buses[0]?.options?.readers.map((r) => r.secure)).toEqual(['on', 'on']);
  });

  it('nobody while the daemon runs: the cabinet lock refuses, no bus is made', async () => {
    const { configFile, database } = cabinet();
    const lock = acquireCabinetLock(database);
    try {
      const { link, buses } = fakeOsdpLink();
      const error = await runOsdpCommand('comset', ['--config', configFile, ...comset], link).then(
        () => expect.unreachable('refused'),
        (e: unknown) => e,
      );
      expect(isKeywardenError(error, 'CABINET_IN_USE')).toBe(true);
      expect(buses).toEqual([]);
    } finally {
      lock.release();
    }
  });

  it('nobody without the key file, or with one others can read: refused before the bus', async () => {
    const { configFile, keyFile } = cabinet();
    chmodSync(keyFile, 0o644);
    const { link, buses } = fakeOsdpLink();
    const error = await runOsdpCommand('status', ['--config', configFile], link).then(
      () => expect.unreachable('refused'),
      (e: unknown) => e,
    );
    expect(isKeywardenError(error, 'CONFIG_INVALID')).toBe(true);
    expect(buses).toEqual([]);
    rmSync(keyFile);
    const missing = await cli(['osdp', 'status', '--config', configFile]);
    expect(missing.code).toBe(78);
    expect(missing.err).toContain('readers.osdpKeyFile');
  });

  it("not a reader the profile does not name, nor onto another reader's address", async () => {
    const { configFile } = cabinet();
    const { link, buses } = fakeOsdpLink((bus) => {
      bus.start = () => bus.bringOnline(1);
    });
    for (const [argv, message] of [
      [['--address', '9', '--new-address', '5', '--baud', '9600'], '--address: no reader at 9'],
      [['--address', '1', '--new-address', '2', '--baud', '9600'], "--new-address: 2 is bench's"],
    ] as const) {
      const error = await runOsdpCommand('comset', ['--config', configFile, ...argv], link).then(
        () => expect.unreachable('refused'),
        (e: unknown) => e as Error,
      );
      expect(isKeywardenError(error, 'USAGE')).toBe(true);
      expect(error.message).toContain(message);
    }
    expect(buses.flatMap((b) => b.sent)).toEqual([]);
  });

  it('not on a cabinet whose badge reader is not OSDP', async () => {
    const { configFile } = cabinet('on', 'rdm6300');
    const result = await cli(['osdp', 'status', '--config', configFile]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('badge reader speaks rdm6300, not osdp');
  });

  it('no command sets a key, and no custodian operation reaches the bus', () => {
    const paths = osdpCommands().map((c) => c.path.join(' '));
    expect(paths).toEqual(['osdp status', 'osdp comset']);
    expect(Object.keys(OPERATIONS).filter((name) => /osdp|comset/i.test(name))).toEqual([]);
  });
});
