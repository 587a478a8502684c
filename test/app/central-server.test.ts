import { describe, expect, it } from 'vitest';
import { CentralServerOperations } from '../../src/app/central-server.js';
import type { SignedCommand } from '../../src/contract/signed-command.js';
import { EventLog } from '../../src/store/event-log.js';
import { loadLockdown } from '../../src/store/lockdown-state.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

function openServer() {
  const { db } = temp.open();
  const clock = new FakeClock();
  const log = new EventLog(db, 'cab-1', clock);
  return { db, log, server: new CentralServerOperations({ db, log }, () => clock.wallMs()) };
}

function command(id: string, counter: number, name: SignedCommand['name'] = 'ping') {
  return {
    id,
    name,
    cabinetId: 'cab-1',
    issuedAt: '2026-11-24T08:59:00.000Z',
    expiresAt: '2026-11-24T09:05:00.000Z',
    keyId: 'server-1',
    counter,
    args: {},
    signature: 'unused: verification is the intake’s',
  } satisfies SignedCommand;
}

describe('the central server’s operations', () => {
  it('an accepted command advances its key’s counter and is recorded first', () => {
    const { server } = openServer();
    const recorded = server.acknowledge(server.acceptance(command('c-1', 7)));
    expect(recorded.map((e) => [e.type, e.data])).toEqual([
      ['command.accepted', { commandId: 'c-1', name: 'ping', keyId: 'server-1', counter: 7 }],
    ]);
    expect(server.lastCounter('server-1')).toBe(7);
    expect(server.wasExecuted('c-1')).toBe(true);
    expect(server.lastSeq()).toBe(recorded[0]?.seq);
  });

  it('a counter that does not increase rolls the whole command back', () => {
    const { log, server } = openServer();
    server.acknowledge(server.acceptance(command('c-1', 7)));
    const before = log.lastSeq();
    expect(() => server.acknowledge(server.acceptance(command('c-2', 7)))).toThrow(
      /does not increase/,
    );
    expect(log.lastSeq()).toBe(before);
    expect(server.wasExecuted('c-2')).toBe(false);
  });

  it('a refused permission set is accepted alone: the counter moves, the records do not', () => {
    const { server } = openServer();
    const { recorded, result } = server.applySync(
      'c-3',
      { form: 'nonsense' },
      4,
      server.acceptance(command('c-3', 1, 'sync')),
    );
    expect(result.ok).toBe(false);
    expect(recorded.map((e) => e.type)).toEqual(['command.accepted']);
    expect(server.lastCounter('server-1')).toBe(1);
  });

  it('records a refusal, and keeps a lockdown for a restart until it is cleared', () => {
    const { db, log, server } = openServer();
    server.recordRejection({
      reason: 'replayed',
      message: 'seen before',
      commandId: 'c-1',
      name: 'ping',
      keyId: 'server-1',
    });
    expect(log.recent(1)[0]?.type).toBe('command.rejected');
    server.saveLockdown({ commandId: 'c-4', allowHolders: [2] });
    expect(loadLockdown(db)).toMatchObject({ commandId: 'c-4', allowHolders: [2] });
    server.saveLockdown(null);
    expect(loadLockdown(db)).toBeNull();
  });
});
