import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';
import { runCli } from '../support/run-cli.js';

const SIM_PROFILE = join(import.meta.dirname, '..', '..', 'hardware', 'sim.json');

/** The CLI bound to a cabinet whose badge reader is an ASCII line reader of the given format. */
function asciiCabinet(lineFormat: 'decimal' | 'hex') {
  const cab = cliCabinet();
  const profile = JSON.parse(readFileSync(SIM_PROFILE, 'utf8')) as {
    readers: { badge: Record<string, unknown> };
  };
  profile.readers.badge = { path: 'sim:badge', baudRate: 9600, protocol: 'ascii-line', lineFormat };
  const profileFile = cab.file('profile.json', JSON.stringify(profile));
  const config = cab.file(
    'ascii.json',
    JSON.stringify({
      version: 1,
      cabinetId: 'ascii',
      profile: profileFile,
      database: cab.database,
    }),
  );
  return { ...cab, cli: (...args: string[]) => runCli([...args, '--config', config]) };
}

const cardEvents = (cab: ReturnType<typeof cliCabinet>) =>
  cab.query<{ type: string }>("SELECT type FROM events WHERE type = 'credential.added'");

describe('credential add checks the card against the badge reader of the profile', () => {
  it.each(['12345', '100086F44', '100086F4444', 'G00086F444'])(
    'RDM6300 (the simulated cabinet): %s is refused with the reason, exit 2, nothing enrolled',
    async (card) => {
      const cab = cliCabinet();
      await cab.cli('holder', 'add', '--name', 'Dana');
      const result = await cab.cli('credential', 'add', '--holder', '1', '--card', card);
      expect(result.code).toBe(2);
      expect(result.err).toContain(
        "--card: this cabinet's badge reader (RDM6300, 125 kHz) sends exactly 10 hex digits",
      );
      expect(cardEvents(cab)).toEqual([]);
    },
  );

  it('RDM6300: 10 hex digits in either case are enrolled', async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    expect((await cab.cli('credential', 'add', '--holder', '1', '--card', '100086f444')).code).toBe(
      0,
    );
    expect(cardEvents(cab)).toHaveLength(1);
  });

  it('a decimal ASCII reader takes 0008844356 and refuses hex digits', async () => {
    const cab = asciiCabinet('decimal');
    await cab.cli('holder', 'add', '--name', 'Dana');
    const hex = await cab.cli('credential', 'add', '--holder', '1', '--card', '100086F444');
    expect(hex.code).toBe(2);
    expect(hex.err).toContain('(ASCII line reader, decimal) sends 1 to 20 decimal digits');
    expect((await cab.cli('credential', 'add', '--holder', '1', '--card', '0008844356')).code).toBe(
      0,
    );
    expect(cardEvents(cab)).toHaveLength(1);
  });

  it('a hex ASCII reader takes a 26-bit Wiegand read (6 hex digits) and refuses 17 digits', async () => {
    const cab = asciiCabinet('hex');
    await cab.cli('holder', 'add', '--name', 'Dana');
    expect((await cab.cli('credential', 'add', '--holder', '1', '--card', '0c8707')).code).toBe(0);
    const long = await cab.cli('credential', 'add', '--holder', '1', '--card', '1'.repeat(17));
    expect(long.code).toBe(2);
    expect(long.err).toContain('sends 1 to 16 hex digits');
  });
});
