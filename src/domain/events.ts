import type { Actor } from './actor.js';
import type { BadgeDenialReason } from './denial-reason.js';
import type { AlarmType, EmergencyReleases, ReaderName } from './cabinet-state.js';
import type { SyncCounts } from './permission-set.js';
import type { AuthorisationRefusal } from './dual-authorisation.js';
import type { KeyState } from './model.js';
import type { ExpiringKind } from './policy/expiries.js';

export type { Actor } from './actor.js';
export type { ChangeCounts, SyncCounts } from './permission-set.js';

/**
 * Every fact the cabinet records. The domain produces `NewEvent`s; the store gives each an id,
 * a sequence number and a time, and the publisher sends it to
 * `<prefix>/<cabinetId>/event/<type>`. docs/mqtt.md describes each payload for integrators:
 * change both together.
 */

interface KeyRef {
  keyId: number;
  keyLabel: string;
}

interface CommandRef {
  commandId: string;
  name: string;
}

/** Why a command from the central server was refused (docs/mqtt.md, "Commands"). */
export type CommandRejection =
  | 'malformed'
  | 'unknown_command'
  | 'unsigned'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_cabinet'
  | 'expired'
  | 'not_yet_valid'
  | 'replayed'
  | 'out_of_order'
  | 'invalid_args';

interface HolderRef {
  holderId: number;
  holderName: string;
}

export type NewEvent =
  | {
      type: 'access.granted';
      data: HolderRef & {
        /** The badge's credential and shortened card; absent for a remote release. */
        credentialId?: number;
        card?: string;
        slots: number[];
        /** Set when the central server's `release` command asked for it. */
        commandId?: string;
        /** The reason code typed, when a key's tier asks for one. */
        reasonCode?: string;
        /** The further holders who authorised the release (two- and three-person rule). */
        authorisers?: HolderRef[];
        /** Slots whose keys wait for authorisers before they are released. */
        withheld?: number[];
        /** The door opens for returns only: the holder may take nothing now. */
        takeRefused?: 'overdue_key' | 'loan_limit';
      };
    }
  | {
      type: 'access.denied';
      data: {
        reason: BadgeDenialReason;
        card?: string;
        holderId?: number;
        credentialId?: number;
        commandId?: string;
        /** `pick_refused`: the slots picked on the cabinet screen. */
        slots?: number[];
        /**
         * When the denial happened, if that is not when it was recorded: a `storage` denial is
         * written once the database accepts writes again.
         */
        occurredAt?: string;
      };
    }
  | {
      type: 'key.checked_out';
      /** dueAt: when the key must be back (the strictest loan limit); null when none applies. */
      data: KeyRef & HolderRef & { slot: number; dueAt: string | null };
    }
  | {
      type: 'key.checked_in';
      data: KeyRef &
        HolderRef & {
          slot: number;
          outAt: string;
          durationSeconds: number;
          returnedBy: number | null;
        };
    }
  | { type: 'key.forced'; data: { slot: number; keyId: number | null; keyLabel: string | null } }
  | { type: 'key.wrong_slot'; data: KeyRef & { slot: number; homeSlot: number } }
  | { type: 'key.overdue'; data: OverdueRef }
  | { type: 'key.overdue_reminder'; data: OverdueRef & { overdueMinutes: number } }
  /** A key marked lost, stolen or retired came back into the cabinet. */
  | { type: 'key.flagged_return'; data: KeyRef & { slot: number; state: KeyState } }
  | {
      type: 'authorisation.requested';
      data: HolderRef & {
        slots: number[];
        required: 1 | 2;
        groupIds: number[];
        windowSeconds: number;
      };
    }
  | {
      type: 'authorisation.given';
      data: HolderRef & { authoriser: HolderRef; given: number; required: 1 | 2 };
    }
  | {
      type: 'authorisation.refused';
      data: HolderRef & {
        reason: AuthorisationRefusal;
        authoriserId?: number;
        card?: string;
      };
    }
  | {
      type: 'authorisation.expired';
      data: HolderRef & { slots: number[]; authorisers: number[] };
    }
  /** The duress PIN: the cabinet granted as usual; nothing at the cabinet shows this alarm. */
  | { type: 'alarm.duress'; data: HolderRef & { credentialId: number } }
  /**
   * The credential reached the configured number of wrong PINs in a row (`wrongPins`): every
   * badge of it is refused (`pin_locked`) until a custodian resets it (`pin.reset`).
   */
  | { type: 'pin.locked'; data: { credentialId: number; holderId: number; wrongPins: number } }
  /**
   * The count of wrong PINs in a row went back to 0: the right PIN was typed (no `actor`), or a
   * custodian reset it (`actor`), which also ends a `pin.locked`. `wrongPins`: the count before.
   */
  | {
      type: 'pin.reset';
      data: { credentialId: number; holderId: number; wrongPins: number; actor?: Actor };
    }
  /** A validity window ended: from `until` the record opens nothing. */
  | {
      type: 'validity.expired';
      data: {
        kind: ExpiringKind;
        id: number;
        holderId: number | null;
        slot?: number;
        until: string;
      };
    }
  | { type: 'key.unknown_fob'; data: { slot: number; tag: string } }
  | { type: 'door.forced'; data: Record<string, never> }
  // --- Safety and recovery (issue 5) ---
  /** Open longer than the held-open time (the setting, in seconds). */
  | { type: 'door.held_open'; data: { heldOpenSeconds: number } }
  /** Another registered key reported in a locked slot than the one recorded there. */
  | {
      type: 'key.swapped';
      data: KeyRef & { slot: number; foundKeyId: number; foundKeyLabel: string };
    }
  /**
   * The same tag reported in two slots at once (`otherSlot` had it first): a cloned or
   * duplicated fob, or a report forged on the fob reader's line. `keyId`/`keyLabel` name the
   * key whose tag it is, null for a tag the cabinet does not know. Cleared when `slot` reads
   * otherwise.
   */
  | {
      type: 'key.duplicate_fob';
      data: {
        slot: number;
        otherSlot: number;
        tag: string;
        keyId: number | null;
        keyLabel: string | null;
      };
    }
  /**
   * Unknown cards at the badge reader fast enough to lock it (src/domain/card-flood.ts): one
   * alarm per flood, however many cards; cleared once the reader has been quiet for the
   * lockout window. Known cards with a PIN still get in meanwhile.
   */
  | {
      type: 'reader.card_flood';
      data: { reader: 'badge'; unknownCards: number; windowSeconds: number };
    }
  /** Reconciliation: a key is in its home slot while a loan says it is out. Closes the loan. */
  | {
      type: 'key.returned_unrecorded';
      data: KeyRef & HolderRef & { slot: number; outAt: string };
    }
  /** Reconciliation: a key is neither in the cabinet nor on loan (`slot`: its home slot). */
  | { type: 'key.missing'; data: KeyRef & { slot: number } }
  /** The wall clock moved by `deltaMs` against the monotonic clock (NTP, an operator). */
  | { type: 'clock.stepped'; data: { from: string; to: string; deltaMs: number } }
  | {
      type: 'alarm.cleared';
      data: { alarm: AlarmType; slot?: number; reader?: ReaderName; since: string };
    }
  /**
   * A custodian saw an alarm (`alarmSeq`: the event that raised it) and wrote what they did,
   * in the web console. The alarm stays in force until the cabinet clears it.
   */
  | {
      type: 'alarm.acknowledged';
      data: {
        actor: Actor;
        alarmSeq: number;
        alarm: AlarmType;
        slot?: number;
        reader?: ReaderName;
        since: string;
        note: string;
      };
    }
  | { type: 'reader.offline'; data: { reader: ReaderName; reason: string } }
  | { type: 'reader.online'; data: { reader: ReaderName } }
  | { type: 'reader.tampered'; data: { reader: ReaderName; reason: string } }
  | { type: 'cabinet.tamper'; data: Record<string, never> }
  | { type: 'power.failed'; data: Record<string, never> }
  | { type: 'power.restored'; data: Record<string, never> }
  | { type: 'storage.backlog'; data: { unacknowledged: number; limit: number } }
  | { type: 'storage.full'; data: StorageOutageData }
  | { type: 'storage.readonly'; data: StorageOutageData }
  | { type: 'storage.corrupt'; data: StorageOutageData }
  | { type: 'storage.failed'; data: StorageOutageData }
  | { type: 'command.accepted'; data: CommandRef & { keyId: string; counter: number } }
  | {
      type: 'command.rejected';
      data: {
        reason: CommandRejection;
        message: string;
        commandId: string | null;
        name: string | null;
        keyId: string | null;
        /** Refusals of this kind summed up here, when more than this one (docs/mqtt.md). */
        count?: number;
        /** The window, in seconds, the count covers. */
        windowSeconds?: number;
      };
    }
  | {
      type: 'permissions.synced';
      data: { commandId: string; version: number; previousVersion: number; counts: SyncCounts };
    }
  | {
      type: 'emergency.started';
      data: { source: 'command' | 'input'; commandId?: string; releases?: EmergencyReleases };
    }
  | { type: 'emergency.ended'; data: { source: 'command' | 'input'; commandId?: string } }
  | {
      type: 'lockdown.started';
      /** allowGroups: only when the lockdown admits groups' members. */
      data: { commandId: string; allowHolders: number[]; allowGroups?: number[] };
    }
  | { type: 'lockdown.ended'; data: { commandId: string } }
  | { type: 'cabinet.started'; data: { version: string; profile: string } }
  | { type: 'cabinet.stopped'; data: { reason: string } }
  | { type: 'holder.added'; data: { actor: Actor; holderId: number; name: string } }
  | {
      type: 'holder.disabled';
      data: {
        actor: Actor;
        holderId: number;
        name: string;
        /** Keys the holder still has out when disabled (departure): to be recovered. */
        outstanding?: OutstandingKey[];
      };
    }
  | {
      type: 'credential.added';
      data: { actor: Actor; credentialId: number; holderId: number; card: string };
    }
  | {
      type: 'key.added';
      data: { actor: Actor; keyId: number; label: string; tag: string; homeSlot: number };
    }
  | { type: 'permission.granted'; data: { actor: Actor; holderId: number; slot: number } }
  | { type: 'permission.revoked'; data: { actor: Actor; holderId: number; slot: number } }
  | {
      type: 'lockout.started';
      data: LockoutRef & { attempts: number; level: number; durationSeconds: number };
    }
  /**
   * `refusedCards`: the badges the lockout refused without recording them (only each known
   * card's first refusal is recorded), and for the reader the unknown cards of a flood
   * (src/domain/card-flood.ts): counted, so injected frames cannot flood the event log.
   */
  | { type: 'lockout.ended'; data: LockoutRef & { refusedCards?: number } }
  | { type: 'lockout.cleared'; data: LockoutRef & { actor: Actor; refusedCards?: number } }
  | { type: 'policy.changed'; data: PolicyChange };

/** A key still out with a holder who was disabled. */
export interface OutstandingKey {
  keyId: number;
  keyLabel: string;
  slot: number;
  outAt: string;
}

/** What a policy change touched (docs/mqtt.md, `policy.changed`). */
export type PolicyEntity =
  | 'holder'
  | 'credential'
  | 'key'
  | 'group'
  | 'group_member'
  | 'key_set'
  | 'key_set_member'
  | 'schedule'
  | 'schedule_window'
  | 'schedule_exception'
  | 'permission'
  | 'grant'
  | 'tier_rule'
  | 'reason_code'
  | 'pin';

/**
 * Rule 11, "every change is audited": one generic record of who changed what, with the
 * entity's fields before and after (null for an addition or a removal). PIN hashes never
 * appear: a PIN change records only whether a PIN is set.
 */
export interface PolicyChange {
  actor: Actor;
  entity: PolicyEntity;
  /** The entity's id as text: "7", or a tier, a reason code, a membership "group:holder". */
  id: string;
  change: 'added' | 'updated' | 'removed';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Why, when the change asks for one (a key marked lost, stolen or retired). */
  reason?: string;
}

interface OverdueRef extends KeyRef, HolderRef {
  /** The key's home slot. */
  slot: number;
  outAt: string;
  dueAt: string;
}

/**
 * Whose badges a lockout refuses: one credential (with its holder), or the reader, where the
 * denials of unknown cards are counted together (src/domain/lockout.ts).
 */
export interface LockoutRef {
  subject: 'reader' | 'credential';
  /** For a credential's lockout: the credential and its holder. */
  credentialId?: number;
  holderId?: number;
}

/**
 * A storage alarm, recorded when the database accepts writes again (it could not be written
 * while the alarm was raised), followed by the denials kept meanwhile and `alarm.cleared`.
 */
export interface StorageOutageData {
  /** SQLite's extended error code for the first failed write (`SQLITE_FULL`, …). */
  code: string;
  /** Wall time the first write failed (ISO 8601). */
  since: string;
  /** Badges and `release` commands denied (reason `storage`) during the outage. */
  denials: number;
  /** Denials beyond the in-memory queue: counted here, not recorded one by one. */
  denialsDropped: number;
  /** Other inputs (door, keys, commands) whose events could not be recorded: logged only. */
  inputsLost: number;
}

export type EventType = NewEvent['type'];

/** The event as stored and published: the envelope of docs/mqtt.md. */
export interface RecordedEvent {
  id: string;
  seq: number;
  cabinetId: string;
  type: EventType;
  /** Wall time (UTC, ISO 8601) at recording. */
  time: string;
  /** Whether the wall clock was synchronised (NTP) when `time` was taken. */
  clockSynced: boolean;
  /** Monotonic milliseconds since boot `bootId`: orders events even when wall time jumps. */
  monotonicMs: number;
  bootId: string;
  /** Hash of the previous event (64 zeros before the first): the chain. */
  prevHash: string;
  /** SHA-256 of the canonical encoding of every other field (docs/mqtt.md). */
  hash: string;
  data: NewEvent['data'];
}

/**
 * Events the flow raises as alarms: listed in the retained `alarms` until cleared. Whether one
 * lights the red LED and sounds the buzzer is its own property (alarm-signals.ts).
 */
export function isAlarm(type: EventType): boolean {
  switch (type) {
    case 'key.forced':
    case 'key.wrong_slot':
    case 'key.unknown_fob':
    case 'door.forced':
    case 'key.overdue':
    case 'door.held_open':
    case 'key.swapped':
    case 'key.duplicate_fob':
    case 'key.missing':
    case 'reader.offline':
    case 'reader.card_flood':
    case 'reader.tampered':
    case 'cabinet.tamper':
    case 'power.failed':
      return true;
    default:
      return false;
  }
}
