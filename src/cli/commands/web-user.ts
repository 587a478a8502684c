import { userInfo } from 'node:os';
import { openWebAccounts, type WebAccounts } from '../../app/web-accounts/web-accounts.js';
import {
  checkNewPassword,
  MIN_PASSWORD_LENGTH,
  ROLE_LABELS,
} from '../../app/web-accounts/web-account-rules.js';
import { loadConfig } from '../../config/config.js';
import { KeywardenError } from '../../errors.js';
import { silentLogger } from '../../log/logger.js';
import { requireOption, type Command, type CommandIo, type ParsedArgs } from '../command.js';
import { configPath } from '../context.js';
import { SecretReader } from '../read-secret.js';
import { JSON_OPT, printRows } from './custodian-shared.js';

/**
 * The web console's accounts from the command line: how the first administrator is made, and
 * how an administrator locked out of the console gets back in. It opens `web.accountsDatabase`
 * itself, so only who may write that file (root, the console's user) can use it; each change is
 * recorded as made by `unix:<user>`.
 */
async function withAccounts<T>(args: ParsedArgs, work: (accounts: WebAccounts) => Promise<T> | T) {
  const config = loadConfig(configPath(args));
  const accounts = openWebAccounts(config.web.accountsDatabase, { logger: silentLogger() });
  try {
    return await work(accounts);
  } finally {
    accounts.close();
  }
}

/** root acting through sudo is recorded as the user who ran sudo. */
function actor(): string {
  const me = userInfo();
  return `unix:${me.uid === 0 && process.env.SUDO_USER ? process.env.SUDO_USER : me.username}`;
}

const PASSWORD_STDIN = { 'password-stdin': { type: 'boolean' } } as const;

/**
 * The new password: typed twice without echo on a terminal (two lines from a pipe), or one line
 * of standard input with --password-stdin (a provisioning script). Checked before any change.
 */
async function readNewPassword(args: ParsedArgs, io: CommandIo, account: string): Promise<string> {
  const input = io.stdin ?? process.stdin;
  const reader = new SecretReader(input, (text) => {
    if (input.isTTY) process.stderr.write(text);
  });
  const first = await reader.read(
    `new password for ${account} (at least ${MIN_PASSWORD_LENGTH} characters, not shown): `,
    'password',
  );
  checkNewPassword(account, first);
  if (args.values['password-stdin']) return first;
  const second = await reader.read('the password again: ', 'password');
  if (first !== second)
    throw new KeywardenError('USAGE', 'the two entries differ; nothing changed');
  return first;
}

const accountArg = (args: ParsedArgs): string => args.positionals[0] ?? '';

export const webUserCommands: Command[] = [
  {
    path: ['web-user', 'add'],
    summary: 'add a web console account (the first administrator is made this way)',
    usage: `web-user add <account> --role admin|custodian|viewer [--password-stdin]

  Roles: admin (Administrator: also manages the accounts), custodian (Custodian: every change to
  the cabinet's records), viewer (Auditor: reads, changes nothing).
  The password is typed twice, never shown; from a pipe, two lines, or one with --password-stdin.
  At least ${MIN_PASSWORD_LENGTH} characters, not containing the account's name. Stored only as a scrypt hash.`,
    positionals: ['account'],
    options: { role: { type: 'string' }, ...PASSWORD_STDIN },
    async run(args, io) {
      const role = requireOption(args, 'role');
      const account = accountArg(args);
      const added = await withAccounts(args, async (accounts) => {
        // Name and role are checked before the password is asked for.
        accounts.checkNew(account, role);
        const password = await readNewPassword(args, io, account);
        return accounts.add(actor(), { account, role, password });
      });
      io.out(`web account ${added.account} added (${ROLE_LABELS[added.role]})`);
    },
  },
  {
    path: ['web-user', 'list'],
    summary: 'list the web console accounts',
    usage: 'web-user list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      const rows = await withAccounts(args, (accounts) => accounts.list());
      printRows(
        args,
        io,
        rows,
        ['ACCOUNT', 'ROLE', 'STATE', 'PASSWORD SET'],
        (a) => [
          a.account,
          ROLE_LABELS[a.role],
          a.disabled
            ? 'disabled'
            : a.lockedUntil
              ? `enabled; an address locked out until ${a.lockedUntil}`
              : 'enabled',
          a.passwordChangedAt,
        ],
        'no web accounts yet: add the first administrator with web-user add <name> --role admin',
      );
    },
  },
  ...(['disable', 'enable'] as const).map((verb): Command => ({
    path: ['web-user', verb],
    summary:
      verb === 'disable'
        ? 'disable a web account: its sessions end at once, it cannot sign in'
        : 'enable a disabled web account (a lockout ends too)',
    usage: `web-user ${verb} <account>`,
    positionals: ['account'],
    async run(args, io) {
      const changed = await withAccounts(args, (accounts) =>
        accounts.update(actor(), accountArg(args), { disabled: verb === 'disable' }),
      );
      io.out(`web account ${changed.account} ${verb}d`);
    },
  })),
  {
    path: ['web-user', 'passwd'],
    summary: "set a web account's password: its sessions end, a lockout ends",
    usage: `web-user passwd <account> [--password-stdin]

  Typed twice, never shown; from a pipe, two lines, or one with --password-stdin.`,
    positionals: ['account'],
    options: PASSWORD_STDIN,
    async run(args, io) {
      const changed = await withAccounts(args, async (accounts) => {
        const account = accounts.find(accountArg(args));
        const password = await readNewPassword(args, io, account);
        return accounts.update(actor(), account, { password });
      });
      io.out(`password of web account ${changed.account} set; its sessions ended`);
    },
  },
  {
    path: ['web-user', 'role'],
    summary: "change a web account's role: its sessions end",
    usage: 'web-user role <account> admin|custodian|viewer',
    positionals: ['account', 'role'],
    async run(args, io) {
      const changed = await withAccounts(args, (accounts) =>
        accounts.update(actor(), accountArg(args), { role: args.positionals[1] ?? '' }),
      );
      io.out(`web account ${changed.account} is now ${ROLE_LABELS[changed.role]}`);
    },
  },
];
