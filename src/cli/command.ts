import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KeywardenError } from '../errors.js';
import { attachNegativeValues, suggestOption } from './argv.js';
import type { SecretInput } from './read-secret.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where secrets (PINs) are read from; process.stdin unless given (tests). */
  stdin?: SecretInput;
}

export interface Command {
  /** Words that select it, e.g. ['holder', 'add']. */
  path: string[];
  summary: string;
  /** The usage line(s) after `keywarden <path>`. */
  usage: string;
  options?: OptionSpec;
  /** Exact number of positionals, when it takes any. */
  positionals?: string[];
  /** Positionals that may follow the required ones (`schedule add-exception … [hours]`). */
  optionalPositionals?: string[];
  /** Returns the exit code, or nothing for success. */
  run(args: ParsedArgs, io: CommandIo): Promise<number | void> | number | void;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: OptionSpec = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * Parses strictly: an unknown option, a missing value or a wrong count of arguments is a usage
 * error before anything is opened or changed.
 */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options = { ...COMMON_OPTIONS, ...command.options };
  let parsed;
  try {
    parsed = parseArgs({
      args: attachNegativeValues(argv, (arg) => takesValue(options, arg)),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new KeywardenError('USAGE', parseErrorMessage(error as Error, Object.keys(options)));
  }
  const values = parsed.values as ParsedArgs['values'];
  if (values.help) return { values, positionals: parsed.positionals };
  const expected = command.positionals ?? [];
  const optional = command.optionalPositionals ?? [];
  const count = parsed.positionals.length;
  if (count < expected.length || count > expected.length + optional.length) {
    throw new KeywardenError(
      'USAGE',
      expected.length + optional.length === 0
        ? `unexpected argument "${parsed.positionals[0]}"`
        : `expected ${[...expected.map((p) => `<${p}>`), ...optional.map((p) => `[${p}]`)].join(' ')}`,
    );
  }
  return { values, positionals: parsed.positionals };
}

function takesValue(options: OptionSpec, arg: string): boolean {
  const spec = arg.startsWith('--')
    ? options[arg.slice(2)]
    : Object.values(options).find((o) => o.short !== undefined && `-${o.short}` === arg);
  return spec?.type === 'string';
}

/** Node's message, without its advice about dashes, and with the option that was meant. */
function parseErrorMessage(error: Error, options: string[]): string {
  const message = error.message.replace(/\. To specify.*$/s, '');
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  // `holder show -3`: a negative number where an id or a count goes, not a mistyped option.
  if (unknown !== undefined && /^-\d/.test(unknown)) {
    return `"${unknown}" is not a valid argument: ids, slots and counts are positive whole numbers`;
  }
  const meant = unknown === undefined ? undefined : suggestOption(unknown, options);
  return meant === undefined ? message : `${message}. Did you mean ${meant}?`;
}

export function requireOption(args: ParsedArgs, name: string): string {
  const value = args.values[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new KeywardenError('USAGE', `--${name} is required`);
  }
  return value;
}

/** A positive whole number from an option or argument, with the name in the error. */
export function positiveInt(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) {
    throw new KeywardenError(
      'USAGE',
      `${name} must be a positive whole number, not "${value ?? ''}"`,
    );
  }
  return Number(value);
}
