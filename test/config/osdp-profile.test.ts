import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOsdpKey, osdpKeyFile } from '../../src/config/osdp-key-file.js';
import { loadProfile, parseProfile } from '../../src/config/profile.js';
import { errorLines, hardwareDir, rpiProfileJson } from './helpers.js';

const FILE = 'hardware/bad.json';
const problems = (json: unknown): string[] =>
  errorLines(() => parseProfile(json, FILE), 'PROFILE_INVALID');

/** rpi-8slot with an OSDP badge reader, to break one field at a time. */
function osdpProfileJson() {
  const json = rpiProfileJson();
  json.readers.badge = {
    path: '/dev/ttyAMA0',
    baudRate: 9600,
    protocol: 'osdp',
    osdp: {
      readers: [
        { address: 0, name: 'front', role: 'badge' },
        { address: 1, name: 'bench', role: 'polled' },
      ],
      cardFormats: ['H10301', { bits: 32, as: 'hex' }],
      secure: 'install',
      feedback: 'reader',
    },
  };
  return json as typeof json & {
    readers: { badge: { osdp: Record<string, unknown> & { readers: Record<string, unknown>[] } } };
  };
}

describe('an OSDP badge reader in the profile', () => {
  it('the shipped rpi-8slot-osdp profile loads with its defaults filled in', () => {
    const profile = loadProfile('rpi-8slot-osdp', hardwareDir);
    expect(profile.readers.badge).toEqual({
      path: '/dev/ttyAMA0',
      baudRate: 9600,
      protocol: 'osdp',
      osdp: {
        readers: [{ address: 0, name: 'front', role: 'badge' }],
        cardFormats: [
          { kind: 'wiegand', format: 'H10301' },
          { kind: 'wiegand', format: 'H10304' },
        ],
        secure: 'on',
        feedback: 'both',
      },
    });
  });

  it('a minimal bus gets the documented defaults', () => {
    const json = osdpProfileJson();
    json.readers.badge.osdp = { readers: [{ address: 5, name: 'front' }] };
    expect(parseProfile(json, FILE).readers.badge.osdp).toEqual({
      readers: [{ address: 5, name: 'front', role: 'badge' }],
      cardFormats: [
        { kind: 'wiegand', format: 'H10301' },
        { kind: 'wiegand', format: 'H10304' },
      ],
      secure: 'on',
      feedback: 'both',
    });
  });

  it('keeps raw formats and the given modes', () => {
    const spec = parseProfile(osdpProfileJson(), FILE).readers.badge.osdp;
    expect(spec?.cardFormats[1]).toEqual({ kind: 'raw', bits: 32, as: 'hex' });
    expect(spec?.secure).toBe('install');
    expect(spec?.feedback).toBe('reader');
  });

  it('protocol osdp needs its bus', () => {
    const json = osdpProfileJson();
    delete (json.readers.badge as Record<string, unknown>).osdp;
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.osdp: is required for protocol osdp',
    ]);
  });

  it('a bus on a reader of another protocol is refused', () => {
    const json = rpiProfileJson();
    json.readers.badge.osdp = osdpProfileJson().readers.badge.osdp;
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.osdp: only applies to protocol osdp, not rdm6300',
    ]);
  });

  it('the baud rate must be one OSDP lists, silenceMs does not apply', () => {
    const json = osdpProfileJson();
    json.readers.badge.baudRate = 230400;
    (json.readers.badge as Record<string, unknown>).silenceMs = 1000;
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.baudRate: is 230400, but an OSDP bus runs at 9600, 19200, 38400, 57600, 115200',
      'hardware/bad.json: readers.badge.silenceMs: does not apply to protocol osdp (a reader is offline after 8 s without a reply)',
    ]);
  });

  it('addresses and names are unique on the bus', () => {
    const json = osdpProfileJson();
    json.readers.badge.osdp.readers[1] = { address: 0, name: 'front', role: 'polled' };
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.osdp.readers[1].address: 0 is already used by readers.badge.osdp.readers[0]',
      'hardware/bad.json: readers.badge.osdp.readers[1].name: "front" is already used by readers.badge.osdp.readers[0]',
    ]);
  });

  it('exactly one reader is the badge reader', () => {
    const none = osdpProfileJson();
    none.readers.badge.osdp.readers[0]!.role = 'polled';
    expect(problems(none)).toEqual([
      'hardware/bad.json: readers.badge.osdp.readers: has no reader with role "badge": the cabinet needs exactly one',
    ]);
    const two = osdpProfileJson();
    delete two.readers.badge.osdp.readers[1]!.role; // the default is badge
    expect(problems(two)).toEqual([
      'hardware/bad.json: readers.badge.osdp.readers: has 2 readers with role "badge" ([0], [1]): the cabinet takes cards from exactly one; make the others "polled"',
    ]);
  });

  it('the broadcast address 127 and out-of-range addresses are refused by the schema', () => {
    const json = osdpProfileJson();
    json.readers.badge.osdp.readers[0]!.address = 127;
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.osdp.readers[0].address: must be at most 126',
    ]);
  });

  it('two card formats of one bit count: the second could never be used', () => {
    const json = osdpProfileJson();
    json.readers.badge.osdp.cardFormats = ['H10301', { bits: 26, as: 'decimal' }];
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.osdp.cardFormats[1]: reads 26 bits like readers.badge.osdp.cardFormats[0], which comes first and always wins',
    ]);
  });

  it('an unknown format name, a raw format without "as", a bad secure mode: each named', () => {
    const json = osdpProfileJson();
    json.readers.badge.osdp.cardFormats = ['H10302', { bits: 32 }];
    json.readers.badge.osdp.secure = 'maybe';
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.osdp.cardFormats[0]: must match ^(H10301|H10304)$',
      'hardware/bad.json: readers.badge.osdp.cardFormats[1].as: is required',
      'hardware/bad.json: readers.badge.osdp.secure: must be one of "off", "install", "on"',
    ]);
  });

  it('a reader name that could break a log line is refused', () => {
    const json = osdpProfileJson();
    json.readers.badge.osdp.readers[0]!.name = 'front\ndoor';
    expect(problems(json)).toEqual([
      expect.stringMatching(/^hardware\/bad\.json: readers\.badge\.osdp\.readers\[0\]\.name: /),
    ]);
  });
});

describe('the OSDP key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-osdp-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string, mode = 0o600): string => {
    const file = join(dir, name);
    writeFileSync(file, text, { mode });
    chmodSync(file, mode);
    return file;
  };
  const refusal = (file: string): string[] => errorLines(() => loadOsdpKey(file), 'CONFIG_INVALID');
  const KEY = '000102030405060708090a0b0c0d0e0f';

  it('reads 32 hex digits, with or without a newline', () => {
    expect(Buffer.from(loadOsdpKey(write('a', `${KEY}\n`))).toString('hex')).toBe(KEY);
    expect(loadOsdpKey(write('b', KEY.toUpperCase()))).toHaveLength(16);
  });

  it('lives beside the database unless configured', () => {
    expect(osdpKeyFile('/var/lib/keywarden/keywarden.db', undefined)).toBe(
      '/var/lib/keywarden/osdp-key',
    );
    expect(osdpKeyFile('/x/k.db', '/etc/keywarden/osdp-key')).toBe('/etc/keywarden/osdp-key');
    expect(osdpKeyFile(':memory:', undefined)).toBeNull();
  });

  it('is never made: a missing file is a config error saying how to make one', () => {
    const file = join(dir, 'missing');
    expect(refusal(file)).toEqual([
      expect.stringContaining(`readers.osdpKeyFile ${file} does not exist`),
    ]);
  });

  it('a file others can read is refused, and so is a link', () => {
    expect(refusal(write('open', KEY, 0o640))).toEqual([
      expect.stringMatching(/is readable by others \(mode 640\); chmod 600 it$/),
    ]);
    const link = join(dir, 'link');
    symlinkSync(write('target', KEY), link);
    expect(refusal(link)[0]).toMatch(/cannot be read: ELOOP/);
  });

  it('a malformed key is refused without repeating the file', () => {
    for (const text of [KEY.slice(2), `${KEY}00`, `${KEY.slice(1)}g`, '', `${KEY}\n\n`]) {
      const lines = refusal(write('bad', text));
      expect(lines).toEqual([
        expect.stringMatching(/must hold exactly 32 hex digits \(16 bytes\)$/),
      ]);
      if (text.length > 4) expect(lines[0]).not.toContain(text.slice(0, 8));
    }
  });
});
