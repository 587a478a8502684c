import type { Database } from 'better-sqlite3';
import { activeDuplicateFobs } from '../store/duplicate-fobs.js';
import { lastKnownSlots, type SlotSeen } from '../store/last-known-slots.js';
import { keyRecords, openLoansByHolderState, slotNumbers } from '../store/report-queries.js';
import type { Report } from './report.js';

/**
 * The physical inventory as last known, slot by slot (src/store/last-known-slots.ts, replayed
 * from the events that move keys), against the records.
 */
export function auditReport(db: Database): Report {
  const slots = slotNumbers(db);
  const keys = keyRecords(db);
  const keyById = new Map(keys.map((k) => [k.id, k]));
  const homeOf = new Map(keys.filter((k) => k.homeSlot !== null).map((k) => [k.homeSlot, k]));
  const loans = openLoansByHolderState(db);
  const loanOf = new Map(loans.map((l) => [l.keyId, l]));

  const seen = lastKnownSlots(db);
  const duplicates = activeDuplicateFobs(db);
  // Where each key is, as last known: the slot that holds it, if any.
  const slotOfKey = new Map<number, number>();
  for (const [n, s] of seen) if (s.keyId !== null) slotOfKey.set(s.keyId, n);

  const rows = slots.map((n) => {
    const s = seen.get(n) as SlotSeen;
    const home = homeOf.get(n);
    const inSlot = s.keyId !== null ? keyById.get(s.keyId) : undefined;
    const loan = home ? loanOf.get(home.id) : undefined;
    const findings: string[] = [];
    if (home) {
      const where = slotOfKey.get(home.id);
      if (where === undefined && !loan && home.state === 'active') {
        findings.push(`${home.label} is out without a loan`);
      }
      if (loan && where !== undefined) {
        findings.push(
          `loan to ${loan.holderName} (${loan.holderId}) is open but ${home.label} is in slot ${where}`,
        );
      }
      if (loan && (loan.enabled === 0 || loan.retired === 1)) {
        findings.push(
          `${home.label} is out with ${loan.retired ? 'retired' : 'disabled'} holder ${loan.holderName} (${loan.holderId})`,
        );
      }
      if (home.state !== 'active') findings.push(`${home.label} is marked ${home.state}`);
    }
    if (inSlot && inSlot.homeSlot !== n) {
      findings.push(
        `${inSlot.label} is here, its home is ${inSlot.homeSlot === null ? 'none (vacated)' : `slot ${inSlot.homeSlot}`}`,
      );
    }
    if (s.tag !== null) findings.push(`unknown fob ${s.tag}`);
    const duplicate = duplicates.get(n);
    if (duplicate) {
      const fob = duplicate.keyLabel ? `${duplicate.keyLabel}'s fob` : `fob`;
      findings.push(
        `duplicate fob: ${fob} ${duplicate.tag} also reported in slot ${duplicate.otherSlot} (withheld)`,
      );
    }
    return {
      slot: n,
      state: s.occupied ? 'occupied' : 'empty',
      inSlot: inSlot?.label ?? (s.tag !== null ? `fob ${s.tag}` : null),
      lastSeen: s.at,
      homeKey: home?.label ?? null,
      keyState: home?.state ?? null,
      loan: loan ? `${loan.holderName} (${loan.holderId})` : null,
      loanSince: loan?.since ?? null,
      findings: findings.join('; '),
    };
  });
  return {
    columns: [
      { key: 'slot', header: 'SLOT' },
      { key: 'state', header: 'LAST KNOWN' },
      { key: 'inSlot', header: 'IN SLOT' },
      { key: 'lastSeen', header: 'SINCE', instant: 'minute' },
      { key: 'homeKey', header: 'HOME OF' },
      { key: 'keyState', header: 'KEY STATE' },
      { key: 'loan', header: 'ON LOAN TO' },
      { key: 'loanSince', header: 'LOAN SINCE', instant: 'minute' },
      { key: 'findings', header: 'FINDINGS' },
    ],
    rows,
    empty: 'this cabinet has no slots',
  };
}
