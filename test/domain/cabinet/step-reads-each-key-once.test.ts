import { expect, it } from 'vitest';
import { StepLookups } from '../../../src/domain/flow/step-lookups.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';
import { MemoryDirectory } from '../../support/memory-directory.js';

/** Counts the directory's reads by method name. */
function countReads(directory: MemoryDirectory): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of [
    'keyByTag',
    'keyByHomeSlot',
    'keyById',
    'tierRules',
    'permissionsOf',
  ] as const) {
    const read = directory[name].bind(directory) as (...args: never[]) => unknown;
    (directory as unknown as Record<string, unknown>)[name] = (...args: never[]) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return read(...args);
    };
  }
  return counts;
}

it("a badge's step reads each key and the tier rules once, however often it asks", () => {
  const s = new CabinetScenario();
  const reads = countReads(s.directory);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events[0]?.type).toBe('access.granted');
  const occupied = s.directory.keys.length;
  // At most one read per key: the slot's tag, and at most once its home slot or id.
  expect(reads.get('keyByTag') ?? 0).toBeLessThanOrEqual(occupied);
  expect(reads.get('tierRules') ?? 0).toBeLessThanOrEqual(1);
});

it('nothing is remembered from one step to the next: a key changed between badges is seen', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  const granted = s.events.filter((e) => e.type === 'access.granted').length;
  expect(granted).toBe(1);
  // Every key lost between two badges: the next badge must see it and release nothing.
  for (const key of s.directory.keys) key.state = 'lost';
  s.advance(60_000);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.lastEffects.some((e) => e.kind === 'release')).toBe(false);
});

it('remembers a missing key too, and passes the other reads through every time', () => {
  const directory = new MemoryDirectory();
  const reads = countReads(directory);
  const lookups = new StepLookups(directory);
  expect(lookups.keyByTag('NO-SUCH-TAG')).toBeUndefined();
  expect(lookups.keyByTag('NO-SUCH-TAG')).toBeUndefined();
  expect(lookups.keyByHomeSlot(3)).toBeUndefined();
  expect(lookups.keyByHomeSlot(3)).toBeUndefined();
  lookups.permissionsOf(1);
  lookups.permissionsOf(1);
  expect(reads.get('keyByTag')).toBe(1);
  expect(reads.get('keyByHomeSlot')).toBe(1);
  expect(reads.get('permissionsOf')).toBe(2);
});
