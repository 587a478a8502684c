import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommandName } from '../../src/contract/signed-command.js';
import { BASE, CommandHarness } from './command-harness.js';
import { TestSigner } from './command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

it('a late second reply to an earlier command is not taken for the next command', async () => {
  const refused = signer.sign('open_sesame' as CommandName);
  expect((await h.send(refused)).reply).toMatchObject({ commandId: refused.id });
  // The copy QoS 1 may deliver again after a reconnect: the cabinet refuses it a second time,
  // and that reply arrives while the ping below waits for its own.
  h.server.publish(`${BASE}/cmd/open_sesame`, JSON.stringify(refused), { qos: 1 });
  const ping = signer.sign('ping');
  const received = await h.send(ping);
  expect(received.reply).toMatchObject({ commandId: ping.id, status: 'ok' });
  // Refused twice, and each refusal received once.
  expect(h.replies.filter((r) => r.reply.commandId === refused.id)).toHaveLength(2);
});
