import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageVersion } from '../../src/paths.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

it('ping answers with the version, the time and the last sequence number, and is recorded', async () => {
  const command = signer.sign('ping');
  const { reply } = await h.send(command);
  const lastSeq = h.daemon.eventLog.lastSeq();
  expect(reply).toEqual({
    commandId: command.id,
    name: 'ping',
    status: 'ok',
    result: { version: packageVersion(), time: expect.any(String) as string, lastSeq },
  });
  if (reply.status !== 'ok') throw new Error('ping failed');
  expect(Math.abs(Date.parse(String(reply.result.time)) - Date.now())).toBeLessThan(5_000);
  expect(h.daemon.eventLog.recent(1)[0]).toMatchObject({
    seq: lastSeq,
    type: 'command.accepted',
    data: { commandId: command.id, name: 'ping', keyId: 'central-1', counter: command.counter },
  });
});
