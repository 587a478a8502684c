import type { KeyObject } from 'node:crypto';
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { CommandReply } from '../contract/command-reply.js';
import type { SignedCommand } from '../contract/signed-command.js';
import { truncate } from '../contract/truncate.js';
import type { KeywardenConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { CentralServerOperations, type CabinetRecords } from '../app/central-server.js';
import type { CommandArgs } from './command-args.js';
import type { CommandServices, Execution } from './command-services.js';
import { executeCommand } from './execute-command.js';
import { loadKeyRing } from './key-ring.js';
import type { Rejection } from './rejection.js';
import { refusalKind } from './refusal-kind.js';
import { ReplyBudget } from './reply-budget.js';
import { publishReply, replyAddress, type ReplyAddress } from './reply-publisher.js';
import { verifyCommand } from './verify-command.js';
import { WindowedTally } from './windowed-tally.js';

/** Refusals answered at once, then per second: a server sending one command at a time never waits. */
export const REFUSAL_REPLY_BURST = 20;
export const REFUSAL_REPLIES_PER_SECOND = 10;

/**
 * What the daemon hands over: its store handles (the central server's operations in src/app
 * write through them), its cabinet runner, the clock and the MQTT states to refresh.
 */
export type CommandIntakeServices = CabinetRecords & Omit<CommandServices, 'server'>;

export interface CommandIntakeOptions {
  config: KeywardenConfig;
  services: CommandIntakeServices;
  /** The daemon's MQTT client: replies go out on it. */
  client: MqttClient;
  /** `<prefix>/<cabinetId>/reply`: where replies go without a response topic. */
  replyTopic: string;
  logger: Logger;
  /** Events were recorded outside the cabinet runner: check the backlog, wake the outbox. */
  recorded: () => void;
}

/**
 * Receives every message on `<prefix>/<cabinetId>/cmd/+`, verifies it (verify-command.ts),
 * executes it, and replies (reply-publisher.ts). An accepted command commits `command.accepted`,
 * its counter and its effects together. Nothing a message contains can throw out of here: the
 * daemon keeps serving badges whatever arrives.
 *
 * Anybody who can publish on `cmd/+` reaches this, so what a refused message costs is bounded
 * (docs/mqtt.md, "Floods"): the first refusal of a kind (refusal-kind.ts) leaves its
 * `command.rejected` event and log line, the next ones in the window are counted into one
 * summary event (windowed-tally.ts); refusals are answered within a budget (reply-budget.ts); a
 * retained message is never acted on (it would be again at every reconnect); a response topic
 * outside this cabinet's reply topic is not used, and counted.
 *
 * Decisions the central server must know (docs/mqtt.md, "Commands"):
 * - The cabinet's MQTT session is persistent (connect-options.ts), so commands sent while it is
 *   offline wait in the broker. The server should publish every command with an MQTT 5
 *   `messageExpiryInterval` no longer than the command's own expiry: the broker then drops it
 *   unread instead of delivering it late (test/remote-commands/expired-commands-die-in-the-broker).
 *   A late command that still arrives is refused as `expired`.
 * - Counters increase per key id and survive restarts (SQLite); `replayed` is this very command
 *   again or the last counter reused, `out_of_order` an older counter never executed.
 * - A lockdown survives a restart (SQLite). An emergency release does not: after a restart the
 *   cabinet comes up locked and `cabinet.started` means no emergency is in force; the server
 *   (or the input) must declare it again. Fail secure: a crash must not leave a cabinet open
 *   with nobody having decided so since.
 */
export class CommandIntake {
  private readonly keys: ReadonlyMap<string, KeyObject>;
  private readonly configuredKeys: ReadonlySet<string>;
  private readonly services: CommandServices;
  private readonly refusals: WindowedTally<Rejection>;
  /** Messages not acted on that are not commands' refusals: retained ones, unusable reply topics. */
  private readonly notices: WindowedTally<{ message: string; detail: Record<string, unknown> }>;
  private readonly replyBudget: ReplyBudget;
  private stopped = false;

  constructor(private readonly options: CommandIntakeOptions) {
    const { config, logger } = options;
    this.keys = loadKeyRing(config.commands.keys, logger);
    this.configuredKeys = new Set(this.keys.keys());
    const { db, log, ...rest } = options.services;
    const server = new CentralServerOperations({ db, log }, () => rest.clock.wallMs());
    this.services = { ...rest, server };
    const windowSeconds = config.commands.rejectionWindowSeconds;
    this.refusals = new WindowedTally(windowSeconds * 1000, (last, count) =>
      this.record({ ...last, count, windowSeconds }),
    );
    this.notices = new WindowedTally(windowSeconds * 1000, (last, count) =>
      logger.warn({ ...last.detail, count, windowSeconds }, `${last.message} (repeated)`),
    );
    this.replyBudget = new ReplyBudget(REFUSAL_REPLY_BURST, REFUSAL_REPLIES_PER_SECOND, () =>
      rest.clock.monotonicMs(),
    );
  }

  /**
   * After this, messages are ignored (shutdown: no release once the outputs are off). What was
   * counted and not yet summarised is recorded now, so a flood just before a stop is not lost.
   */
  stop(): void {
    this.stopped = true;
    this.refusals.flush();
    this.notices.flush();
  }

  /** The MqttLink handler for the command topics. */
  readonly onMessage = (topic: string, payload: Buffer, packet: IPublishPacket): void => {
    if (this.stopped) return;
    const { config } = this.options;
    const { services } = this;
    if (packet.retain) {
      // The link subscribes so that the broker sends no retained message (retain handling 2);
      // one that comes anyway was stored by whoever published it, and acting on it would act
      // again at every restart and reconnect. A command is never retained (docs/mqtt.md).
      this.notice('retained', 'retained message on a command topic ignored', { topic });
      return;
    }
    const address = replyAddress(packet, this.options.replyTopic);
    if (address.refusedResponseTopic !== undefined) {
      this.notice('response-topic', 'response topic refused; replying on the default reply topic', {
        responseTopic: address.refusedResponseTopic,
        replyTopic: address.topic,
      });
    }
    const topicName = truncate(topic.slice(topic.lastIndexOf('/') + 1), 128);
    const verified = verifyCommand(topicName, payload, {
      cabinetId: config.cabinetId,
      keys: this.keys,
      nowMs: services.clock.wallMs(),
      maxSkewMs: config.commands.maxSkewSeconds * 1000,
      maxValidityMs: config.commands.maxValiditySeconds * 1000,
      slotCount: services.slotCount,
      history: services.server,
    });
    if (!verified.ok) {
      this.refuse(topic, verified.rejection, address);
      return;
    }
    this.run(topic, verified.command, verified.args, address);
  };

  private run(
    topic: string,
    command: SignedCommand,
    args: CommandArgs,
    address: ReplyAddress,
  ): void {
    const { logger } = this.options;
    const { services } = this;
    const ref = { commandId: command.id, name: command.name };
    let execution: Execution;
    try {
      execution = executeCommand(services, command, args, services.server.acceptance(command));
    } catch (err) {
      // Rolled back: not accepted, so the server may send the very same command again.
      logger.error({ err, topic, ...ref }, 'command failed; nothing was recorded');
      this.reply(address, {
        ...ref,
        status: 'failed',
        reason: 'error',
        message: 'the cabinet could not carry out the command; nothing was recorded',
      });
      return;
    }
    if (execution.recorded.length > 0) this.options.recorded();
    const { outcome } = execution;
    if (outcome.status === 'ok') {
      logger.info({ ...ref, keyId: command.keyId, counter: command.counter }, 'command executed');
      this.reply(address, { ...ref, status: 'ok', result: outcome.result });
    } else {
      logger.warn({ ...ref, reason: outcome.reason }, 'command accepted but failed');
      this.reply(address, { ...ref, ...outcome });
    }
  }

  private refuse(topic: string, rejection: Rejection, address: ReplyAddress): void {
    if (this.refusals.add(refusalKind(rejection, this.configuredKeys), rejection)) {
      this.options.logger.warn(
        {
          topic,
          reason: rejection.reason,
          commandId: rejection.commandId,
          detail: rejection.message,
        },
        'command refused',
      );
      this.record(rejection);
    }
    if (!this.replyBudget.take()) return;
    const { commandId, name, reason, message } = rejection;
    this.reply(address, { commandId, name, status: 'rejected', reason, message });
  }

  /** One `command.rejected` event: a refusal, or the summary of a window's refusals of a kind. */
  private record(rejection: Rejection & { count?: number; windowSeconds?: number }): void {
    const { logger } = this.options;
    if (rejection.count !== undefined) {
      logger.warn(
        {
          reason: rejection.reason,
          count: rejection.count,
          windowSeconds: rejection.windowSeconds,
        },
        'more commands refused',
      );
    }
    try {
      this.services.server.recordRejection(rejection);
      this.options.recorded();
    } catch (err) {
      logger.error({ err, reason: rejection.reason }, 'could not record a refused command');
    }
  }

  private notice(kind: string, message: string, detail: Record<string, unknown>): void {
    if (this.notices.add(kind, { message, detail })) this.options.logger.warn(detail, message);
  }

  private reply(address: ReplyAddress, reply: CommandReply): void {
    publishReply(this.options.client, address, reply, this.options.logger);
  }
}
