import type { CommandRejection } from '../domain/events.js';

/**
 * The cabinet's answer to a command: published to the MQTT 5 response topic with the request's
 * correlation data when the command carried them, else to `<prefix>/<cabinetId>/reply`.
 */
export type CommandReply =
  | { commandId: string; name: string; status: 'ok'; result: Record<string, unknown> }
  | {
      /** Null when the command was too malformed to carry a readable id. */
      commandId: string | null;
      name: string | null;
      status: 'rejected';
      reason: CommandRejection;
      message: string;
    }
  | {
      commandId: string;
      name: string;
      /** Accepted, but could not be carried out (e.g. a sync on the wrong base version). */
      status: 'failed';
      reason: string;
      message: string;
      /** What was wrong, one line each, when there is a list (a sync's invalid rows). */
      problems?: string[];
    };
