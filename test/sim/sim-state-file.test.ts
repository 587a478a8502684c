import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readSimState, writeSimState } from '../../src/sim/sim-state-file.js';

const dir = mkdtempSync(join(tmpdir(), 'keywarden-simstate-'));

it('what is written is read back; empty slots are absent; no file is no state', () => {
  const file = join(dir, 'a.json');
  expect(readSimState(file, 12)).toBeUndefined();
  writeSimState(file, [
    { slot: 1, tag: 'A000000001' },
    { slot: 2, tag: null },
    { slot: 12, tag: 'BEEF0042' },
  ]);
  expect(readSimState(file, 12)).toEqual(
    new Map([
      [1, 'A000000001'],
      [12, 'BEEF0042'],
    ]),
  );
});

it('a bad file is an error naming the file and the entry', () => {
  const file = join(dir, 'b.json');
  writeFileSync(file, '{"slots": {"13": "A000000001"}}');
  expect(() => readSimState(file, 12)).toThrow(`${file}: slots.13: not a slot from 1 to 12`);
  writeFileSync(file, '{"slots": {"2": "not hex"}}');
  expect(() => readSimState(file, 12)).toThrow(/slots\.2: must be a fob tag/);
  writeFileSync(file, '{"slots": [');
  expect(() => readSimState(file, 12)).toThrow(/not JSON/);
});
