import { describe, expect, it } from 'vitest';
import { CustodianApp } from '../../src/app/custodian-app.js';
import {
  neededRole,
  OPERATIONS,
  perform,
  type OperationPlace,
} from '../../src/app/custodian-operations.js';
import { parseRequest } from '../../src/app/custodian-protocol.js';
import type { CustodianAccount } from '../../src/app/custodian-roles.js';
import { isKeywardenError } from '../../src/errors.js';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

function openApp() {
  const { db } = temp.open();
  ensureSlots(db, 4);
  const log = new EventLog(db, 'cab-1', new FakeClock());
  return CustodianApp.open(db, log, { kind: 'custodian', account: 'vera' });
}

const place = (account: CustodianAccount): OperationPlace => ({
  account,
  cabinet: {},
  waiting: () => undefined,
});

describe('the operations the custodian socket serves', () => {
  it('each names an operation of the application layer (or the two of the socket itself)', () => {
    const app = openApp() as unknown as Record<string, Record<string, unknown>>;
    const missing = Object.keys(OPERATIONS).filter((op) => {
      const [group = '', method = ''] = op.split('.');
      if (op === 'names.snapshot' || op === 'account.current') return false;
      return typeof app[group]?.[method] !== 'function';
    });
    expect(missing).toEqual([]);
  });

  it('asks the least role of each: viewers read, custodians change, admins set tiers and see full cards', () => {
    const byRole = (role: string) =>
      Object.keys(OPERATIONS).filter((op) => neededRole(op, []) === role);
    expect(
      byRole('viewer').every((op) =>
        /\.(list|show|search|overview|active|state|out|recent|after|snapshot|current|keysOut|overdue|history|prunedBefore|accessMatrix|accessMatrixPage|searchEvents|audit|export|usage|inForce)$/.test(
          op,
        ),
      ),
    ).toBe(true);
    expect(byRole('admin')).toEqual(['tiers.set']);
    expect(neededRole('csv.export', ['credentials', { cards: true }])).toBe('admin');
    expect(neededRole('csv.export', ['credentials', { cards: false }])).toBe('viewer');
    expect(neededRole('constructor.name', [])).toBeUndefined();
  });

  it("records a change under the caller's account, and refuses one the role does not allow", async () => {
    const app = openApp();
    await expect(
      perform(app, 'holders.add', ['Mallory'], place({ account: 'vera', role: 'viewer' })),
    ).rejects.toSatisfy((e) => isKeywardenError(e, 'FORBIDDEN'));
    await expect(
      perform(app, 'holders.list', [], place({ account: 'vera', role: 'viewer' })),
    ).resolves.toEqual([]);
    await expect(
      perform(app, '__proto__.x', [], place({ account: 'vera', role: 'admin' })),
    ).rejects.toSatisfy((e) => isKeywardenError(e, 'USAGE'));
  });
});

describe('a request line', () => {
  it('is an id, an operation and its arguments, and nothing else', () => {
    expect(parseRequest('{"id":1,"op":"holders.list","args":[]}')).toEqual({
      id: 1,
      op: 'holders.list',
      args: [],
    });
    for (const [line, why] of [
      ['not json', /one JSON object per line/],
      ['[1,2]', /one JSON object per line/],
      ['{"id":1,"op":"holders.list","args":[],"actor":"sec"}', /unknown field actor/],
      ['{"id":"1","op":"holders.list","args":[]}', /id must be an integer/],
      ['{"id":1,"op":"holders","args":[]}', /op must name an operation/],
      ['{"id":1,"op":"holders.list","args":{}}', /args must be a list/],
    ] as const) {
      expect(() => parseRequest(line), line).toThrow(why);
    }
  });
});
