import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CabinetRunner } from '../../src/daemon/cabinet-runner.js';
import type { CustodianRequests } from '../../src/daemon/custodian-requests.js';
import type { KeypadEntries } from '../../src/daemon/keypad-entries.js';
import type { CabinetReaders } from '../../src/daemon/readers.js';
import { readerInputsService } from '../../src/daemon/services/reader-inputs.js';
import { silentLogger } from '../../src/log/logger.js';

/**
 * The reader's wiring of a card: the runner asks, inside the badge's transaction, whether an
 * enrolment waits; only then is the card offered to it; and a card the enrolment no longer
 * takes (its request cancelled or expired in between) is decided after all, once.
 */
function rig(enrolmentWaits: boolean, enrolmentTakes: boolean) {
  const calls: string[] = [];
  const badge = new EventEmitter();
  const readers = {
    badge,
    fob: new EventEmitter(),
    start: () => undefined,
    stop: () => Promise.resolve(),
  } as unknown as CabinetReaders;
  const runner = {
    // As the runner does: the question first; a card wanted elsewhere is not decided.
    handleBadge: (card: string, wantedElsewhere: () => boolean) => {
      if (wantedElsewhere()) return false;
      calls.push(`decided ${card}`);
      return true;
    },
    handle: (input: { kind: string; card?: string }) => {
      calls.push(`decided ${input.card ?? input.kind}`);
      return [];
    },
    useSignalFeedback: () => undefined,
  } as unknown as CabinetRunner;
  const requests = {
    enrolmentWaiting: () => {
      calls.push('asked');
      return enrolmentWaits;
    },
    takeBadge: (card: string) => {
      calls.push(`offered ${card}`);
      return enrolmentTakes;
    },
  } as unknown as CustodianRequests;
  const service = readerInputsService({
    readers,
    runner,
    requests,
    keypad: { enter: () => Promise.resolve() } as unknown as KeypadEntries,
    sim: undefined,
    logger: silentLogger(),
  });
  void service.start();
  return { tap: (card: string) => badge.emit('badge', { card }), calls };
}

describe('a card and a waiting enrolment', () => {
  it('no enrolment waits: the card is decided, never offered', () => {
    const { tap, calls } = rig(false, false);
    tap('0A00000001');
    expect(calls).toEqual(['asked', 'decided 0A00000001']);
  });

  it('an enrolment waits and takes the card: it is not decided', () => {
    const { tap, calls } = rig(true, true);
    tap('0A00000001');
    expect(calls).toEqual(['asked', 'offered 0A00000001']);
  });

  it('an enrolment waited but is gone when offered the card: decided after all, once', () => {
    const { tap, calls } = rig(true, false);
    tap('0A00000001');
    expect(calls).toEqual(['asked', 'offered 0A00000001', 'decided 0A00000001']);
  });
});
