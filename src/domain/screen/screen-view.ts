import type { CabinetDirectory } from '../cabinet-directory.js';
import {
  doorTimings,
  policySettings,
  type CabinetSettings,
  type CabinetState,
} from '../cabinet-state.js';
import type { Clock } from '../clock.js';
import { subjectKey } from '../lockout.js';
import { misplacedKey } from '../misplaced-keys.js';
import type { Key } from '../model.js';
import type { ScreenNotice } from './screen-notice.js';
import { alarmText, refusalText } from './screen-words.js';

/**
 * What the cabinet screen shows: a pure function of the cabinet's state, the refusals just
 * recorded, the directory and the clock, recomputed by the daemon whenever one of them moves.
 * It holds only the current person's own session (never another holder's name, keys or loans)
 * and, when nobody is at the cabinet, nothing but the prompt and the cabinet-wide alarms.
 */
export interface ScreenView {
  /** What the person at the cabinet is asked for now. */
  stage: 'idle' | 'refused' | 'pin' | 'reason_code' | 'authorisers' | 'session';
  slotCount: number;
  /** Pick-the-keys mode: offered slots are picked on the screen, not released at the badge. */
  pickKeys: boolean;
  /** The cabinet's time zone, to show due times as the cabinet's clocks read. */
  timeZone: string;
  /** The person whose session or entry this is; null when idle or refused. */
  holderName: string | null;
  /** The slots to light on the drawing of the cabinet, and why. */
  slots: ScreenSlot[];
  /** Their keys out. */
  keysOut: ScreenLoan[];
  /** Every refusal, in words. */
  refusals: string[];
  prompt: ScreenPrompt | null;
  /** Where to put keys back: their own keys out, and misplaced keys they may move. */
  returns: ScreenReturn[];
  /** Seconds until the door and the slots relock; null without a session. */
  relockSeconds: number | null;
  /** Seconds until the held-open alarm while the door is open; null otherwise. */
  heldOpenSeconds: number | null;
  alarms: ScreenAlarm[];
}

export interface ScreenSlot {
  slot: number;
  /**
   * `take`: released, the key may be taken; `offered`: pick-the-keys mode, granted and not yet
   * picked; `waiting`: its key waits for authorisers or the holder's entry; `return`: the home
   * of a key they have out; `move`: a misplaced key of theirs, released to be moved home.
   */
  kind: 'take' | 'offered' | 'waiting' | 'return' | 'move';
  keyLabel: string | null;
}

export interface ScreenLoan {
  keyLabel: string;
  slot: number;
  /** ISO 8601; null without a due time. */
  dueAt: string | null;
  overdue: boolean;
}

export type ScreenPrompt =
  /** `typed`: how many digits are typed on the screen's pad so far (never the digits). */
  | { kind: 'pin'; secondsLeft: number; typed: number }
  | { kind: 'reason_code'; secondsLeft: number; typed: number; codes: ReasonCodeChoice[] }
  | {
      kind: 'authorisers';
      secondsLeft: number;
      /** Further people still needed (1 or 2) and how many have badged. */
      required: number;
      given: number;
      /** An authoriser's first tap was accepted: the same card must tap again. */
      confirming: boolean;
      /** The keys that wait for them. */
      keys: string[];
    };

export interface ReasonCodeChoice {
  code: string;
  description: string;
}

export interface ScreenReturn {
  text: string;
  slot: number | null;
}

export interface ScreenAlarm {
  type: string;
  text: string;
}

/** What the screen reads besides the flow's own directory: the site's reason codes to pick. */
export interface ScreenDirectory extends Pick<
  CabinetDirectory,
  'openLoansOf' | 'keyById' | 'keyByTag' | 'keyByHomeSlot' | 'holder'
> {
  reasonCodeChoices(): ReasonCodeChoice[];
}

export interface ScreenContext {
  settings: CabinetSettings;
  directory: ScreenDirectory;
  clock: Clock;
  timeZone: string;
  /** Digits typed on the screen's pad for the entry in progress (the daemon keeps them). */
  typed?: number;
}

export function screenView(
  state: CabinetState,
  notice: ScreenNotice,
  ctx: ScreenContext,
): ScreenView {
  const now = ctx.clock.monotonicMs();
  const base: ScreenView = {
    stage: 'idle',
    slotCount: ctx.settings.slotCount,
    pickKeys: ctx.settings.pickKeysOnScreen === true,
    timeZone: ctx.timeZone,
    holderName: null,
    slots: [],
    keysOut: [],
    refusals: [],
    prompt: null,
    returns: [],
    relockSeconds: null,
    heldOpenSeconds: heldOpenSeconds(state, ctx.settings, now),
    alarms: state.alarms.flatMap((alarm) => {
      const text = alarmText(alarm);
      return text === null ? [] : [{ type: alarm.type, text }];
    }),
  };
  const person = currentPerson(state);
  if (person === null) {
    if (now >= notice.shownUntil || notice.refusals.length === 0) return base;
    // Someone was just refused: the reasons, never the name the card belongs to.
    return { ...base, stage: 'refused', refusals: refusals(state, notice, ctx, now) };
  }
  // The holder's own refusals, from this entry or session only: not the one they cancelled
  // before badging again.
  const own =
    notice.holderId === person.holderId && notice.notedAt >= entryStart(state, ctx.settings)
      ? refusals(state, notice, ctx, now)
      : [];
  const loans = loansOf(person.holderId, ctx);
  const view: ScreenView = {
    ...base,
    stage: 'session',
    holderName: person.holderName,
    refusals: own,
    keysOut: loans.keysOut,
  };
  // The holder's session, if open: what is released or offered, the misplaced keys to move.
  const session = state.session?.holderId === person.holderId ? state.session : null;
  const released: ScreenSlot[] = (session?.slots ?? []).flatMap((slot): ScreenSlot[] => {
    const release = state.slots[slot - 1]?.release;
    if (!release) return [];
    const kind = release.reason === 'wrong_slot' ? 'move' : 'take';
    return [{ slot, kind, keyLabel: labelIn(state, slot, ctx) }];
  });
  const offered = (session?.offered ?? []).map((slot): ScreenSlot => ({
    slot,
    kind: 'offered',
    keyLabel: labelIn(state, slot, ctx),
  }));
  // An entry in progress: the keys that wait for it (for authorisers, only the gated ones:
  // the others were released with the session).
  const pending = state.pending;
  const waitingFor = pending
    ? pending.stage === 'authorisers'
      ? pending.gated
      : [...pending.slots, ...pending.gated]
    : [];
  const waiting = waitingFor.map((slot): ScreenSlot => ({
    slot,
    kind: 'waiting',
    keyLabel: labelIn(state, slot, ctx),
  }));
  const lit = [...released, ...offered, ...waiting, ...returnSlots(person.holderId, ctx)];
  return {
    ...view,
    ...(pending ? pendingPrompt(state, ctx, now) : {}),
    slots: lit.sort((a, b) => a.slot - b.slot),
    relockSeconds: session ? secondsUntil(session.endsAt, now) : null,
    returns: [...loans.returns, ...moves(state, released, ctx)],
  };
}

/** When the entry or session in progress began (its stage's start: the timers say). */
function entryStart(state: CabinetState, settings: CabinetSettings): number {
  if (state.pending) return state.pending.expiresAt - policySettings(settings).entryMs;
  if (state.session) return state.session.endsAt - settings.sessionMs;
  return 0;
}

/** Whose session or entry is in progress; null when nobody is at the cabinet. */
function currentPerson(state: CabinetState): { holderId: number; holderName: string } | null {
  if (state.pending) return state.pending;
  // A central-server release has nobody at the screen to show it to.
  if (state.session && state.session.credentialId !== null) return state.session;
  return null;
}

function refusals(
  state: CabinetState,
  notice: ScreenNotice,
  ctx: ScreenContext,
  now: number,
): string[] {
  const holderId = notice.holderId;
  const overdueKeys =
    holderId === null
      ? []
      : ctx.directory
          .openLoansOf(holderId)
          .filter((l) => l.dueAtMs != null && ctx.clock.wallMs() >= l.dueAtMs)
          .map((l) => ctx.directory.keyById(l.keyId)?.label ?? `slot ${l.slot}`);
  const lock =
    notice.credentialId === null
      ? undefined
      : state.lockouts[subjectKey({ kind: 'credential', credentialId: notice.credentialId })];
  const lockedUntil = lock?.lockedUntil ?? null;
  const holder = holderId === null ? undefined : ctx.directory.holder(holderId);
  const maxKeysOut = holder?.maxKeysOut ?? policySettings(ctx.settings).maxKeysOut ?? null;
  const context = {
    overdueKeys,
    lockedSeconds:
      lockedUntil !== null && lockedUntil > now ? secondsUntil(lockedUntil, now) : null,
    maxKeysOut,
  };
  return notice.refusals.map((r) => refusalText(r, context));
}

function pendingPrompt(
  state: CabinetState,
  ctx: ScreenContext,
  now: number,
): Pick<ScreenView, 'stage' | 'prompt'> {
  const pending = state.pending;
  if (!pending) return { stage: 'idle', prompt: null };
  const secondsLeft = secondsUntil(pending.authorisation?.expiresAt ?? pending.expiresAt, now);
  const typed = ctx.typed ?? 0;
  switch (pending.stage) {
    case 'pin':
      return { stage: 'pin', prompt: { kind: 'pin', secondsLeft, typed } };
    case 'reason_code':
      return {
        stage: 'reason_code',
        prompt: {
          kind: 'reason_code',
          secondsLeft,
          typed,
          codes: ctx.directory.reasonCodeChoices(),
        },
      };
    case 'authorisers': {
      const auth = pending.authorisation;
      return {
        stage: 'authorisers',
        prompt: {
          kind: 'authorisers',
          secondsLeft,
          required: auth?.required ?? pending.requirements.authorisers,
          given: auth?.authorisers.length ?? 0,
          confirming: auth?.confirming != null,
          keys: pending.gated.map((slot) => labelIn(state, slot, ctx) ?? `slot ${slot}`),
        },
      };
    }
    default: {
      const never: never = pending.stage;
      return never;
    }
  }
}

function loansOf(holderId: number, ctx: ScreenContext): Pick<ScreenView, 'keysOut' | 'returns'> {
  const wall = ctx.clock.wallMs();
  const keysOut: ScreenLoan[] = [];
  const returns: ScreenReturn[] = [];
  for (const loan of ctx.directory.openLoansOf(holderId)) {
    const key = ctx.directory.keyById(loan.keyId);
    const label = key?.label ?? `the key of slot ${loan.slot}`;
    const due = loan.dueAtMs ?? null;
    keysOut.push({
      keyLabel: label,
      slot: key?.homeSlot ?? loan.slot,
      dueAt: due === null ? null : new Date(due).toISOString(),
      overdue: due !== null && wall >= due,
    });
    returns.push(
      key?.returnPolicy === 'any'
        ? { text: `Put ${label} back in any empty slot.`, slot: null }
        : {
            text: `Put ${label} back in slot ${key?.homeSlot ?? loan.slot}.`,
            slot: key?.homeSlot ?? loan.slot,
          },
    );
  }
  return { keysOut, returns };
}

/** The homes of the holder's keys out, lit for the return (a key returnable anywhere: none). */
function returnSlots(holderId: number, ctx: ScreenContext): ScreenSlot[] {
  return ctx.directory.openLoansOf(holderId).flatMap((loan): ScreenSlot[] => {
    const key = ctx.directory.keyById(loan.keyId);
    if (!key || key.returnPolicy === 'any') return [];
    return [{ slot: key.homeSlot, kind: 'return', keyLabel: key.label }];
  });
}

/** Misplaced keys released to this session so they can be moved home. */
function moves(state: CabinetState, released: ScreenSlot[], ctx: ScreenContext): ScreenReturn[] {
  return released.flatMap((lit): ScreenReturn[] => {
    if (lit.kind !== 'move') return [];
    const key = misplacedKey(keyIn(state, lit.slot, ctx), lit.slot);
    if (!key) return [];
    return [
      {
        text: `${key.label} is in slot ${lit.slot}: move it to slot ${key.homeSlot}.`,
        slot: key.homeSlot,
      },
    ];
  });
}

function keyIn(state: CabinetState, slot: number, ctx: ScreenContext): Key | undefined {
  const tag = state.slots[slot - 1]?.tag ?? null;
  return tag === null ? ctx.directory.keyByHomeSlot(slot) : ctx.directory.keyByTag(tag);
}

function labelIn(state: CabinetState, slot: number, ctx: ScreenContext): string | null {
  return keyIn(state, slot, ctx)?.label ?? null;
}

function heldOpenSeconds(
  state: CabinetState,
  settings: CabinetSettings,
  now: number,
): number | null {
  const watch = state.door.open ? state.door.watch : undefined;
  if (!watch || !watch.heldOpenWatched || watch.heldOpenRaised) return null;
  return secondsUntil(watch.openedAt + doorTimings(settings).heldOpenMs, now);
}

/** Whole seconds left, rounded up, so a countdown shows 1 until the instant it ends. */
function secondsUntil(atMs: number, now: number): number {
  return Math.max(0, Math.ceil((atMs - now) / 1000));
}
