/**
 * The subset of JSON Schema (draft-07) that Keywarden's schemas use, as plain JSON: the form in
 * which the TypeBox schemas (config-schema.ts, profile-schema.ts) are published, walked for
 * their defaults and handed to Ajv to generate the validators.
 */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface JsonSchema {
  $schema?: string;
  title?: string;
  description?: string;
  default?: unknown;
  examples?: readonly unknown[];
  type?: JsonType | readonly JsonType[];
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: readonly (string | number)[];
  const?: string | number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}
