import { printableJson } from '../../domain/values/free-text.js';
import { KeywardenError } from '../../errors.js';
import type { NameDirectory } from '../../app/custodian-app.js';
import { positiveInt, type CommandIo, type OptionSpec, type ParsedArgs } from '../command.js';
import { openCustodian, type CustodianContext } from '../context.js';
import { localTimeFormat, type InstantFormat } from '../../present/local-time-format.js';
import { table } from '../../present/table.js';

/** Options shared by the custodian's commands. */
export const AS: OptionSpec = { as: { type: 'string' } };
export const JSON_OPT: OptionSpec = { json: { type: 'boolean' } };
export const AS_USAGE = '[--as <custodian>]';

/** Reaches the operations, runs the body, and always lets go again. */
export async function withStore<T>(
  args: ParsedArgs,
  body: (ctx: CustodianContext) => T | Promise<T>,
): Promise<T> {
  const ctx = await openCustodian(args);
  try {
    return await body(ctx);
  } finally {
    ctx.close();
  }
}

/** A string option's value, undefined when not given; an empty value is a usage error. */
export function option(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new KeywardenError('USAGE', `--${name} needs a value`);
  }
  return value;
}

/** The n-th positional as an id. */
export function idArg(args: ParsedArgs, index: number, name: string): number {
  return positiveInt(args.positionals[index], name);
}

/** `--json` prints the rows for machines; otherwise the table, or `empty` when there are none. */
export function printRows<T>(
  args: ParsedArgs,
  io: CommandIo,
  rows: T[],
  headers: string[],
  cells: (row: T) => Array<string | number>,
  empty: string,
): void {
  if (args.values.json) {
    io.out(printableJson(rows));
    return;
  }
  if (rows.length === 0) {
    io.out(empty);
    return;
  }
  io.out(table(headers, rows.map(cells)));
}

export const orDash = (v: string | number | null | undefined): string =>
  v === null || v === undefined || v === '' ? '-' : String(v);

/** How a table shows instants (the cabinet's local time, zone named) and ids (with names). */
export interface ReadableView {
  at: InstantFormat;
  names: NameDirectory;
  /** A validity window for a table cell. */
  window(from: string | null, until: string | null): string;
}

/** For printing inside withStore: the names come from the cabinet's records. */
export async function readableView(ctx: CustodianContext): Promise<ReadableView> {
  const at = localTimeFormat(ctx.config.cabinet.timeZone);
  return {
    at,
    names: await ctx.app.names(),
    window: (from, until) =>
      from === null && until === null
        ? '-'
        : `${from === null ? '…' : at(from)} → ${until === null ? '…' : at(until)}`,
  };
}

/** Nothing to do: at least one of these options must be given. */
export function requireSome(args: ParsedArgs, names: string[]): void {
  if (!names.some((n) => args.values[n] !== undefined)) {
    throw new KeywardenError(
      'USAGE',
      `give at least one of ${names.map((n) => `--${n}`).join(', ')}`,
    );
  }
}

/**
 * While a command waits for the daemon, Ctrl-C (or a stop) closes its request first, so a card
 * tapped after the custodian gave up is not enrolled in their name. Returns the un-hook.
 */
export function closeRequestOnInterrupt(close: () => void): () => void {
  const onSignal = () => {
    close();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
