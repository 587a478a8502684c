import type { WebHarness } from './web-harness.js';

/**
 * A small cabinet for the keys, rules and records pages: three keys (one with a label a
 * spreadsheet would run as a formula), three holders, a group with a grant on a key set in a
 * weekday schedule, a direct permission, a reason code, a tier rule.
 */
export async function seedKeysAndRecords(harness: WebHarness) {
  const client = harness.clientFor({ account: 'ada', role: 'admin' });
  const alice = await client.holders.add('Alice Example', {});
  const bob = await client.holders.add('Bob Builder', {});
  await client.holders.add('Cat Carpenter', {});
  const plant = await client.keys.add('04A1B2C3', 1, 'K-01 Plant room', { tier: 'master' });
  const van = await client.keys.add('04A1B2C4', 2, 'K-02 Van', {});
  await client.keys.add('04A1B2C5', 3, '=HYPERLINK("http://evil.example")', {});
  const crew = await client.groups.add('Night crew', 240);
  await client.groups.addMember(crew, bob);
  const vans = await client.keySets.add('Vans');
  await client.keySets.addKey(vans, van);
  const weekdays = await client.schedules.add('Weekdays');
  for (let day = 1; day <= 5; day++) {
    await client.schedules.addWindow(weekdays, day, { start: 7 * 60, end: 19 * 60 });
  }
  await client.schedules.addException(weekdays, '2026-12-25', 'closed', null);
  await client.grants.add({ groupId: crew, keySetId: vans, scheduleId: weekdays });
  await client.permissions.grant(alice, 1);
  await client.reasonCodes.add('104', 'Planned maintenance');
  await client.tiers.set('master', { pin: true, reasonCode: true });
  return { alice, bob, plant, van, crew };
}
