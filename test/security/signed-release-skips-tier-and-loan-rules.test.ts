import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue 11, finding 4: a signed `release` opened a grand-master key's slot at once, although a
 * badge for it needed a PIN, a reason code and two authorisers; it also ignored the holder's
 * maximum of keys out. Now a `release` obeys the loan rules, and a key whose tier asks for what
 * only people at the cabinet can give is refused (`presence_required`); there is no override.
 *
 * A real Mosquitto carries the signed commands to the daemon (GPIO simulated). Alice (holder 1)
 * may take slots 1 and 2, which hold K-1 and K-2.
 */
const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
  await waitFor(() => h.daemon.runner.current.slots[0]?.occupied === true, 'K-1 seen in slot 1');
}, 60_000);
afterAll(() => h.stop());

function edit(sql: string): void {
  const db = openDatabase(h.database);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

const solenoids = () => h.energised().filter((o) => o.endsWith('.solenoid') || o === 'door.lock');

it("a signed release of a grand master's slot is refused and energises nothing", async () => {
  // migration 006's grand_master rule: two authorisers, a PIN and a reason code.
  edit("UPDATE keys SET tier = 'grand_master' WHERE home_slot = 1");
  const command = signer.sign('release', { slot: 1, holderId: 1 });
  const { reply } = await h.send(command);
  expect(reply).toMatchObject({
    status: 'ok',
    result: { granted: false, reason: 'presence_required' },
  });
  expect(h.eventsSince(0).at(-1)).toMatchObject({
    type: 'access.denied',
    data: { reason: 'presence_required', holderId: 1, commandId: command.id },
  });
  expect(solenoids()).toEqual([]);
});

it('a signed release beyond the holder’s maximum of keys out is refused', async () => {
  edit('UPDATE holders SET max_keys_out = 0 WHERE id = 1');
  const command = signer.sign('release', { slot: 2, holderId: 1 });
  const { reply } = await h.send(command);
  expect(reply).toMatchObject({ status: 'ok', result: { granted: false, reason: 'loan_limit' } });
  expect(solenoids()).toEqual([]);
});
