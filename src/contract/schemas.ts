import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { packageRoot } from '../paths.js';

/**
 * The machine-readable MQTT contract at run time: the JSON Schemas of docs/schemas, one per
 * kind of message, compiled once. docs/asyncapi.json points at the same files, so the contract
 * an integrator reads and the one tests and `keywarden monitor` check are one and the same.
 */
export const MESSAGE_KINDS = [
  'event',
  'status',
  'inventory',
  'alarms',
  'ack',
  'command',
  'reply',
] as const;

export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const schemasDir = (): string => join(packageRoot(), 'docs', 'schemas');

/** The parsed schema file of a kind (docs/schemas/<kind>.json). */
export function loadSchema(kind: MessageKind): Record<string, unknown> {
  const file = join(schemasDir(), `${kind}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load the ${kind} schema from ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

let validators: Map<MessageKind, ValidateFunction> | undefined;

function validatorFor(kind: MessageKind): ValidateFunction {
  validators ??= compileAll();
  const validate = validators.get(kind);
  if (!validate) throw new Error(`no schema for message kind "${kind}"`);
  return validate;
}

function compileAll(): Map<MessageKind, ValidateFunction> {
  // strict: a typo in a schema keyword fails loudly here instead of silently allowing anything.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  // Every `format` in the schemas stands next to a `pattern` that says exactly what the cabinet
  // produces and accepts: the formats are annotations for other tools, the patterns check.
  ajv.addFormat('date-time', true);
  ajv.addFormat('uuid', true);
  return new Map(MESSAGE_KINDS.map((kind) => [kind, ajv.compile(loadSchema(kind))]));
}

/**
 * What is wrong with a message of `kind`, one line per problem; empty when it matches the
 * contract. `payload` is the parsed JSON, or the raw bytes (a Buffer), which are parsed first.
 */
export function validateMessage(kind: MessageKind, payload: unknown): string[] {
  let value = payload;
  if (payload instanceof Uint8Array) {
    try {
      value = JSON.parse(Buffer.from(payload).toString('utf8')) as unknown;
    } catch (error) {
      return [`not JSON: ${(error as Error).message}`];
    }
  }
  const validate = validatorFor(kind);
  if (validate(value)) return [];
  return [...new Set((validate.errors ?? []).filter(isSpecific).map(describe))];
}

/**
 * Ajv adds "must match "then" schema" above each failure inside a type-selected branch; the
 * failure itself is the useful line.
 */
function isSpecific(error: ErrorObject): boolean {
  return error.keyword !== 'if';
}

function describe(error: ErrorObject): string {
  const at = fieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${join2(at, String(params.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${join2(at, String(params.additionalProperty))}: is not in the contract`;
    case 'false schema':
      return `${at || '(message)'}: must be absent`;
    case 'enum':
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${at || '(message)'}: ${error.message ?? error.keyword}`;
  }
}

/** `/data/slots/0` → `data.slots[0]` */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : join2(path, s)), '');
}

function join2(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
