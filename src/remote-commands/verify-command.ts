import type { KeyObject } from 'node:crypto';
import {
  COMMAND_NAMES,
  verifyCommandSignature,
  type CommandName,
  type SignedCommand,
} from '../contract/signed-command.js';
import { readArgs, type CommandArgs } from './command-args.js';
import { readCommand, type WireCommand } from './read-command.js';
import { rejection, type Readable, type Rejection } from './rejection.js';
import { validityProblem } from './validity-window.js';

export interface VerifyContext {
  cabinetId: string;
  keys: ReadonlyMap<string, KeyObject>;
  /** Wall time now (ms). */
  nowMs: number;
  maxSkewMs: number;
  maxValidityMs: number;
  slotCount: number;
  history: { lastCounter(keyId: string): number; wasExecuted(commandId: string): boolean };
}

export type Verified =
  { ok: true; command: SignedCommand; args: CommandArgs } | { ok: false; rejection: Rejection };

/**
 * Decides whether a message on `cmd/<topicName>` is a command to execute, in a fixed order
 * (docs/mqtt.md, "Commands"): size, JSON, shape, known name, topic matches name, this cabinet,
 * signed, known key, the validity window (validity-window.ts), signature, counter and replay,
 * arguments. Cheap checks that need no trust come first, so a message that fails them never
 * costs a signature verification; the signature comes before anything that reads state, so an
 * unsigned message can never probe counters; the arguments come last, since only a genuine
 * command's arguments are worth a precise answer. Reads, never writes.
 */
export function verifyCommand(topicName: string, payload: Buffer, ctx: VerifyContext): Verified {
  const read = readCommand(topicName, payload, (wire) => {
    const envelope = checkEnvelope(topicName, wire, ctx);
    return envelope.ok ? undefined : envelope;
  });
  if (!read.ok) return read;
  const envelope = checkEnvelope(topicName, read.command, ctx);
  if (!envelope.ok) return envelope;
  const { command, key } = envelope;
  const readable: Readable = { commandId: command.id, name: command.name, keyId: command.keyId };
  if (!verifyCommandSignature(command, key)) {
    return rejection(
      'bad_signature',
      `the signature does not verify with key ${command.keyId}: the command was changed or signed with another key`,
      readable,
    );
  }

  const last = ctx.history.lastCounter(command.keyId);
  if (ctx.history.wasExecuted(command.id) || command.counter === last) {
    return rejection(
      'replayed',
      `command ${command.id} (counter ${command.counter} of key ${command.keyId}) was already executed`,
      readable,
    );
  }
  if (command.counter < last) {
    return rejection(
      'out_of_order',
      `counter ${command.counter} is below ${last}, the last accepted from key ${command.keyId}`,
      readable,
    );
  }

  const args = readArgs(command.name, command.args, { slotCount: ctx.slotCount });
  if (!args.ok) return rejection('invalid_args', args.message, readable);
  return { ok: true, command, args: args.args };
}

function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/**
 * The checks that need only the envelope and the clock, in the contract's order: known name,
 * topic matches name, this cabinet, signed, known key, validity window. No cryptography and no
 * state: readCommand runs them on a large payload's scanned envelope before parsing it.
 */
function checkEnvelope(
  topicName: string,
  wire: WireCommand,
  ctx: VerifyContext,
): { ok: true; command: SignedCommand; key: KeyObject } | { ok: false; rejection: Rejection } {
  const readable: Readable = { commandId: wire.id, name: wire.name, keyId: wire.keyId };
  if (!isCommandName(wire.name)) {
    return rejection(
      'unknown_command',
      `there is no command ${JSON.stringify(wire.name)}`,
      readable,
    );
  }
  if (wire.name !== topicName) {
    return rejection(
      'malformed',
      `the command is ${wire.name} but was published on cmd/${topicName}`,
      readable,
    );
  }
  if (wire.cabinetId !== ctx.cabinetId) {
    return rejection(
      'wrong_cabinet',
      `the command is for cabinet ${wire.cabinetId}, this is ${ctx.cabinetId}`,
      readable,
    );
  }
  if (wire.signature === undefined || wire.signature === '') {
    return rejection('unsigned', 'the command has no signature', readable);
  }
  const key = ctx.keys.get(wire.keyId);
  if (!key) {
    return rejection('unknown_key', `no command key ${wire.keyId} is configured`, readable);
  }
  const outOfTime = validityProblem(wire.issuedAt, wire.expiresAt, readable, ctx);
  if (outOfTime) return outOfTime;
  return { ok: true, command: { ...wire, name: wire.name, signature: wire.signature }, key };
}
