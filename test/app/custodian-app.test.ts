import { describe, expect, it } from 'vitest';
import { CustodianApp } from '../../src/app/custodian-app.js';
import { KeywardenError } from '../../src/errors.js';
import { holdersCsv } from '../../src/import/holders-csv.js';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();
const maria = { kind: 'custodian' as const, account: 'maria' };

/** The application layer as a web route would use it: a store handle and who is asking. */
function openApp() {
  const { db } = temp.open();
  ensureSlots(db, 4);
  const log = new EventLog(db, 'cab-1', new FakeClock());
  return { db, log, app: CustodianApp.open(db, log, maria) };
}

function thrownBy(operation: () => unknown): KeywardenError {
  try {
    operation();
  } catch (error) {
    if (error instanceof KeywardenError) return error;
    throw error;
  }
  throw new Error('the operation did not throw');
}

describe('CustodianApp: one entry for every operation', () => {
  it('records each change with its audit event in the name of the actor it was opened for', () => {
    const { log, app } = openApp();
    const holderId = app.holders.add('Alice Example');
    app.keys.add('AA01', 1, 'Plant room');
    expect(app.permissions.grant(holderId, 1)).toBe(true);
    expect(log.recent(10).map((e) => [e.type, (e.data as { actor: unknown }).actor])).toEqual([
      ['holder.added', maria],
      ['key.added', maria],
      ['permission.granted', maria],
    ]);
    expect(app.holders.list()).toEqual([
      { id: holderId, name: 'Alice Example', enabled: true, cards: 0, slots: '1' },
    ]);
  });

  it('refuses bad input with a stable code and changes nothing', () => {
    const { log, app } = openApp();
    const holderId = app.holders.add('Alice Example');
    const before = log.lastSeq();
    expect(thrownBy(() => app.permissions.grant(999, 1)).code).toBe('NOT_FOUND');
    expect(thrownBy(() => app.permissions.grant(holderId, 99)).code).toBe('NOT_FOUND');
    expect(thrownBy(() => app.holders.add('   ')).code).toBe('USAGE');
    expect(log.lastSeq()).toBe(before);
    expect(app.holders.list()).toHaveLength(1);
  });

  it('checks the instants and counts a caller other than the CLI hands over as plain values', () => {
    const { log, app } = openApp();
    const holderId = app.holders.add('Alice Example', { validUntil: '2030-01-01T01:00+01:00' });
    // Stored canonical, as the CLI stores it.
    expect(app.holders.show(holderId).validUntil).toBe('2030-01-01T00:00:00.000Z');
    const before = log.lastSeq();
    const refusals = [
      () => app.holders.add('Bob Example', { validUntil: 'next week' }),
      () => app.holders.update(holderId, { validFrom: '2030-01-01' }),
      () => app.holders.update(holderId, { maxKeysOut: -1 }),
      () => app.credentials.add(holderId, '100086F444', { validFrom: 'soon' }),
      () => app.groups.add('Night shift', 2.5),
      () => app.grants.add({ holderId, slot: 1, maxLoanMinutes: 0 }),
    ];
    for (const refused of refusals) {
      const error = thrownBy(refused);
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(/^(validUntil|validFrom|maxKeysOut|maxLoanMinutes)/);
    }
    expect(log.lastSeq()).toBe(before);
  });

  it('imports a CSV file as the actor, and exports it again', () => {
    const { log, app } = openApp();
    app.holders.add('Added By Hand');
    const report = app.csv.import(
      holdersCsv,
      'hr_ref,name,enabled,valid_from,valid_until,max_keys_out\nHR-1,Bob Example,1,,,\n',
      {
        dryRun: false,
      },
    );
    expect(report).toMatchObject({ rows: 1, changes: 1, errors: [], applied: true });
    const last = log.recent(1)[0];
    expect(last?.type).toBe('holder.added');
    expect((last?.data as { actor: unknown }).actor).toEqual(maria);
    expect(app.csv.export(holdersCsv, { cards: false })).toEqual({
      rows: [['HR-1', 'Bob Example', 1, null, null, null]],
      holdersWithoutRef: 1,
    });
  });

  it('hands the daemon a request the caller can cancel, so nothing acts on it later', async () => {
    const { db, app } = openApp();
    const holderId = app.holders.add('Alice Example');
    const request = app.requests.enrolNextCard(holderId, 30_000);
    request.cancel();
    await expect(request.outcome).resolves.toEqual({ cancelled: true });
    const open = db.prepare('SELECT count(*) FROM custodian_requests WHERE done_at IS NULL');
    expect(open.pluck().get()).toBe(0);
  });

  it('refuses a request it cannot carry out before writing it', () => {
    const { db, app } = openApp();
    expect(thrownBy(() => app.requests.enrolNextCard(42, 30_000)).code).toBe('NOT_FOUND');
    expect(thrownBy(() => app.requests.clearLockout({ credentialId: 7 }, 10_000)).code).toBe(
      'NOT_FOUND',
    );
    expect(thrownBy(() => app.requests.clearLockout('reader', 601_000)).code).toBe('USAGE');
    expect(db.prepare('SELECT count(*) FROM custodian_requests').pluck().get()).toBe(0);
  });

  it('answers reports read-only, leaving the presentation to the caller', () => {
    const { log, app } = openApp();
    app.keys.add('AA01', 1, 'Plant room');
    const before = log.lastSeq();
    expect(app.reports.audit().rows).toHaveLength(4);
    const findings = app.reports.audit({ findingsOnly: true });
    expect(findings.rows).toEqual([]);
    expect(findings.empty).toBe('nothing to report: the inventory agrees with the records');
    expect(app.reports.keysOut(new Date()).rows).toEqual([]);
    expect(log.lastSeq()).toBe(before);
  });
});
