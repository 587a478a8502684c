import { describe, expect, it } from 'vitest';
import { inProcessClients } from '../../src/app/delegate-in-process.js';
import { isKeywardenError } from '../../src/errors.js';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

/**
 * The web console the daemon serves itself (the demo) gets the same `clientFor` as the web
 * process over the socket: the same actor naming, the same lesser role, the same refusals.
 */
const temp = useTempDb();

function cabinet() {
  const { db } = temp.open();
  ensureSlots(db, 4);
  const eventLog = new EventLog(db, 'cab-1', new FakeClock());
  const published: string[] = [];
  const clientFor = inProcessClients(
    {
      db,
      eventLog,
      now: () => new Date('2026-12-07T10:00:00Z'),
      cabinet: {},
      requestWaiting: () => undefined,
      recorded: () => published.push('recorded'),
    },
    { account: 'web', role: 'custodian' },
  );
  return { clientFor, eventLog, published };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: unknown) => (isKeywardenError(e) ? e.code : String(e)),
  );

describe('the in-process client factory', () => {
  it('records a change as <user>@<delegate> and has it published', async () => {
    const { clientFor, eventLog, published } = cabinet();
    const alice = clientFor({ account: 'alice', role: 'admin' });
    expect(await alice.account.current()).toEqual({ account: 'alice@web', role: 'custodian' });
    const holderId = await alice.holders.add('Dana Demo', {});
    expect(eventLog.recent(1)[0]).toMatchObject({
      type: 'holder.added',
      data: { actor: { kind: 'custodian', account: 'alice@web' }, holderId },
    });
    expect(published).toEqual(['recorded']);
    await alice.holders.list();
    expect(published).toEqual(['recorded']);
  });

  it('gives no more than the lesser role, and refuses a name that could pass for another', async () => {
    const { clientFor, eventLog } = cabinet();
    expect(await codeOf(clientFor({ account: 'alice', role: 'admin' }).tiers.list())).toBe(
      'resolved',
    );
    expect(
      await codeOf(clientFor({ account: 'alice', role: 'admin' }).tiers.set('master', {})),
    ).toBe('FORBIDDEN');
    expect(await codeOf(clientFor({ account: 'vic', role: 'viewer' }).holders.add('Eve'))).toBe(
      'FORBIDDEN',
    );
    expect(
      await codeOf(clientFor({ account: 'sec@web', role: 'custodian' }).holders.add('Eve')),
    ).toBe('USAGE');
    expect(eventLog.recent(10)).toEqual([]);
  });
});
