import { Ajv, type ErrorObject } from 'ajv';
import type { JsonSchema } from './json-schema.js';
import type { Problem } from './problems.js';

/**
 * Compiles a schema into a function that lists every problem in readable form. Ajv's own
 * messages ("must have required property 'bcm'") point at JSON pointers; people editing a
 * file think in field paths (`slots[3].solenoid`) and in plain words, so we reword them.
 */
export function compileSchema(schema: JsonSchema): (data: unknown) => Problem[] {
  // verbose: errors carry the offending schema, which lets an unknown key suggest a near miss.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map(toProblem));
}

/** `/slots/3/solenoid` → `slots[3].solenoid` */
export function toFieldPath(instancePath: string): string {
  if (instancePath === '') return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, segment) =>
        /^[0-9]+$/.test(segment)
          ? `${path}[${segment}]`
          : path === ''
            ? segment
            : `${path}.${segment}`,
      '',
    );
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function toProblem(error: ErrorObject): Problem {
  const path = toFieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: child(path, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { path: child(path, key), message: unknownKey(key, error.parentSchema) };
    }
    case 'type':
      return { path, message: `must be ${describeTypes(String(params.type))}` };
    case 'enum':
      return { path, message: `must be one of ${listValues(params.allowedValues)}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'minimum':
      return { path, message: `must be at least ${String(params.limit)}` };
    case 'maximum':
      return { path, message: `must be at most ${String(params.limit)}` };
    case 'minLength':
      return {
        path,
        message:
          params.limit === 1
            ? 'must not be empty'
            : `must be at least ${String(params.limit)} characters`,
      };
    case 'maxLength':
      return { path, message: `must be at most ${String(params.limit)} characters` };
    case 'pattern':
      return { path, message: `must match ${String(params.pattern)}` };
    case 'minItems':
      return { path, message: `must have at least ${String(params.limit)} entries` };
    case 'maxItems':
      return { path, message: `must have at most ${String(params.limit)} entries` };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** Ajv reports union types as "integer,object". */
function describeTypes(types: string): string {
  return types
    .split(',')
    .map((type) => ARTICLE[type] ?? type)
    .join(' or ');
}

function listValues(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
}

/** Unknown keys are errors because they are almost always typos of known ones. */
function unknownKey(key: string, parentSchema: unknown): string {
  const known = Object.keys((parentSchema as JsonSchema | undefined)?.properties ?? {});
  const near = known.find(
    (candidate) => editDistance(candidate.toLowerCase(), key.toLowerCase()) <= 2,
  );
  if (near !== undefined) return `is not a known key (did you mean "${near}"?)`;
  return known.length > 0
    ? `is not a known key (known keys: ${known.join(', ')})`
    : 'is not a known key';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
