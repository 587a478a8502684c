import { expect, it } from 'vitest';
import { listSlots } from '../../src/store/custodian/keys.js';
import { auditReport } from '../../src/reports/audit.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';
import { columnBySlot, seedReportCabinet } from './report-fixture.js';

const temp = useTempDb();

/** `slot list` and `report audit` show where a misplaced key physically is, from the events. */
it('a key in the wrong slot is shown in that slot by slot list and the audit, and at home once moved', () => {
  const { db } = temp.open();
  seedReportCabinet(db); // K-1 is out with Alice
  const log = new EventLog(db, 'report-cab', new FakeClock(Date.parse('2026-01-15T09:30:00Z')));
  const inSlot = () => Object.fromEntries(listSlots({ db }).map((s) => [s.slot, s.inSlot]));
  const audit = () => columnBySlot(auditReport(db), 'inSlot');

  log.append([
    { type: 'key.wrong_slot', data: { keyId: 1, keyLabel: 'K-1', slot: 7, homeSlot: 1 } },
  ]);
  expect([inSlot()[1], inSlot()[7]]).toEqual([null, 'K-1']);
  expect([audit()[1], audit()[7]]).toEqual([null, 'K-1']);
  expect(listSlots({ db })[0]).toMatchObject({ keyLabel: 'K-1', status: 'out' });

  log.append([
    {
      type: 'alarm.cleared',
      data: { alarm: 'key.wrong_slot', slot: 7, since: '2026-01-15T09:30:00.000Z' },
    },
    {
      type: 'key.checked_in',
      data: {
        keyId: 1,
        keyLabel: 'K-1',
        holderId: 1,
        holderName: 'Alice',
        slot: 1,
        outAt: '2026-01-15T08:00:00.000Z',
        durationSeconds: 5400,
        returnedBy: 1,
      },
    },
  ]);
  expect([inSlot()[1], inSlot()[7]]).toEqual(['K-1', null]);
  expect([audit()[1], audit()[7]]).toEqual(['K-1', null]);
});
