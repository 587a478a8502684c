import { expect, it } from 'vitest';
import { CustodianApp, MAX_RECENT_EVENTS } from '../../src/app/custodian-app.js';
import { perform, type OperationPlace } from '../../src/app/custodian-operations.js';
import type { CustodianAccount } from '../../src/app/custodian-roles.js';
import { isKeywardenError, type KeywardenErrorCode } from '../../src/errors.js';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

/**
 * What a custodian's socket client can send that the command line never would: plain JSON, any
 * field, any type (found by the review of issue 11). A custodian (not an admin) must not take a
 * key's tier off or give it one the rules do not know; a patch must not carry fields that are
 * recorded in the audit event but never applied, nor a string where a flag is meant; a reader
 * must not ask for the whole event log in one answer.
 */
const temp = useTempDb();

function cabinet() {
  const { db } = temp.open();
  ensureSlots(db, 4);
  const log = new EventLog(db, 'cab-1', new FakeClock());
  const app = CustodianApp.open(db, log, { kind: 'custodian', account: 'vera' });
  const place = (account: CustodianAccount): OperationPlace => ({
    account,
    cabinet: {},
    waiting: () => undefined,
  });
  const as = (role: CustodianAccount['role']) => (op: string, args: unknown[]) =>
    perform(app, op, args, place({ account: 'vera', role }));
  return { db, log, app, as };
}

const refused = (code: KeywardenErrorCode) => (e: unknown) => isKeywardenError(e, code);

it("a custodian cannot take a grand master key's tier off, nor give a key a tier: that is an admin's", async () => {
  const { app, db, as } = cabinet();
  const keyId = app.keys.add('AB01', 1, 'Grand master', { tier: 'grand_master' });
  await expect(as('custodian')('keys.update', [keyId, { tier: null }])).rejects.toSatisfy(
    refused('FORBIDDEN'),
  );
  await expect(
    as('custodian')('keys.add', ['AB02', 2, 'Master', { tier: 'master' }]),
  ).rejects.toSatisfy(refused('FORBIDDEN'));
  expect(db.prepare('SELECT tier FROM keys WHERE id = ?').get(keyId)).toEqual({
    tier: 'grand_master',
  });
  // A label is still a custodian's to change.
  await expect(as('custodian')('keys.update', [keyId, { label: 'GM' }])).resolves.toBe(true);
});

it('no one can give a key a tier the rules do not know, which would make every decision on its slot throw', async () => {
  const { app, db, as } = cabinet();
  const keyId = app.keys.add('AB01', 1, 'Grand master', { tier: 'grand_master' });
  for (const tier of ['x', 'none', 7, '']) {
    await expect(as('admin')('keys.update', [keyId, { tier }]), String(tier)).rejects.toSatisfy(
      refused('USAGE'),
    );
  }
  await expect(as('admin')('keys.add', ['AB02', 2, 'K', { tier: 'x' }])).rejects.toSatisfy(
    refused('USAGE'),
  );
  expect(db.prepare('SELECT count(*) AS n FROM keys').get()).toEqual({ n: 1 });
});

it('a patch with a field the operation does not take, or a string for a flag, changes nothing and records nothing', async () => {
  const { app, db, log, as } = cabinet();
  const holderId = app.holders.add('Alice');
  const credentialId = app.credentials.add(holderId, '100086F444');
  app.credentials.update(credentialId, { enabled: false });
  const before = log.lastSeq();
  for (const patch of [{ enabled: 'false', holderId: 99 }, { enabled: 'true' }, { holderId: 99 }]) {
    await expect(
      as('custodian')('credentials.update', [credentialId, patch]),
      JSON.stringify(patch),
    ).rejects.toSatisfy(refused('USAGE'));
  }
  await expect(as('custodian')('holders.update', [holderId, { retired: 1 }])).rejects.toSatisfy(
    refused('USAGE'),
  );
  await expect(as('custodian')('keys.update', [1, { homeSlot: 3 }])).rejects.toSatisfy(
    refused('USAGE'),
  );
  expect(log.lastSeq()).toBe(before);
  expect(db.prepare('SELECT enabled FROM credentials WHERE id = ?').get(credentialId)).toEqual({
    enabled: 0,
  });
});

it('a reader asks for at most a bounded number of recent events', async () => {
  const { as } = cabinet();
  for (const limit of [-1, 0, 1.5, '5', MAX_RECENT_EVENTS + 1]) {
    await expect(as('viewer')('events.recent', [limit]), String(limit)).rejects.toSatisfy(
      refused('USAGE'),
    );
  }
  await expect(as('viewer')('events.recent', [MAX_RECENT_EVENTS])).resolves.toBeInstanceOf(Array);
});
