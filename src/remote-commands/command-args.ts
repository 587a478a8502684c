import type { CommandName } from '../contract/signed-command.js';
import { readSyncEnvelope } from '../domain/permission-set.js';

/**
 * Each command's arguments, checked after the signature (they are signed, so a problem here is
 * the server's bug, refused as `invalid_args`) and before anything is executed. Unknown
 * arguments are refused too: a server that believes it asked for more than the cabinet does
 * must hear so.
 */
export type CommandArgs =
  | { name: 'ping' }
  | { name: 'replay'; fromSeq: number }
  /** The permission set or delta, checked in full by applyPermissionSync. */
  | { name: 'sync'; payload: Record<string, unknown> }
  | { name: 'release'; slot: number; holderId: number }
  | { name: 'emergency_release' }
  | { name: 'emergency_release_end' }
  | { name: 'lockdown'; allowHolders: number[]; allowGroups: number[] }
  | { name: 'lockdown_end' }
  | { name: 'inventory' }
  | { name: 'reconcile' };

export type ArgsResult = { ok: true; args: CommandArgs } | { ok: false; message: string };

/** The most holders a lockdown may still admit: a custodian group, not a whole directory. */
export const MAX_ALLOW_HOLDERS = 1_000;

export function readArgs(
  name: CommandName,
  args: Record<string, unknown>,
  cabinet: { slotCount: number },
): ArgsResult {
  switch (name) {
    case 'ping':
    case 'emergency_release':
    case 'emergency_release_end':
    case 'lockdown_end':
    case 'inventory':
    case 'reconcile':
      return only(args, []) ?? { ok: true, args: { name } };
    case 'replay': {
      const fromSeq = args.fromSeq;
      if (!isId(fromSeq)) return refuse('fromSeq: must be an integer of at least 1');
      return only(args, ['fromSeq']) ?? { ok: true, args: { name, fromSeq } };
    }
    case 'sync': {
      // Only the envelope here: the rows are checked inside the sync's transaction, and a set
      // with bad rows is an accepted command that failed (`invalid`), with every problem named.
      const envelope = readSyncEnvelope(args);
      if (!envelope.ok) return refuse(`not a permission set: ${envelope.problems.join('; ')}`);
      return { ok: true, args: { name, payload: args } };
    }
    case 'release': {
      const { slot, holderId } = args;
      if (!isId(slot) || slot > cabinet.slotCount) {
        return refuse(`slot: must be an integer from 1 to ${cabinet.slotCount}`);
      }
      if (!isId(holderId)) return refuse('holderId: must be an integer of at least 1');
      return only(args, ['slot', 'holderId']) ?? { ok: true, args: { name, slot, holderId } };
    }
    case 'lockdown': {
      const allow = args.allowHolders ?? [];
      if (!Array.isArray(allow) || !allow.every(isId) || allow.length > MAX_ALLOW_HOLDERS) {
        return refuse(
          `allowHolders: must be an array of at most ${MAX_ALLOW_HOLDERS} holder ids (integers of at least 1)`,
        );
      }
      const groups = args.allowGroups ?? [];
      if (!Array.isArray(groups) || !groups.every(isId) || groups.length > MAX_ALLOW_HOLDERS) {
        return refuse(
          `allowGroups: must be an array of at most ${MAX_ALLOW_HOLDERS} access group ids (integers of at least 1)`,
        );
      }
      return (
        only(args, ['allowHolders', 'allowGroups']) ?? {
          ok: true,
          args: { name, allowHolders: allow, allowGroups: groups },
        }
      );
    }
    default: {
      const never: never = name;
      return refuse(`no arguments are defined for ${String(never)}`);
    }
  }
}

function only(args: Record<string, unknown>, allowed: string[]): ArgsResult | undefined {
  const extra = Object.keys(args).filter((k) => !allowed.includes(k));
  if (extra.length === 0) return undefined;
  return refuse(`unknown argument${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}`);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function refuse(message: string): ArgsResult {
  return { ok: false, message };
}
