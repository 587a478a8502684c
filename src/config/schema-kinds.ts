import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

/**
 * Schema shapes TypeBox would otherwise write as `anyOf`. `Type.Union` of literals is correct
 * but turns one mistake into one error per branch ("must be equal to constant" × 6); a plain
 * `enum` or a type list gives Ajv one readable error, and Unsafe keeps the static type exact.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions,
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: values });
}

/** An integer from a fixed list (e.g. baud rates). */
export function IntegerEnum<const T extends readonly number[]>(
  values: T,
  options: SchemaOptions,
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'integer', enum: values });
}

/** An integer constant typed as its literal (`Type.Literal` would say `type: "number"`). */
export function IntegerConst<const T extends number>(value: T, options: SchemaOptions): TUnsafe<T> {
  return Type.Unsafe<T>({ ...options, type: 'integer', const: value });
}

/** An integer or null, e.g. "no limit". */
export function NullableInteger(options: SchemaOptions): TUnsafe<number | null> {
  return Type.Unsafe<number | null>({ ...options, type: ['integer', 'null'] });
}
