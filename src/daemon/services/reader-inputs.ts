import type { KeypadEntry } from '../../../drivers/serial/keypad-line.js';
import type { Logger } from '../../log/logger.js';
import type { SimCabinet } from '../../sim/sim-cabinet.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import { sinceProcessStart } from '../claim-cabinet.js';
import type { CustodianRequests } from '../custodian-requests.js';
import type { KeypadEntries } from '../keypad-entries.js';
import type { CabinetReaders } from '../readers.js';
import type { Service } from '../service.js';

export interface ReaderInputsOptions {
  readers: CabinetReaders;
  runner: CabinetRunner;
  requests: CustodianRequests;
  keypad: KeypadEntries;
  /** The simulated cabinet, whose keypad and fob reader stand in for real ones. */
  sim: SimCabinet | undefined;
  logger: Logger;
}

/**
 * The badge and fob readers as flow inputs: cards, keypad entries, fob reports, each reader
 * going away or coming back (an event, and while away the `reader.offline` alarm), and an OSDP
 * badge reader's tamper reports (`reader.tampered`). The last
 * input to start, once every decision it causes can be recorded and published.
 */
export function readerInputsService(options: ReaderInputsOptions): Service {
  const { readers, runner, requests, keypad, sim } = options;
  const enter = (entry: KeypadEntry) => void keypad.enter(entry);
  return {
    name: 'readers',
    start() {
      const { badge, fob } = readers;
      // A card tapped for enrolment (`keywarden credential enrol`) is not decided. Whether one
      // waits is asked inside the badge's transaction (one fewer on the badge's path); when one
      // does, the enrolment runs in its own, and if the request has just gone (cancelled,
      // expired) the card is decided after all.
      badge.on('badge', ({ card }) => {
        if (runner.handleBadge(card, () => requests.enrolmentWaiting())) return;
        if (!requests.takeBadge(card)) runner.handle({ kind: 'badge', card });
      });
      fob.on('fob', ({ slot, tag }) => runner.handle({ kind: 'fob', slot, tag }));
      badge.on('keypad', enter);
      sim?.on('keypad', enter);
      badge.on('offline', ({ reason }) =>
        runner.handle({ kind: 'reader', reader: 'badge', online: false, reason }),
      );
      badge.on('online', () => runner.handle({ kind: 'reader', reader: 'badge', online: true }));
      // Only a reader that can tell (OSDP): its tamper switch, or its Secure Channel broken.
      badge.on('tampered', ({ active, reason }) =>
        runner.handle({ kind: 'reader_tamper', reader: 'badge', active, reason }),
      );
      fob.on('offline', ({ reason }) =>
        runner.handle({ kind: 'reader', reader: 'fob', online: false, reason }),
      );
      fob.on('online', () => runner.handle({ kind: 'reader', reader: 'fob', online: true }));
      // Like a real fob reader, the simulated one reports every occupied slot when it connects.
      if (sim) fob.on('online', () => sim.announceFobs());
      runner.useSignalFeedback(readers.feedback);
      readers.start();
      options.logger.info({ sinceStartMs: sinceProcessStart() }, 'readers started');
    },
    async stop() {
      runner.useSignalFeedback(undefined);
      sim?.off('keypad', enter);
      await readers.stop();
    },
  };
}
