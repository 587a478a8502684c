import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatFobLine } from '../../drivers/serial/fob-line.js';
import { acquireCabinetLock } from '../../src/daemon/cabinet-lock.js';
import { encodeRdm6300 } from '../../src/sim/reader-frames.js';
import { SelftestBench } from './selftest-bench.js';

let bench: SelftestBench;
beforeEach(async () => {
  bench = await SelftestBench.open();
});
afterEach(async () => {
  await bench.close();
});

/** The installer who looks at the cabinet and answers truthfully. */
function honestInstaller(b: SelftestBench, fobSlot: (asked: number) => number = (n) => n): void {
  const on = (name: string) => b.switchedOn.includes(name);
  b.react((prompt) => {
    let m: RegExpMatchArray | null;
    if ((m = /^Slot (\d+): is a key hanging in it\?/.exec(prompt))) {
      const state = b.gpio.inputs().find((pin) => pin.name === `slot${m?.[1]}.keyPresent`);
      b.answer(state?.on ? 'y' : 'n');
    } else if ((m = /^Did slot (\d+) click\?/.exec(prompt))) {
      b.answer(on(`slot${m[1]}.solenoid`) ? 'y' : 'n');
    } else if (prompt.startsWith('Did the door lock release?')) {
      b.answer(on('door.lock') ? 'y' : 'n');
    } else if ((m = /^Did the (green|red) LED light\?/.exec(prompt))) {
      b.answer(on(`indicator.${m[1]}`) ? 'y' : 'n');
    } else if (prompt.startsWith('Did the buzzer sound?')) {
      b.answer(on('indicator.buzzer') ? 'y' : 'n');
    } else if (prompt.startsWith('Open the door.')) {
      b.gpio.setInput('door.sensor', true);
    } else if (prompt.startsWith('Close the door.')) {
      b.gpio.setInput('door.sensor', false);
    } else if (prompt.startsWith('Present a badge')) {
      void b.badge.writeToDevice(encodeRdm6300('0012345678'));
    } else if ((m = /^Put a key with its fob into slot (\d+)\./.exec(prompt))) {
      const slot = fobSlot(Number(m[1]));
      void b.fob.writeToDevice(`${formatFobLine(slot, `A00000000${slot}`)}\n`);
    }
  });
}

function report(b: SelftestBench): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of b.out) {
    const m = /^ {2}(PASS|FAIL|SKIPPED) +(.+?) {2,}(.*)$/.exec(line);
    if (m?.[1] && m[2] && m[3] !== undefined) rows.set(m[2].trim(), `${m[1]}: ${m[3]}`);
  }
  return rows;
}

describe('keywarden selftest on the bench', () => {
  it('checks each chosen slot, the door, LEDs, buzzer and both readers, one output at a time', async () => {
    bench.gpio.setInput('slot1.keyPresent', true);
    honestInstaller(bench);
    const energised = new Set<string>();
    let most = 0;
    bench.gpio.onOutput((event) => {
      if (!event.name.endsWith('.solenoid') && event.name !== 'door.lock') return;
      if (event.on) energised.add(event.name);
      else energised.delete(event.name);
      most = Math.max(most, energised.size);
    });
    const code = await bench.run('--slot', '1,2', '--pulse-ms', '20', '--wait-s', '5');
    const rows = report(bench);
    expect([...rows.keys()]).toEqual([
      'slot 1 solenoid and key switch',
      'slot 2 solenoid and key switch',
      'door lock',
      'door contact',
      'green LED',
      'red LED',
      'buzzer',
      'badge reader',
      'slot 1 fob',
      'slot 2 fob',
    ]);
    expect(rows.get('slot 1 solenoid and key switch')).toBe(
      'PASS: clicked; the key switch reads a key, as you said',
    );
    expect(rows.get('slot 2 solenoid and key switch')).toMatch(/^PASS: .*reads no key/);
    expect(rows.get('badge reader')).toBe('PASS: read card …5678');
    expect(rows.get('slot 2 fob')).toBe('PASS: read fob …0002');
    expect(bench.out.at(-1)).toBe('10 passed, 0 failed, 0 skipped');
    expect(code).toBe(0);
    // Only the chosen slots were pulsed, never two outputs of the power budget at once.
    expect(bench.switchedOn.filter((n) => n.endsWith('.solenoid'))).toEqual([
      'slot1.solenoid',
      'slot2.solenoid',
    ]);
    expect(most).toBe(1);
    expect(bench.gpio.outputs().filter((pin) => pin.on)).toEqual([]);
  });

  it('names each fault with what to check, and exits 1', async () => {
    honestInstaller(bench, (asked) => (asked === 1 ? 3 : asked));
    // The installer sees a key in slot 2 that its switch does not report.
    bench.react(
      ((inner) => (prompt: string) => {
        if (prompt.startsWith('Slot 2: is a key hanging in it?')) bench.answer('y');
        else if (!prompt.startsWith('Present a badge')) inner(prompt);
      })(bench.reaction),
    );
    const code = await bench.run(
      '--only',
      'solenoids,badge,fobs',
      '--slot',
      '1,2',
      '--pulse-ms',
      '20',
      '--wait-s',
      '1',
    );
    const rows = report(bench);
    expect(rows.get('slot 2 solenoid and key switch')).toBe(
      'FAIL: the key switch reads no key, you said a key: check its wiring and activeLow in the profile',
    );
    expect(rows.get('badge reader')).toBe('FAIL: no badge was read in time');
    expect(rows.get('slot 1 fob')).toBe(
      "FAIL: a fob was read in slot 3, not 1: the fob reader's slot order or wiring differs",
    );
    expect(rows.get('slot 2 fob')).toBe('PASS: read fob …0002');
    expect(bench.out.at(-1)).toBe('2 passed, 3 failed, 0 skipped');
    expect(code).toBe(1);
  });

  it('counts a skipped step as skipped, and stops with a report when the answers run out', async () => {
    bench.react((prompt) => {
      if (prompt.startsWith('Slot 1:')) bench.answer('s');
      else if (prompt.startsWith('Slot 2:')) bench.input.end();
    });
    const code = await bench.run('--only', 'solenoids', '--slot', '1,2,3', '--pulse-ms', '20');
    expect(report(bench).get('slot 1 solenoid and key switch')).toBe(
      'SKIPPED: skipped by the installer',
    );
    expect(bench.out.slice(-2)).toEqual([
      '0 passed, 0 failed, 1 skipped',
      'stopped before the end (standard input ended): 2 steps not run',
    ]);
    expect(code).toBe(1);
    expect(bench.switchedOn).toEqual([]);
  });

  it('a hang-up in the middle of a pulse drives every output off at once and stops', async () => {
    bench.react((prompt) => {
      if (prompt.startsWith('Slot 1:')) bench.answer('n');
    });
    let onAfterHangUp: string[] | undefined;
    bench.gpio.onOutput((event) => {
      if (event.name !== 'slot1.solenoid' || !event.on || onAfterHangUp) return;
      // The SSH session drops while the coil is energised.
      process.emit('SIGHUP');
      onAfterHangUp = bench.gpio
        .outputs()
        .filter((pin) => pin.on)
        .map((pin) => pin.name);
    });
    const code = await bench.run('--only', 'solenoids', '--slot', '1,2', '--pulse-ms', '2000');
    expect(onAfterHangUp).toEqual([]);
    expect(code).toBe(130);
    expect(bench.out.at(-1)).toBe('stopped before the end (interrupted): 2 steps not run');
    expect(bench.gpio.outputs().filter((pin) => pin.on)).toEqual([]);
  });

  it('refuses to run beside the daemon, touching no output', async () => {
    const lock = acquireCabinetLock(`${bench.dir}/cabinet.db`);
    try {
      const code = await bench.run('--pulse-ms', '20');
      expect(code).toBe(1);
      expect(bench.prompts[0]).toMatch(/^keywarden selftest: refused: .*cabinet\.db/);
      expect(bench.prompts[1]).toMatch(/Stop the daemon first/);
      expect(bench.switchedOn).toEqual([]);
    } finally {
      lock.release();
    }
  });

  it.each([
    [
      ['--only', 'lights'],
      '--only: "lights" is not one of solenoids, door, indicators, badge, fobs',
    ],
    [['--only', 'door,'], '--only: an empty item in "door,"'],
    [
      ['--slot', '13'],
      '--slot: the profile sim-12 has no slot 13 (it has 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)',
    ],
    [['--slot', '1e3'], '--slot: "1e3" is not a whole number'],
    [['--pulse-ms', '15001'], '--pulse-ms: 15001 is not between 20 and 15000'],
    [['--pulse-ms', '5'], '--pulse-ms: 5 is not between 20 and 15000'],
    [['--wait-s', '0'], '--wait-s: 0 is not between 1 and 600'],
  ])('refuses %j before touching the cabinet', async (argv, message) => {
    await expect(bench.run(...argv)).rejects.toMatchObject({ code: 'USAGE', message });
    expect(bench.switchedOn).toEqual([]);
    // The cabinet's lock was never taken: a daemon could start now.
    acquireCabinetLock(`${bench.dir}/cabinet.db`).release();
  });
});
