import { expect, it } from 'vitest';
import { validateMessage } from '../../src/contract/schemas.js';
import { buildInventory } from '../../src/daemon/inventory.js';
import { CabinetScenario } from '../support/cabinet-scenario.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();
const K1 = 'AA00000001';
const K3 = 'AA00000003';

/** The retained inventory, built from the flow's slot state as the daemon builds it. */
function inventory(s: CabinetScenario, db: ReturnType<typeof temp.open>['db']) {
  const payload = buildInventory('dup-cab', s.state, s.directory, db);
  expect(validateMessage('inventory', payload)).toEqual([]);
  return payload;
}

it('a slot with key.duplicate_fob shows the duplicated tag beside the key recorded there', () => {
  const { db } = temp.open();
  const s = new CabinetScenario();
  s.send({ kind: 'fob', slot: 3, tag: K1 }); // K-1's tag in slot 3, while K-1 is in slot 1
  expect(s.eventTypes()).toEqual(['key.duplicate_fob']);
  expect(inventory(s, db).slots[2]).toEqual({
    slot: 3,
    state: 'occupied',
    key: { id: 300, label: 'K-3' },
    tag: K3,
    home: { id: 300, label: 'K-3' },
    duplicateTag: K1,
  });
  expect(inventory(s, db).slots[0]).toMatchObject({ slot: 1, tag: K1, duplicateTag: null });

  // The slot reads its own key again: the alarm clears, and so does the inventory's mark.
  s.send({ kind: 'fob', slot: 3, tag: K3 });
  expect(s.eventTypes()).toEqual(['key.duplicate_fob', 'alarm.cleared']);
  expect(inventory(s, db).slots[2]).toMatchObject({ tag: K3, duplicateTag: null });
});
