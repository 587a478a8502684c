import { KeywardenError } from '../../errors.js';
import { checkPinFormat } from '../../app/pin-rules.js';
import { yesNo } from '../../app/values.js';
import type { Command, CommandIo, ParsedArgs } from '../command.js';
import { SecretReader } from '../read-secret.js';
import { AS, AS_USAGE, idArg, option, withStore } from './custodian-shared.js';

/** The PIN, typed twice without echo (or two lines from a pipe); checked before any change. */
async function readPinTwice(io: CommandIo, what: string): Promise<string> {
  const input = io.stdin ?? process.stdin;
  // Prompts only where someone types: a script piping the PIN needs none.
  const reader = new SecretReader(input, (text) => {
    if (input.isTTY) process.stderr.write(text);
  });
  const first = await reader.read(`new ${what} (4 to 12 digits, not shown): `);
  checkPinFormat(first);
  const second = await reader.read(`the ${what} again: `);
  if (first !== second)
    throw new KeywardenError('USAGE', `the two entries differ; nothing changed`);
  return first;
}

function pinSetter(kind: 'pin' | 'duress'): Command {
  const verb = kind === 'pin' ? 'set' : 'set-duress';
  const what = kind === 'pin' ? 'PIN' : 'duress PIN';
  return {
    path: ['pin', verb],
    summary:
      kind === 'pin'
        ? "set a card's PIN (typed twice, never shown)"
        : "set a card's duress PIN: it opens as normal and raises a silent alarm",
    usage: `pin ${verb} <credential-id>${kind === 'pin' ? ' [--required yes|no]' : ''} ${AS_USAGE}

  Typed twice without echo; from a pipe, one line each (printf '4821\\n4821\\n' | keywarden pin ${verb} 3).
  Stored only as a salted scrypt hash; the audit event says only that it changed.${
    kind === 'duress' ? '\n  The duress PIN must differ from the PIN, which must be set first.' : ''
  }`,
    positionals: ['credential-id'],
    options: kind === 'pin' ? { required: { type: 'string' }, ...AS } : AS,
    async run(args: ParsedArgs, io: CommandIo) {
      const id = idArg(args, 0, 'credential-id');
      const given = option(args, 'required');
      const required = given === undefined ? undefined : yesNo(given, '--required');
      await withStore(args, async ({ app }) => {
        await app.pins.state(id); // a wrong id is told before the PIN is typed
        const pin = await readPinTwice(io, what);
        await app.pins.set(id, kind, pin, required);
      });
      io.out(
        `${what} of credential ${id} set${required === undefined ? '' : required ? '; required at every badge' : '; not required at every badge'}`,
      );
    },
  };
}

export const pinCommands: Command[] = [
  pinSetter('pin'),
  pinSetter('duress'),
  {
    path: ['pin', 'require'],
    summary: 'whether every badge of a card asks for its PIN',
    usage: `pin require <credential-id> yes|no ${AS_USAGE}`,
    positionals: ['credential-id', 'yes|no'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'credential-id');
      const required = yesNo(args.positionals[1] ?? '', 'yes|no');
      const changed = await withStore(args, ({ app }) => app.pins.setRequired(id, required));
      io.out(
        changed
          ? `credential ${id}: PIN ${required ? 'required' : 'no longer required'} at every badge`
          : `credential ${id} already so; nothing changed`,
      );
    },
  },
  {
    path: ['pin', 'reset'],
    summary: 'unlock a card refused after too many wrong PINs (its count back to 0)',
    usage: `pin reset <credential-id> ${AS_USAGE}

  After lockout.maxWrongPins wrong PINs in a row (5 by default) a card is refused until this
  reset, recorded as pin.reset in your name. Neither time nor a restart ends that lock. The
  daemon need not be running: the count is in the database.`,
    positionals: ['credential-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'credential-id');
      const before = await withStore(args, ({ app }) => app.pins.resetWrongPins(id));
      io.out(
        before > 0
          ? `credential ${id}: ${before} wrong PIN${before === 1 ? '' : 's'} in a row forgotten; the card is no longer refused for them`
          : `credential ${id} had no wrong PIN to forget; nothing changed`,
      );
    },
  },
  {
    path: ['pin', 'clear'],
    summary: "remove a card's PIN and duress PIN",
    usage: `pin clear <credential-id> ${AS_USAGE}`,
    positionals: ['credential-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'credential-id');
      const changed = await withStore(args, ({ app }) => app.pins.clear(id));
      io.out(
        changed
          ? `PINs of credential ${id} cleared`
          : `credential ${id} had no PIN; nothing changed`,
      );
    },
  },
];
