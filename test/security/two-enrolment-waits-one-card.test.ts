import { describe, expect, it } from 'vitest';
import { CustodianApp } from '../../src/app/custodian-app.js';
import type { CabinetRunner } from '../../src/daemon/cabinet-runner.js';
import { CustodianRequests } from '../../src/daemon/custodian-requests.js';
import { KeywardenError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

/**
 * Two custodians (two console pages, or a page and the command line) each wait for a tap to
 * enrol a card: the next card tapped goes to the OLDEST wait. Bob taps Bruno's new card at the
 * cabinet and it is enrolled to Alice, in Maria's name, while Bob's page goes on waiting; Bruno's
 * card then opens Alice's keys. A second wait must be refused while one is armed.
 */
describe('two enrolment waits at once', () => {
  function cabinet() {
    const { db } = temp.open();
    ensureSlots(db, 4);
    const clock = new FakeClock();
    const log = new EventLog(db, 'cab-1', clock);
    const maria = CustodianApp.open(db, log, { kind: 'custodian', account: 'maria@web' });
    const bob = CustodianApp.open(db, log, { kind: 'custodian', account: 'bob@web' });
    const daemon = new CustodianRequests({
      db,
      log,
      // Enrolment never reaches the cabinet flow: a tap while a wait is armed is taken first.
      runner: {} as CabinetRunner,
      clock,
      logger: silentLogger(),
      recorded: () => undefined,
    });
    return { db, maria, bob, daemon };
  }

  it('refuses the second wait while the first is armed, so a tap cannot go to the wrong person', async () => {
    const { db, maria, bob, daemon } = cabinet();
    const alice = maria.holders.add('Alice Example');
    const bruno = bob.holders.add('Bruno Example');
    const first = maria.requests.enrolNextCard(alice, 60_000);

    let refused: unknown;
    try {
      bob.requests.enrolNextCard(bruno, 60_000);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(KeywardenError);
    expect((refused as KeywardenError).code).toBe('CONFLICT');
    expect((refused as KeywardenError).message).toMatch(/already waits.*nothing was changed/);
    const open = db.prepare('SELECT count(*) FROM custodian_requests WHERE done_at IS NULL');
    expect(open.pluck().get()).toBe(1);

    // Bob's tap, had his wait been armed, is Maria's: the card goes to Alice, not to Bruno.
    expect(daemon.takeBadge('B2C3D4')).toBe(true);
    expect(typeof (await first.outcome)?.card).toBe('string');
    expect(maria.credentials.list(alice)).toHaveLength(1);
    expect(bob.credentials.list(bruno)).toHaveLength(0);

    // Once the first wait has ended, the next one is armed.
    const second = bob.requests.enrolNextCard(bruno, 60_000);
    second.cancel();
    await expect(second.outcome).resolves.toEqual({ cancelled: true });
  });
});
