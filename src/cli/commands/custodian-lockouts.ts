import { MAX_REQUEST_WAIT_MS } from '../../app/daemon-requests.js';
import { KeywardenError } from '../../errors.js';
import { wholeNumber } from '../../app/values.js';
import { positiveInt, type Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import {
  AS,
  AS_USAGE,
  closeRequestOnInterrupt,
  JSON_OPT,
  option,
  orDash,
  printRows,
  readableView,
  withStore,
} from './custodian-shared.js';

export const lockoutCommands: Command[] = [
  {
    path: ['lockout', 'list'],
    summary: 'list the lockouts in force (too many denied badges), from the event log',
    usage: 'lockout list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.lockouts.list();
        printRows(
          args,
          io,
          rows,
          ['SUBJECT', 'CREDENTIAL', 'HOLDER', 'LEVEL', 'SINCE', 'UNTIL'],
          (l) => [
            l.subject,
            orDash(l.credentialId),
            view.names.holder(l.holderId ?? null),
            l.level,
            view.at(l.since),
            view.at(l.until),
          ],
          'no lockout in force',
        );
      });
    },
  },
  {
    path: ['lockout', 'clear'],
    summary: "end a card's lockout, or the reader's, before its time (the daemon must be running)",
    usage: `lockout clear <credential-id>|reader [--timeout <seconds>] ${AS_USAGE}

  The running daemon clears it at its next tick and records lockout.cleared in your name. The
  next lockout of the same card is still longer than the cleared one.`,
    positionals: ['credential-id|reader'],
    options: { timeout: { type: 'string' }, ...AS },
    async run(args, io) {
      const target = args.positionals[0] ?? '';
      const what = target === 'reader' ? 'the reader' : `credential ${target}`;
      const subject =
        target === 'reader' ? 'reader' : { credentialId: positiveInt(target, 'credential-id') };
      const given = option(args, 'timeout');
      const seconds = given === undefined ? 10 : wholeNumber(given, '--timeout', 1);
      if (seconds * 1000 > MAX_REQUEST_WAIT_MS) {
        throw new KeywardenError(
          'USAGE',
          `--timeout must be at most ${MAX_REQUEST_WAIT_MS / 1000} seconds`,
        );
      }
      const outcome = await withStore(args, async ({ app }) => {
        const request = app.requests.clearLockout(subject, seconds * 1000);
        const unhook = closeRequestOnInterrupt(() => request.cancel());
        try {
          return await request.outcome;
        } finally {
          unhook();
        }
      });
      if (outcome === null) {
        io.err(
          `keywarden lockout clear: no daemon answered within ${seconds} s. Is the daemon running (systemctl status keywarden)? Lockouts live in the running daemon; nothing was cleared.`,
        );
        return EXIT.failed;
      }
      io.out(
        outcome.cleared
          ? `lockout of ${what} cleared`
          : `no lockout in force for ${what}; nothing changed`,
      );
      return undefined;
    },
  },
];
