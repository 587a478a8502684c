import { expect, it } from 'vitest';
import { auditReport } from '../../src/reports/audit.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';
import { columnBySlot, seedReportCabinet } from './report-fixture.js';

const temp = useTempDb();

/** `report audit` shows a `key.duplicate_fob` in force in the slot it was reported in. */
it('the audit names a duplicated fob until its alarm clears or the daemon restarts', () => {
  const { db } = temp.open();
  seedReportCabinet(db);
  const log = new EventLog(db, 'report-cab', new FakeClock(Date.parse('2026-01-15T09:30:00Z')));
  const findings = () => columnBySlot(auditReport(db), 'findings');
  const duplicate = {
    type: 'key.duplicate_fob',
    data: { slot: 4, otherSlot: 2, tag: 'A000000002', keyId: 2, keyLabel: 'K-2' },
  } as const;

  log.append([duplicate]);
  expect(findings()[4]).toContain(
    "duplicate fob: K-2's fob A000000002 also reported in slot 2 (withheld)",
  );
  expect(findings()[2]).not.toContain('duplicate');

  log.append([
    {
      type: 'alarm.cleared',
      data: { alarm: 'key.duplicate_fob', slot: 4, since: '2026-01-15T09:30:00.000Z' },
    },
  ]);
  expect(findings()[4]).not.toContain('duplicate');

  // An unknown tag duplicated, then a restart: the restarted daemon starts with no alarm (it
  // records a new one if the reader still reports both slots).
  log.append([
    {
      type: 'key.duplicate_fob',
      data: { slot: 6, otherSlot: 7, tag: 'BEEF0042', keyId: null, keyLabel: null },
    },
  ]);
  expect(findings()[6]).toContain('duplicate fob: fob BEEF0042 also reported in slot 7');
  log.append([{ type: 'cabinet.started', data: { version: '0.1.0', profile: 'sim-12' } }]);
  expect(findings()[6]).not.toContain('duplicate');
});
