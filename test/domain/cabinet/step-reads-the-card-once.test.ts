import { expect, it } from 'vitest';
import { StepLookups } from '../../../src/domain/flow/step-lookups.js';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';
import { MemoryDirectory } from '../../support/memory-directory.js';

const HOLDER_READS = ['holder', 'permissionsOf', 'groupsOf', 'openLoansOf'] as const;

/**
 * Counts the reads the step makes of the directory, by method name; reads the directory makes
 * of itself (MemoryDirectory's cardFacts and grantsOf use its single lookups) are not counted.
 */
function countReads(directory: MemoryDirectory): Map<string, number> {
  const counts = new Map<string, number>();
  let depth = 0;
  for (const name of ['cardFacts', 'credentialByCard', 'grantsOf', ...HOLDER_READS] as const) {
    const read = directory[name].bind(directory) as (...args: never[]) => unknown;
    (directory as unknown as Record<string, unknown>)[name] = (...args: never[]) => {
      if (depth === 0) counts.set(name, (counts.get(name) ?? 0) + 1);
      depth++;
      try {
        return read(...args);
      } finally {
        depth--;
      }
    };
  }
  return counts;
}

it("a badge's step reads its card's facts once, and its holder's nowhere else", () => {
  const s = new CabinetScenario();
  const reads = countReads(s.directory);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events[0]?.type).toBe('access.granted');
  expect(reads.get('cardFacts')).toBe(1);
  expect(reads.get('credentialByCard') ?? 0).toBe(0);
  for (const name of HOLDER_READS) expect(reads.get(name) ?? 0, name).toBe(0);
  // The grants are read on their own still (one statement of their own over SQLite).
  expect(reads.get('grantsOf')).toBe(1);
});

it("answers another holder's reads from the directory, not from the card's facts", () => {
  const directory = new MemoryDirectory();
  directory.holders.push(
    { id: 1, name: 'Alice', enabled: true },
    { id: 2, name: 'Bob', enabled: true },
  );
  directory.credentials.push({ id: 10, holderId: 1, card: ALICE_CARD, enabled: true });
  directory.permissions.push({ holderId: 1, slot: 1 }, { holderId: 2, slot: 3 });
  directory.memberships.push([2, 5]);
  const lookups = new StepLookups(directory);
  expect(lookups.credentialByCard(ALICE_CARD)?.holderId).toBe(1);
  const reads = countReads(directory);
  expect(lookups.holder(2)?.name).toBe('Bob');
  expect(lookups.permissionsOf(2)).toEqual([{ holderId: 2, slot: 3 }]);
  expect(lookups.groupsOf(2)).toEqual([5]);
  expect(reads.get('holder')).toBe(1);
  expect(reads.get('permissionsOf')).toBe(1);
  // Alice's come from the card's read.
  expect(lookups.permissionsOf(1)).toEqual([{ holderId: 1, slot: 1 }]);
  expect(reads.get('permissionsOf')).toBe(1);
});

it('an unknown card is remembered as unknown, and a second card is read on its own', () => {
  const directory = new MemoryDirectory();
  directory.holders.push({ id: 2, name: 'Bob', enabled: true });
  directory.credentials.push({ id: 20, holderId: 2, card: BOB_CARD, enabled: true });
  const reads = countReads(directory);
  const lookups = new StepLookups(directory);
  expect(lookups.credentialByCard('FFFFFFFFFF')).toBeUndefined();
  expect(lookups.credentialByCard('FFFFFFFFFF')).toBeUndefined();
  expect(lookups.credentialByCard(BOB_CARD)?.id).toBe(20);
  expect(reads.get('cardFacts')).toBe(2);
});

it('nothing is remembered from one step to the next: a permission removed between badges is seen', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.lastEffects.some((e) => e.kind === 'release' && e.slot === 3)).toBe(true);
  s.directory.permissions = s.directory.permissions.filter((p) => p.holderId !== 2);
  s.advance(60_000);
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.lastEffects.some((e) => e.kind === 'release')).toBe(false);
  expect(s.events.at(-1)?.type).toBe('access.denied');
});
