import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import { openDatabase } from '../../src/store/database.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';
import { JumpingClock } from '../support/jumping-clock.js';
import { ALICE } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A Pi has no real-time clock and NTP is not authenticated: whoever answers NTP (or cuts the
 * power and the network) can set the wall clock back. With the clock two days back, a holder
 * whose validity ended an hour ago was granted again, and a signed command that expired two
 * days ago was carried out. The daemon (in-process, over a real SQLite file and a real
 * Mosquitto) first runs on the true clock, as the cabinet did; then restarts on a wall clock
 * set back two days, which the test injects (the machine's clock is never touched).
 */
const TWO_DAYS_MS = 2 * 24 * 3_600_000;
const signer = new TestSigner();
let h: CommandHarness;
const clock = new JumpingClock();

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
  await h.daemon.stop();
  // Alice is a contractor whose validity ended an hour ago.
  const db = openDatabase(h.database);
  db.prepare("UPDATE holders SET valid_until = ? WHERE name = 'Alice'").run(
    new Date(Date.now() - 3_600_000).toISOString(),
  );
  db.close();
  clock.jump(-TWO_DAYS_MS);
  await h.startDaemon(clock);
}, 30_000);

afterAll(() => h?.stop());

describe('a wall clock set back two days', () => {
  it('finds the latest time seen saved beside the database by the earlier run', () => {
    expect(existsSync(`${h.database}.clock-floor`)).toBe(true);
  });

  it('leaves the expired contractor expired', async () => {
    const since = h.daemon.eventLog.lastSeq();
    h.daemon.sim?.badge(ALICE);
    const decided = () =>
      h.eventsSince(since).find((e) => e.type === 'access.granted' || e.type === 'access.denied');
    await waitFor(() => decided() !== undefined, 'the badge is decided');
    const decision = decided() as RecordedEvent;
    expect(decision.type).toBe('access.denied');
    expect(decision.data).toMatchObject({ reason: 'holder_expired' });
    expect(h.energised()).toEqual(['indicator.red']); // told no; no lock, no solenoid
  });

  it('leaves a command that expired two days ago expired', async () => {
    const back = Date.now() - TWO_DAYS_MS;
    const stale = signer.sign(
      'ping',
      {},
      {
        issuedAt: new Date(back - 60_000).toISOString(),
        expiresAt: new Date(back + 5 * 60_000).toISOString(),
      },
    );
    const { reply } = await h.send(stale);
    expect(reply).toMatchObject({ status: 'rejected', reason: 'expired' });
  });

  it('records the decisions at the latest time seen, not two days back, marked unsynchronised', () => {
    const last = h.daemon.eventLog.recent(1)[0] as RecordedEvent;
    expect(Date.parse(last.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(last.clockSynced).toBe(false);
  });
});
